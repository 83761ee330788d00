import type {
  ControlDefinition,
  FrameworkDefinition,
  FrameworkFormatProblem,
  FrameworkParseResult,
} from '../framework-model';
import { FRAMEWORK_LIMITS } from '../framework-model';
import {
  cleanText,
  type FrameworkLocator,
  finishFramework,
  neverThrow,
  siblingCounter,
} from './framework-checks';
import { inTreeOrder } from './framework-tree';
import { field, JsonReader } from './json-read';

/**
 * The flat JSON shape open-source compliance tools share (`{ id, name, controls: [{ id, name }] }`,
 * e.g. SOC 2 and ISO 27001 lists): a list of controls, each naming its `parent` by id.
 *
 * Every item is a `control` unless it says `"kind": "group"`; having children does not make an
 * item a group, since ISO clauses such as 9.2 are requirements with sub-requirements, not
 * headings. Optional keys this reader also takes (and the writer writes): `publisher`,
 * `guidance`, `kind`, `withdrawn`, `sourceId`. Other keys (`logo`…) are ignored.
 *
 * Such lists often hold the requirement's whole text in `name` (SOC 2's P2.1 runs to 652
 * characters). A name longer than a title may be, on an item without a description, becomes the
 * description, and the title its first sentence (or its start, cut at a word), with a warning.
 */

type SimpleControl = {
  id: string;
  name: string;
  description?: string;
  guidance?: string;
  parent?: string;
  kind?: 'group';
  withdrawn?: true;
  sourceId?: string;
};

export interface SimpleFrameworkJson {
  id: string;
  name: string;
  version?: string;
  publisher?: string;
  description?: string;
  controls: SimpleControl[];
}

const CONTROL_KEYS: Partial<Record<keyof ControlDefinition, string>> = {
  refId: 'id',
  title: 'name',
  parentRefId: 'parent',
};

export function parseSimpleFrameworkJson(doc: unknown): FrameworkParseResult {
  return neverThrow(() => readSimpleJson(doc));
}

function readSimpleJson(doc: unknown): FrameworkParseResult {
  const problems: FrameworkFormatProblem[] = [];
  const warnings: FrameworkFormatProblem[] = [];
  const reader = new JsonReader(problems, { numbersAsText: true });
  const root = reader.object(doc, '$');
  if (!root) return { ok: false, problems };
  const items = reader.array(root, 'controls', '$', true);
  if (items.length > FRAMEWORK_LIMITS.maxControls) {
    return {
      ok: false,
      problems: [
        {
          path: 'controls',
          message: `The framework has ${items.length} controls; at most ${FRAMEWORK_LIMITS.maxControls} are allowed.`,
        },
      ],
    };
  }
  const controls: ControlDefinition[] = [];
  const paths: string[] = [];
  const nextSortOrder = siblingCounter();
  items.forEach((item, index) => {
    const at = `controls[${index}]`;
    const object = reader.object(item, at);
    if (!object) return;
    const refId = cleanText(reader.string(object, 'id', at, true));
    const name = cleanText(reader.string(object, 'name', at, true));
    const kind = field(object, 'kind');
    if (kind !== undefined && kind !== 'group' && kind !== 'control') {
      reader.fail(`${at}.kind`, 'Must be "group" or "control".');
    }
    const parentRefId = cleanText(reader.string(object, 'parent', at));
    const given = cleanText(reader.string(object, 'description', at));
    const longName = name !== undefined && name.length > FRAMEWORK_LIMITS.titleLength && !given;
    const title = longName ? shortTitle(name) : name;
    const description = longName ? name : given;
    if (longName) {
      warnings.push({
        path: `${at}.name`,
        message: 'The name is long: it is kept as the description, shortened as the title.',
      });
    }
    const guidance = cleanText(reader.string(object, 'guidance', at));
    const sourceId = cleanText(reader.string(object, 'sourceId', at));
    const withdrawn = reader.boolean(object, 'withdrawn', at);
    if (!refId || !title) return;
    controls.push({
      refId,
      title,
      ...(description ? { description } : {}),
      ...(guidance ? { guidance } : {}),
      ...(parentRefId ? { parentRefId } : {}),
      sortOrder: nextSortOrder(parentRefId),
      kind: kind === 'group' ? 'group' : 'control',
      ...(withdrawn ? { withdrawn: true } : {}),
      ...(sourceId && sourceId !== refId ? { sourceId } : {}),
    });
    paths.push(at);
  });
  const framework: FrameworkDefinition = {
    key: cleanText(reader.string(root, 'id', '$', true)) ?? '',
    name: cleanText(reader.string(root, 'name', '$', true)) ?? '',
    controls,
  };
  for (const key of ['version', 'publisher', 'description'] as const) {
    const value = cleanText(reader.string(root, key, '$'));
    if (value) framework[key] = value;
  }
  const locate: FrameworkLocator = {
    control: (index, key) => {
      const base = paths[index] ?? 'controls';
      const name = key && (CONTROL_KEYS[key] ?? key);
      return { path: name ? `${base}.${name}` : base };
    },
    framework: (key) => ({ path: key === 'key' ? 'id' : key }),
  };
  return finishFramework(framework, locate, problems, warnings);
}

/** The first sentence when it fits a title, else the text cut at a word, with an ellipsis. */
export function shortTitle(text: string): string {
  const max = FRAMEWORK_LIMITS.titleLength;
  const sentence = /^.+?[.!?](?=\s|$)/s.exec(text)?.[0];
  if (sentence && sentence.length <= max) return sentence;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The framework in the same flat shape, parents before their children and siblings by
 * `sortOrder`, so that reading it back gives the same hierarchy and order.
 */
export function toSimpleFrameworkJson(def: FrameworkDefinition): SimpleFrameworkJson {
  return {
    id: def.key,
    name: def.name,
    ...(def.version ? { version: def.version } : {}),
    ...(def.publisher ? { publisher: def.publisher } : {}),
    ...(def.description ? { description: def.description } : {}),
    controls: inTreeOrder(def.controls).map((control) => ({
      id: control.refId,
      name: control.title,
      ...(control.description ? { description: control.description } : {}),
      ...(control.guidance ? { guidance: control.guidance } : {}),
      ...(control.parentRefId ? { parent: control.parentRefId } : {}),
      ...(control.kind === 'group' ? { kind: 'group' as const } : {}),
      ...(control.withdrawn ? { withdrawn: true as const } : {}),
      ...(control.sourceId ? { sourceId: control.sourceId } : {}),
    })),
  };
}
