import type { FrameworkParseResult } from '../framework-model';
import { parseFrameworkCsv } from './csv';
import { field, isObject } from './json-read';
import { parseJsonText } from './json-text';
import { parseOscalCatalog } from './oscal-catalog';
import { parseSimpleFrameworkJson } from './simple-json';

/**
 * One entry point for every framework document format. Readers never touch the database and never
 * throw: they answer a framework, or the problems located in the document.
 */

export { parseFrameworkCsv, toFrameworkCsv } from './csv';
export { parseOscalCatalog } from './oscal-catalog';
export { OSCAL_VERSION, type OscalCatalogDocument, toOscalCatalog } from './oscal-export';
export { applyOscalProfile } from './oscal-profile';
export { parseSimpleFrameworkJson, type SimpleFrameworkJson, toSimpleFrameworkJson } from './simple-json';

export type FrameworkFormat = 'oscal' | 'json' | 'csv';
export const FRAMEWORK_FORMATS: readonly FrameworkFormat[] = ['oscal', 'json', 'csv'];

export interface FrameworkDocumentInput {
  text?: string;
  bytes?: Uint8Array;
  /** An already parsed JSON value (OSCAL or simple JSON only). */
  json?: unknown;
  /** The framework's name, for CSV files, which carry none. */
  name?: string;
}

export function parseFrameworkDocument(
  format: FrameworkFormat,
  input: FrameworkDocumentInput,
): FrameworkParseResult {
  if (format === 'csv') {
    const bytes =
      input.bytes ?? (input.text !== undefined ? new TextEncoder().encode(input.text) : undefined);
    if (!bytes) return missingDocument();
    return parseFrameworkCsv(bytes, { name: input.name });
  }
  let value = input.json;
  if (value === undefined) {
    const text = input.text ?? (input.bytes ? decodeUtf8(input.bytes) : undefined);
    if (text === undefined) return missingDocument();
    const parsed = parseJsonText(text);
    if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
    value = parsed.value;
  }
  if (format === 'json') return parseSimpleFrameworkJson(value);
  if (isObject(value) && field(value, 'catalog') === undefined && field(value, 'profile') !== undefined) {
    return {
      ok: false,
      problems: [
        {
          path: 'profile',
          message:
            'This is an OSCAL profile: it selects controls from a catalog. Install the catalog it imports first, then apply the profile to it.',
        },
      ],
    };
  }
  return parseOscalCatalog(value);
}

const missingDocument = (): FrameworkParseResult => ({
  ok: false,
  problems: [{ path: '$', message: 'No document was given.' }],
});

/** JSON files are UTF-8 (RFC 8259); bytes that are not become U+FFFD and then a JSON problem. */
function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
