import { FRAMEWORK_LIMITS } from '../framework-model';
import { field, isObject, type JsonObject, type JsonReader } from './json-read';

/**
 * OSCAL prose as people read it: `{{ insert: param, ac-1_prm_1 }}` placeholders become the
 * parameter's values, `[Selection (one or more): a; b]` or `[Assignment: label]` (as NIST prints
 * its catalogs), and statement parts become one line per item with its label, indented by depth.
 */

interface OscalParam {
  label?: string;
  values: string[];
  select?: { howMany: 'one' | 'one-or-more'; choices: string[] };
}

/** Parameters visible at one level: its own, then its ancestors' (control, groups, catalog). */
export class ParamScope {
  private readonly params = new Map<string, OscalParam>();
  constructor(private readonly parent?: ParamScope) {}

  /** Reads `params` of `owner` at `path`; answers this scope, or the parent when there are none. */
  static declare(
    parent: ParamScope | undefined,
    owner: JsonObject,
    path: string,
    reader: JsonReader,
  ): ParamScope {
    const list = reader.array(owner, 'params', path);
    if (list.length === 0) return parent ?? new ParamScope();
    const scope = new ParamScope(parent);
    list.forEach((item, index) => {
      const at = `${path}.params[${index}]`;
      const param = reader.object(item, at);
      const id = param && reader.string(param, 'id', at, true);
      if (!param || !id) return;
      const select = field(param, 'select');
      const declared: OscalParam = {
        label: reader.string(param, 'label', at),
        values: reader.strings(param, 'values', at),
        ...(isObject(select)
          ? {
              select: {
                howMany: field(select, 'how-many') === 'one-or-more' ? 'one-or-more' : 'one',
                choices: reader.strings(select, 'choice', `${at}.select`),
              },
            }
          : {}),
      };
      scope.params.set(id, declared);
      // NIST catalogs name a parameter by its alternative id in some prose (`ac-1_prm_2`).
      for (const prop of propsOf(param)) {
        if (prop.name === 'alt-identifier' && !scope.params.has(prop.value))
          scope.params.set(prop.value, declared);
      }
    });
    return scope;
  }

  lookup(id: string): OscalParam | undefined {
    for (let scope: ParamScope | undefined = this; scope; scope = scope.parent) {
      const found = scope.params.get(id);
      if (found) return found;
    }
    return undefined;
  }
}

const PLACEHOLDER = /\{\{\s*insert:\s*([\w-]+)\s*,\s*([^\s{}]+)\s*\}\}/g;
/** A parameter's text may insert other parameters; deeper than this (or a loop) stops there. */
const MAX_NESTING = 4;
/**
 * Characters one text may grow to through parameters: hostile choices inserting choices would
 * otherwise multiply at each level. Past it, parameters are shown by label without expanding.
 */
const EXPANSION_BUDGET = 2 * FRAMEWORK_LIMITS.textLength;

/** Where placeholders naming no declared parameter are reported (a Set will do). */
export interface UnknownParams {
  add(id: string): unknown;
}

/** Text with every placeholder replaced; no `{{` survives, whatever the input holds. */
export function resolveProse(text: string, scope: ParamScope, unknown?: UnknownParams): string {
  return stripTemplateBraces(expand(text, scope, unknown, 0, { remaining: EXPANSION_BUDGET }));
}

function expand(
  text: string,
  scope: ParamScope,
  unknown: UnknownParams | undefined,
  nesting: number,
  budget: { remaining: number },
): string {
  return text.replace(PLACEHOLDER, (_match, type: string, id: string) => {
    const param = type === 'param' ? scope.lookup(id) : undefined;
    if (!param) {
      unknown?.add(id);
      return `[Assignment: ${id}]`;
    }
    // The label as plain text: inner placeholders become the ids they name.
    const label = param.label?.replace(PLACEHOLDER, (_inner, _type, innerId: string) => innerId) ?? id;
    if (nesting >= MAX_NESTING || budget.remaining <= 0) return `[Assignment: ${label}]`;
    const inner = (value: string) => expand(value, scope, unknown, nesting + 1, budget).trim();
    let out: string;
    if (param.values.length > 0) out = param.values.map(inner).join(', ');
    else if (param.select) {
      const many = param.select.howMany === 'one-or-more' ? 'one or more' : 'one';
      out = `[Selection (${many}): ${param.select.choices.map(inner).join('; ')}]`;
    } else out = `[Assignment: ${param.label ? inner(param.label) : id}]`;
    budget.remaining -= out.length;
    return out;
  });
}

