import {
  type ControlDefinition,
  FRAMEWORK_LIMITS,
  type FrameworkDefinition,
  type FrameworkFormatProblem,
  type FrameworkParseResult,
} from '../framework-model';
import {
  cleanText,
  type FrameworkField,
  type FrameworkLocator,
  finishFramework,
  neverThrow,
} from './framework-checks';
import { field, isObject, type JsonObject, JsonReader } from './json-read';
import { labelOf, ParamScope, propsOf, readParts, resolveProse } from './oscal-prose';

/**
 * OSCAL 1.x catalogs (NIST SP 800-53 and its resolved baselines, or any catalog in that model):
 * groups become `group` entries, controls and their enhancements `control` entries, in document
 * order. The reference is the `label` prop (`AC-2(1)`), else the id upper-cased; the OSCAL id is
 * kept as `sourceId` so that profiles can select by it.
 */

export interface OscalMetadata {
  name?: string;
  version?: string;
  publisher?: string;
  description?: string;
}

/** Title, version, remarks, and the publisher: the party with role `creator`, else the first party. */
export function readOscalMetadata(owner: JsonObject, path: string, reader: JsonReader): OscalMetadata {
  const metadata = reader.object(field(owner, 'metadata'), `${path}.metadata`);
  if (!metadata) return {};
  const at = `${path}.metadata`;
  const title = reader.string(metadata, 'title', at, true);
  const partyName = new Map<string, string>();
  let firstParty: string | undefined;
  for (const party of reader.array(metadata, 'parties', at)) {
    const uuid = isObject(party) ? field(party, 'uuid') : undefined;
    const name = isObject(party) ? field(party, 'name') : undefined;
    if (typeof name !== 'string') continue;
    firstParty ??= name;
    if (typeof uuid === 'string') partyName.set(uuid, name);
  }
  let creator: string | undefined;
  for (const responsible of reader.array(metadata, 'responsible-parties', at)) {
    if (!isObject(responsible) || field(responsible, 'role-id') !== 'creator') continue;
    const uuids = field(responsible, 'party-uuids');
    if (Array.isArray(uuids)) creator = uuids.map((uuid) => partyName.get(String(uuid))).find(Boolean);
    if (creator) break;
  }
  return {
    name: cleanText(title),
    version: cleanText(reader.string(metadata, 'version', at)),
    publisher: cleanText(creator ?? firstParty),
    description: cleanText(reader.string(metadata, 'remarks', at)),
  };
}

interface Walk {
  reader: JsonReader;
  controls: ControlDefinition[];
  paths: string[];
  /** Undeclared parameter ids, each with the first place that inserts it. */
  unknownParams: Map<string, string>;
  tooMany: boolean;
}

interface Entry {
  value: unknown;
  path: string;
  kind: ControlDefinition['kind'];
  parent?: ControlDefinition;
  depth: number;
  scope: ParamScope;
  sortOrder: number;
}

export function parseOscalCatalog(doc: unknown): FrameworkParseResult {
  return neverThrow(() => readCatalog(doc));
}

function readCatalog(doc: unknown): FrameworkParseResult {
  const problems: FrameworkFormatProblem[] = [];
  const reader = new JsonReader(problems);
  const root = reader.object(doc, '$');
  if (!root) return { ok: false, problems };
  if (field(root, 'catalog') === undefined) {
    const hint = field(root, 'profile') !== undefined ? ' (this is an OSCAL profile)' : '';
    return { ok: false, problems: [{ path: 'catalog', message: `An OSCAL catalog is required${hint}.` }] };
  }
  const catalog = reader.object(field(root, 'catalog'), 'catalog');
  if (!catalog) return { ok: false, problems };

  const key = reader.string(catalog, 'uuid', 'catalog', true);
  const metadata = readOscalMetadata(catalog, 'catalog', reader);
  const walk: Walk = { reader, controls: [], paths: [], unknownParams: new Map(), tooMany: false };
  const scope = ParamScope.declare(undefined, catalog, 'catalog', reader);
  readChildren(walk, catalog, 'catalog', undefined, 1, scope);

  const framework: FrameworkDefinition = {
    key: key?.trim() ?? '',
    name: metadata.name ?? '',
    ...(metadata.version ? { version: metadata.version } : {}),
    ...(metadata.publisher ? { publisher: metadata.publisher } : {}),
    ...(metadata.description ? { description: metadata.description } : {}),
    controls: walk.controls,
  };
  const warnings = [...walk.unknownParams].map(([id, path]) => ({
    path,
    message: `The parameter "${id}" is not declared; it is shown as [Assignment: ${id}].`,
  }));
  return finishFramework(framework, catalogLocator(walk.paths), problems, warnings);
}

