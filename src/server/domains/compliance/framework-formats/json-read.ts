import type { FrameworkFormatProblem } from '../framework-model';

/**
 * Reading untrusted JSON values field by field: a value of the wrong type becomes a problem at its
 * path (`catalog.groups[2].title`) and the reader goes on, so one pass reports every mistake.
 */

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An own property only: `constructor` or `toString` on a document object is not a field. */
export const field = (object: JsonObject, key: string): unknown =>
  Object.hasOwn(object, key) ? object[key] : undefined;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

export class JsonReader {
  /** `numbersAsText`: hand-written formats often give ids as numbers; OSCAL's schema never does. */
  constructor(
    readonly problems: FrameworkFormatProblem[],
    private readonly options: { numbersAsText?: boolean } = {},
  ) {}

  fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** The object at `path`, or undefined (with a problem) when it is something else. */
  object(value: unknown, path: string): JsonObject | undefined {
    if (isObject(value)) return value;
    this.fail(path, `Must be an object, not ${describe(value)}.`);
    return undefined;
  }

  /** A string field (or a number, as its text, when the reader takes numbers as text). */
  string(object: JsonObject, key: string, path: string, required = false): string | undefined {
    const value = field(object, key);
    if (value === undefined || value === null) {
      if (required) this.fail(`${path}.${key}`, 'Is required.');
      return undefined;
    }
    if (typeof value === 'string') return value;
    if (this.options.numbersAsText && typeof value === 'number' && Number.isFinite(value))
      return String(value);
    this.fail(`${path}.${key}`, `Must be text, not ${describe(value)}.`);
    return undefined;
  }

  boolean(object: JsonObject, key: string, path: string): boolean | undefined {
    const value = field(object, key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.fail(`${path}.${key}`, `Must be true or false, not ${describe(value)}.`);
    return undefined;
  }

  /** A list field; absent means empty. */
  array(object: JsonObject, key: string, path: string, required = false): unknown[] {
    const value = field(object, key);
    if (value === undefined || value === null) {
      if (required) this.fail(`${path}.${key}`, 'Is required.');
      return [];
    }
    if (Array.isArray(value)) return value;
    this.fail(`${path}.${key}`, `Must be a list, not ${describe(value)}.`);
    return [];
  }

  /** The strings of a list field; other entries are problems. */
  strings(object: JsonObject, key: string, path: string): string[] {
    const out: string[] = [];
    this.array(object, key, path).forEach((item, index) => {
      if (typeof item === 'string') out.push(item);
      else this.fail(`${path}.${key}[${index}]`, `Must be text, not ${describe(item)}.`);
    });
    return out;
  }
}
