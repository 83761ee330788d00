import type {
  ControlDefinition,
  FrameworkDefinition,
  FrameworkFormatProblem,
  FrameworkParseResult,
} from '../framework-model';
import { type FrameworkLocator, finishFramework, neverThrow } from './framework-checks';
import { field, isObject, type JsonObject, JsonReader } from './json-read';
import { oscalMetadataPath, readOscalMetadata } from './oscal-catalog';

/**
 * An OSCAL profile (a baseline such as NIST's LOW) applied to an installed catalog: the controls
 * it includes, less those it excludes, plus their ancestors (groups, parent controls) so the
 * hierarchy stays whole. An ancestor is kept even when the profile excludes it, since its
 * selected children need it. `merge` and `modify` (set-parameters, alters) are not applied: the
 * catalog's prose is used as it is, and a warning says so.
 */

interface Selection {
  indexes: Set<number>;
  /** Controls whose child controls come along (`with-child-controls: yes`). */
  withChildren: Set<number>;
}

export function applyOscalProfile(profileDoc: unknown, catalog: FrameworkDefinition): FrameworkParseResult {
  return neverThrow(() => applyProfile(profileDoc, catalog));
}

function applyProfile(profileDoc: unknown, catalog: FrameworkDefinition): FrameworkParseResult {
  const problems: FrameworkFormatProblem[] = [];
  const warnings: FrameworkFormatProblem[] = [];
  const reader = new JsonReader(problems);
  const root = reader.object(profileDoc, '$');
  if (!root) return { ok: false, problems };
  const profile = reader.object(field(root, 'profile'), 'profile');
  if (!profile) return { ok: false, problems };
  const key = reader.string(profile, 'uuid', 'profile', true);
  const metadata = readOscalMetadata(profile, 'profile', reader);
  const imports = reader.array(profile, 'imports', 'profile', true);
  if (Array.isArray(field(profile, 'imports')) && imports.length === 0) {
    reader.fail('profile.imports', 'Must list at least one import.');
  }

  const lookup = indexCatalog(catalog.controls);
  const included: Selection = { indexes: new Set(), withChildren: new Set() };
  const excluded: Selection = { indexes: new Set(), withChildren: new Set() };
  imports.forEach((item, index) => {
    const at = `profile.imports[${index}]`;
    const entry = reader.object(item, at);
    if (!entry) return;
    const includeAll = field(entry, 'include-all');
    const hasIncludes = field(entry, 'include-controls') !== undefined;
    if (includeAll !== undefined || !hasIncludes) {
      if (includeAll === undefined) {
        warnings.push({ path: at, message: 'The import names no controls; every control is included.' });
      }
      catalog.controls.forEach((_control, i) => {
        included.indexes.add(i);
      });
    }
    const select = (key: string, into: Selection) =>
      reader.array(entry, key, at).forEach((rule, ruleIndex) => {
        const ruleAt = `${at}.${key}[${ruleIndex}]`;
        const object = reader.object(rule, ruleAt);
        if (object) readRule(object, ruleAt, lookup, into, reader, warnings);
      });
    select('include-controls', included);
    select('exclude-controls', excluded);
  });
  if (field(profile, 'modify') !== undefined) {
    warnings.push({
      path: 'profile.modify',
      message: 'Parameter settings and alterations are not applied; the catalog text is used as it is.',
    });
  }

  const children = childrenOf(catalog.controls, lookup.byRefId);
  expandChildren(included, children);
  expandChildren(excluded, children);
  const kept = new Set([...included.indexes].filter((index) => !excluded.indexes.has(index)));
  if (problems.length === 0 && kept.size === 0) {
    reader.fail('profile.imports', 'The profile selects no control of the catalog.');
  }
  // Ancestors, walking up until one that is already kept: linear over the whole catalog.
  for (const index of [...kept]) {
    let parent = lookup.byRefId.get(catalog.controls[index]!.parentRefId ?? '');
    while (parent !== undefined && !kept.has(parent)) {
      kept.add(parent);
      parent = lookup.byRefId.get(catalog.controls[parent]!.parentRefId ?? '');
    }
  }
  const selected = catalog.controls.filter((_control, index) => kept.has(index));
  const framework: FrameworkDefinition = {
    key: key?.trim() ?? '',
    name: metadata.name ?? '',
    ...(metadata.version ? { version: metadata.version } : {}),
    ...((metadata.publisher ?? catalog.publisher)
      ? { publisher: metadata.publisher ?? catalog.publisher }
      : {}),
    ...(metadata.description ? { description: metadata.description } : {}),
    controls: selected.map((control) => ({ ...control })),
  };
  const locate: FrameworkLocator = {
    control: (index) => ({ path: `catalog control ${selected[index]?.refId ?? index}` }),
    framework: (name) => ({ path: oscalMetadataPath('profile', name) }),
  };
  return finishFramework(framework, locate, problems, warnings);
}

