import { parseBoolean, parseInteger, parseText } from '../../../platform/imports/coerce';
import { CsvLimitError, type CsvLimits, decodeCsv, parseCsv } from '../../../platform/imports/csv-parser';
import { csvLine } from '../../../platform/views/csv-export';
import {
  type ControlDefinition,
  FRAMEWORK_LIMITS,
  type FrameworkDefinition,
  type FrameworkFormatProblem,
  type FrameworkParseResult,
} from '../framework-model';
import {
  cleanText,
  type FrameworkLocator,
  finishFramework,
  neverThrow,
  siblingCounter,
} from './framework-checks';
import { inTreeOrder } from './framework-tree';

/**
 * A framework as a spreadsheet: one row per control or group, parents named by reference. Read
 * with the import CSV reader (byte order marks, `;` or tab delimiters, quoted line breaks) and
 * written as the list exports are (RFC 4180, formula guard, byte order mark).
 */

/** The columns, in the model's own names (which the writer uses), with the other names read. */
const COLUMN_ALIASES = {
  refId: ['id', 'ref', 'reference'],
  title: ['name'],
  description: [],
  guidance: [],
  parentRefId: ['parent', 'parentId'],
  kind: [],
  sortOrder: ['order', 'sort'],
  withdrawn: [],
  sourceId: [],
} as const satisfies Record<string, readonly string[]>;

type Column = keyof typeof COLUMN_ALIASES;
const COLUMNS = Object.keys(COLUMN_ALIASES) as Column[];

/** Header names compare without case, spaces, `_` or `-`: `Parent ID` is `parentid`. */
const headerKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

const COLUMN_BY_HEADER = new Map<string, Column>(
  COLUMNS.flatMap((column) =>
    [column, ...COLUMN_ALIASES[column]].map((name) => [headerKey(name), column] as const),
  ),
);

const CSV_LIMITS: CsvLimits = {
  maxRows: FRAMEWORK_LIMITS.maxControls,
  maxColumns: 50,
  maxCellLength: FRAMEWORK_LIMITS.textLength,
};

/**
 * Reads a framework CSV. A CSV carries no framework metadata: the name comes from `meta.name`
 * ("Imported framework" when absent) and the key is that name as a slug.
 */
export function parseFrameworkCsv(bytes: Uint8Array, meta: { name?: string }): FrameworkParseResult {
  return neverThrow(() => readCsv(bytes, meta));
}

function readCsv(bytes: Uint8Array, meta: { name?: string }): FrameworkParseResult {
  const problems: FrameworkFormatProblem[] = [];
  const warnings: FrameworkFormatProblem[] = [];
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(decodeCsv(bytes), CSV_LIMITS);
  } catch (error) {
    if (!(error instanceof CsvLimitError)) throw error;
    const row = error.row ?? 1;
    return { ok: false, problems: [{ path: `row ${row}`, row, message: error.message }] };
  }
  if (parsed.unclosedQuoteRow !== undefined) {
    const row = parsed.unclosedQuoteRow;
    problems.push({
      path: `row ${row}`,
      row,
      message: 'A quoted cell starting in this row is never closed.',
    });
  }

  const columnIndex = new Map<Column, number>();
  parsed.header.forEach((name, index) => {
    const column = COLUMN_BY_HEADER.get(headerKey(name));
    const at = { path: 'row 1', row: 1, field: name };
    if (!column) {
      if (name.trim()) warnings.push({ ...at, message: `The column "${name}" is not used.` });
    } else if (columnIndex.has(column)) {
      problems.push({ ...at, message: `The column "${name}" repeats the ${column} column.` });
    } else columnIndex.set(column, index);
  });
  for (const column of ['refId', 'title'] as const) {
    if (!columnIndex.has(column)) {
      problems.push({ path: 'row 1', row: 1, field: column, message: `The header has no ${column} column.` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const controls: ControlDefinition[] = [];
  const rows: number[] = [];
  const nextSortOrder = siblingCounter();
  for (const record of parsed.records) {
    const cell = (column: Column) => {
      const index = columnIndex.get(column);
      return index === undefined ? undefined : cleanText(parseText(record.cells[index] ?? ''));
    };
    const fail = (column: Column, message: string) =>
      problems.push({ path: `row ${record.row}`, row: record.row, field: column, message });
    const refId = cell('refId');
    const title = cell('title');
    if (!refId) fail('refId', 'The reference is required.');
    if (!title) fail('title', 'The title is required.');
    const kindText = cell('kind')?.toLowerCase();
    if (kindText && kindText !== 'group' && kindText !== 'control')
      fail('kind', 'Must be "group" or "control".');
    const sortText = cell('sortOrder');
    const sort = sortText ? parseInteger(sortText) : undefined;
    if (sort && 'error' in sort) fail('sortOrder', `The sort order ${sort.error}.`);
    const withdrawnText = cell('withdrawn');
    const withdrawn = withdrawnText ? parseBoolean(withdrawnText) : undefined;
    if (withdrawn && 'error' in withdrawn) fail('withdrawn', `Withdrawn ${withdrawn.error}.`);
    if (!refId || !title) continue;
    const parentRefId = cell('parentRefId');
    const description = cell('description');
    const guidance = cell('guidance');
    const sourceId = cell('sourceId');
    const position = nextSortOrder(parentRefId);
    controls.push({
      refId,
      title,
      ...(description ? { description } : {}),
      ...(guidance ? { guidance } : {}),
      ...(parentRefId ? { parentRefId } : {}),
      sortOrder: sort && 'value' in sort ? sort.value : position,
      kind: kindText === 'group' ? 'group' : 'control',
      ...(withdrawn && 'value' in withdrawn && withdrawn.value ? { withdrawn: true } : {}),
      ...(sourceId && sourceId !== refId ? { sourceId } : {}),
    });
    rows.push(record.row);
  }

  const name = cleanText(meta.name) ?? 'Imported framework';
  const framework: FrameworkDefinition = { key: slug(name), name, controls };
  const locate: FrameworkLocator = {
    control: (index, field) => {
      const row = rows[index] ?? 1;
      return { path: `row ${row}`, row, ...(field ? { field } : {}) };
    },
    framework: (field) => ({ path: 'file', field }),
  };
  return finishFramework(framework, locate, problems, warnings);
}

/** `NIST 800-53 (LOW)` → `nist-800-53-low`. */
function slug(name: string): string {
  const text = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text.slice(0, FRAMEWORK_LIMITS.nameLength) || 'imported-framework';
}

/** The framework as CSV text: byte order mark, header, one CRLF-terminated row per control, parents first. */
export function toFrameworkCsv(def: FrameworkDefinition): string {
  const lines = [`\uFEFF${csvLine([...COLUMNS])}`];
  for (const control of inTreeOrder(def.controls)) {
    lines.push(
      csvLine([
        control.refId,
        control.title,
        control.description,
        control.guidance,
        control.parentRefId,
        control.kind,
        control.sortOrder,
        control.withdrawn ? 'yes' : '',
        control.sourceId,
      ]),
    );
  }
  return lines.join('');
}