/** Controls and groups under `owner`, numbered in document order (a catalog lists controls first). */
function readChildren(
  walk: Walk,
  owner: JsonObject,
  path: string,
  parent: ControlDefinition | undefined,
  depth: number,
  scope: ParamScope,
): void {
  const lists: Array<['controls' | 'groups', ControlDefinition['kind']]> =
    parent?.kind === 'control'
      ? [['controls', 'control']]
      : path === 'catalog'
        ? [
            ['controls', 'control'],
            ['groups', 'group'],
          ]
        : [
            ['groups', 'group'],
            ['controls', 'control'],
          ];
  let sortOrder = 0;
  for (const [key, kind] of lists) {
    const items = walk.reader.array(owner, key, path);
    if (items.length === 0) continue;
    if (depth > FRAMEWORK_LIMITS.maxDepth) {
      walk.reader.fail(`${path}.${key}`, `Nested more than ${FRAMEWORK_LIMITS.maxDepth} levels deep.`);
      continue;
    }
    items.forEach((value, index) => {
      sortOrder += 1;
      readEntry(walk, { value, path: `${path}.${key}[${index}]`, kind, parent, depth, scope, sortOrder });
    });
  }
}

function readEntry(walk: Walk, entry: Entry): void {
  const { reader } = walk;
  if (walk.tooMany) return;
  if (walk.controls.length >= FRAMEWORK_LIMITS.maxControls) {
    walk.tooMany = true;
    reader.fail(
      entry.path,
      `More than ${FRAMEWORK_LIMITS.maxControls} controls and groups; the rest is not read.`,
    );
    return;
  }
  const node = reader.object(entry.value, entry.path);
  if (!node) return;
  const props = propsOf(node);
  const label = labelOf(props);
  const id = cleanText(reader.string(node, 'id', entry.path, entry.kind === 'control' || !label));
  const rawTitle = reader.string(node, 'title', entry.path, true);
  const scope = ParamScope.declare(entry.scope, node, entry.path, reader);
  const unknown = {
    add: (param: string) => walk.unknownParams.has(param) || walk.unknownParams.set(param, entry.path),
  };
  const title = rawTitle === undefined ? undefined : cleanText(resolveProse(rawTitle, scope, unknown));
  if (rawTitle !== undefined && !title) reader.fail(`${entry.path}.title`, 'Must not be empty.');
  const refId = label ?? id?.toUpperCase();
  if (!refId || !title) {
    // Read on, so that one pass reports the mistakes further down too.
    const placeholder: ControlDefinition = { refId: '', title: '', sortOrder: 0, kind: entry.kind };
    readChildren(walk, node, entry.path, placeholder, entry.depth + 1, scope);
    return;
  }

  const text = readParts(node, entry.path, scope, reader, unknown);
  const withdrawn = props.some((prop) => prop.name === 'status' && prop.value.toLowerCase() === 'withdrawn');
  const control: ControlDefinition = {
    refId,
    title,
    ...(text.description ? { description: text.description } : {}),
    ...(text.guidance ? { guidance: text.guidance } : {}),
    ...(entry.parent?.refId ? { parentRefId: entry.parent.refId } : {}),
    sortOrder: entry.sortOrder,
    kind: entry.kind,
    ...(withdrawn ? { withdrawn: true } : {}),
    ...(id && id !== refId ? { sourceId: id } : {}),
  };
  walk.controls.push(control);
  walk.paths.push(entry.path);
  readChildren(walk, node, entry.path, control, entry.depth + 1, scope);
}

const CONTROL_FIELD_PATH: Partial<Record<keyof ControlDefinition, string>> = {
  title: 'title',
  sourceId: 'id',
  description: 'parts',
  guidance: 'parts',
};

const METADATA_PATH: Record<FrameworkField, string> = {
  key: 'uuid',
  name: 'metadata.title',
  version: 'metadata.version',
  publisher: 'metadata.parties',
  description: 'metadata.remarks',
};

/** Where a framework field comes from in an OSCAL catalog or profile. */
export const oscalMetadataPath = (root: 'catalog' | 'profile', key: FrameworkField) =>
  `${root}.${METADATA_PATH[key]}`;

function catalogLocator(paths: string[]): FrameworkLocator {
  return {
    control: (index, key) => {
      const base = paths[index] ?? 'catalog';
      const suffix = key && CONTROL_FIELD_PATH[key];
      return { path: suffix ? `${base}.${suffix}` : base };
    },
    framework: (key) => ({ path: oscalMetadataPath('catalog', key) }),
  };
}