interface CatalogLookup {
  byId: Map<string, number>;
  byRefId: Map<string, number>;
}

/** OSCAL ids are matched against `sourceId`, and against the lower-cased refId when there is none. */
function indexCatalog(controls: ControlDefinition[]): CatalogLookup {
  const byId = new Map<string, number>();
  const byRefId = new Map<string, number>();
  controls.forEach((control, index) => {
    byRefId.set(control.refId, index);
    const id = control.sourceId ?? control.refId.toLowerCase();
    if (!byId.has(id)) byId.set(id, index);
  });
  return { byId, byRefId };
}

function readRule(
  rule: JsonObject,
  path: string,
  lookup: CatalogLookup,
  into: Selection,
  reader: JsonReader,
  warnings: FrameworkFormatProblem[],
): void {
  const withChildren = field(rule, 'with-child-controls') === 'yes';
  const add = (index: number) => {
    into.indexes.add(index);
    if (withChildren) into.withChildren.add(index);
  };
  reader.array(rule, 'with-ids', path).forEach((id, index) => {
    const at = `${path}.with-ids[${index}]`;
    if (typeof id !== 'string') {
      reader.fail(at, 'Must be a control id.');
      return;
    }
    const found = lookup.byId.get(id) ?? lookup.byId.get(id.toLowerCase());
    if (found === undefined) warnings.push({ path: at, message: `The catalog has no control "${id}".` });
    else add(found);
  });
  reader.array(rule, 'matching', path).forEach((matching, index) => {
    const pattern = isObject(matching) ? field(matching, 'pattern') : undefined;
    if (typeof pattern !== 'string') {
      reader.fail(`${path}.matching[${index}].pattern`, 'Must be a pattern such as "ac-*".');
      return;
    }
    let matched = false;
    for (const [id, found] of lookup.byId) {
      if (matchesGlob(pattern, id)) {
        add(found);
        matched = true;
      }
    }
    if (!matched)
      warnings.push({ path: `${path}.matching[${index}]`, message: `No control matches "${pattern}".` });
  });
}

/**
 * OSCAL `matching` patterns: `*` any run of characters, `?` one character, case-insensitive. The
 * classic two-pointer match, so a hostile pattern costs at most id × pattern steps (a regex could
 * backtrack exponentially).
 */
export function matchesGlob(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (i < t.length) {
    if (j < p.length && (p[j] === '?' || p[j] === t[i])) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      resume = i;
    } else if (star !== -1) {
      j = star + 1;
      i = ++resume;
    } else return false;
  }
  while (p[j] === '*') j++;
  return j === p.length;
}

function childrenOf(controls: ControlDefinition[], byRefId: Map<string, number>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  controls.forEach((control, index) => {
    const parent = byRefId.get(control.parentRefId ?? '');
    if (parent === undefined || control.kind !== 'control') return;
    const list = children.get(parent);
    if (list) list.push(index);
    else children.set(parent, [index]);
  });
  return children;
}

/** Adds the child controls (at any depth) of the rules that asked for them. */
function expandChildren(selection: Selection, children: Map<number, number[]>): void {
  const stack = [...selection.withChildren];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (selection.withChildren.has(child)) continue;
      selection.withChildren.add(child);
      selection.indexes.add(child);
      stack.push(child);
    }
  }
}