/** Anything still shaped like a placeholder is shown as an assignment; stray `{{` lose a brace. */
function stripTemplateBraces(text: string): string {
  if (!text.includes('{{')) return text;
  return text
    .replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, inner: string) => `[Assignment: ${inner}]`)
    .replace(/\{{2,}/g, '{');
}

export interface OscalProp {
  name: string;
  value: string;
  class?: string;
  ns?: string;
}

/** The well-formed `props` of an object; malformed entries are left out (they carry no meaning we use). */
export function propsOf(owner: JsonObject): OscalProp[] {
  const props = field(owner, 'props');
  if (!Array.isArray(props)) return [];
  const out: OscalProp[] = [];
  for (const prop of props) {
    if (!isObject(prop)) continue;
    const name = field(prop, 'name');
    const value = field(prop, 'value');
    if (typeof name !== 'string' || typeof value !== 'string') continue;
    const cls = field(prop, 'class');
    const ns = field(prop, 'ns');
    out.push({
      name,
      value,
      ...(typeof cls === 'string' ? { class: cls } : {}),
      ...(typeof ns === 'string' ? { ns } : {}),
    });
  }
  return out;
}

const OSCAL_NS = 'http://csrc.nist.gov/ns/oscal';

/**
 * The `label` prop: NIST gives several (`AC-01` zero-padded, `AC-1`, `AC-01` for 800-53A); the one
 * without a class in the OSCAL namespace is the label people use, else the first one.
 */
export function labelOf(props: OscalProp[]): string | undefined {
  const labels = props.filter(
    (prop) => prop.name === 'label' && (prop.ns === undefined || prop.ns === OSCAL_NS),
  );
  return (labels.find((prop) => prop.class === undefined) ?? labels[0])?.value.trim() || undefined;
}

const DESCRIPTION_PARTS = new Set(['statement', 'overview', 'description']);
const GUIDANCE_PARTS = new Set(['guidance', 'discussion']);
/** Parts inside parts deeper than this are refused: no real catalog comes close. */
const MAX_PART_DEPTH = 12;

/**
 * `description` from statement (or a group's overview) parts, `guidance` from guidance or
 * discussion parts. Assessment objectives and methods (SP 800-53A) are left out: they are a
 * separate assessment procedure, several times longer than the control itself.
 */
export function readParts(
  owner: JsonObject,
  path: string,
  scope: ParamScope,
  reader: JsonReader,
  unknown: UnknownParams,
): { description?: string; guidance?: string } {
  const description: string[] = [];
  const guidance: string[] = [];
  reader.array(owner, 'parts', path).forEach((item, index) => {
    const at = `${path}.parts[${index}]`;
    const part = reader.object(item, at);
    const name = part && reader.string(part, 'name', at);
    if (!part || !name) return;
    const target = DESCRIPTION_PARTS.has(name)
      ? description
      : GUIDANCE_PARTS.has(name)
        ? guidance
        : undefined;
    if (!target) return;
    const lines: string[] = [];
    const prose = reader.string(part, 'prose', at);
    if (prose) lines.push(resolveProse(prose, scope, unknown).trim());
    renderItems(part, at, 0, { scope, reader, unknown, lines });
    const text = lines.filter((line) => line.trim() !== '').join('\n');
    if (text) target.push(text);
  });
  return {
    ...(description.length > 0 ? { description: description.join('\n\n') } : {}),
    ...(guidance.length > 0 ? { guidance: guidance.join('\n\n') } : {}),
  };
}

interface RenderState {
  scope: ParamScope;
  reader: JsonReader;
  unknown: UnknownParams;
  lines: string[];
}

/** Each nested part on its own line(s): `a. text`, its sub-items two spaces further in. */
function renderItems(parent: JsonObject, path: string, depth: number, state: RenderState): void {
  const parts = state.reader.array(parent, 'parts', path);
  if (parts.length === 0) return;
  if (depth >= MAX_PART_DEPTH) {
    state.reader.fail(`${path}.parts`, `Parts are nested more than ${MAX_PART_DEPTH} levels deep.`);
    return;
  }
  const indent = '  '.repeat(depth);
  parts.forEach((item, index) => {
    const at = `${path}.parts[${index}]`;
    const part = state.reader.object(item, at);
    if (!part) return;
    const label = labelOf(propsOf(part));
    const prose = state.reader.string(part, 'prose', at);
    const text = prose ? resolveProse(prose, state.scope, state.unknown).trim() : '';
    const line = [label, text].filter(Boolean).join(' ');
    if (line) state.lines.push(line.replace(/^/gm, indent));
    renderItems(part, at, depth + 1, state);
  });
}
