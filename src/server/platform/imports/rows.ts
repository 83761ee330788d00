import { sameValue } from '../audit/canonical';
import { validateCustomFields } from '../custom-fields/custom-fields.service';
import type { CustomFieldDefinition } from '../custom-fields/custom-fields.table';
import type { ServiceContext } from '../http/context';
import { type FieldError, HttpProblem } from '../http/problem';
import type { ImportAdapter } from './adapter';
import {
  type DateFormat,
  type Parsed,
  parseAmount,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseEnum,
  parseInteger,
  parseText,
} from './coerce';
import type { ImportColumn } from './columns';
import type { CsvRecord } from './csv-parser';
import type { Resolution } from './references';
import type { Problems } from './report';

/** Rows of a file on their way to the table: cells to values, then the entity's own rules. */

export type Row = Record<string, unknown> & { id: string; version: number };

export interface RowState {
  /** Position among the data rows. */
  index: number;
  /** The record's own id, when the file gives one (an export does). */
  id?: string;
  /** The file's row number, for the report. */
  row: number;
  /** Field values as read from the cells (before the contract). */
  input: Record<string, unknown>;
  customFields?: Record<string, unknown>;
  /** Reference column → the cell's text (null: empty). */
  referenceText: Record<string, string | null>;
  /** Reference column → the id it resolved to (null: empty). */
  references: Record<string, string | null>;
  resolutions: Record<string, Resolution>;
  /** The record this row updates; absent for a new one. */
  current?: Row;
  /** What to write: the values of a new record, or the changed fields of an existing one. */
  values?: Record<string, unknown>;
  /** A problem was found: the row is not written (its other checks still run, to list them all). */
  failed: boolean;
  /** Fields a problem was reported for already (`customFields.<key>` for custom fields). */
  reported: Set<string>;
  /** Which record the row is for is unclear (a repeated key): the entity's rules are not run. */
  unmatched?: boolean;
}

/** Records a problem of a row: it will not be written, and the field is not reported twice. */
export function reportProblem(
  state: RowState,
  problems: Problems,
  column: string,
  field: string,
  message: string,
): void {
  state.failed = true;
  state.reported.add(field);
  problems.add(state.row, column, message);
}

/** The field an error path names (`customFields.colour` for a custom field). */
const fieldOf = (path: string) =>
  path
    .split('.')
    .slice(0, path.startsWith('customFields.') ? 2 : 1)
    .join('.');

export const isEmpty = (text: string | undefined) => text === undefined || text.trim() === '';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function coerceCell(column: ImportColumn, text: string, dateFormat: DateFormat): Parsed<unknown> {
  switch (column.kind) {
    case 'integer':
      return parseInteger(text);
    case 'number': {
      const parsed = parseDecimal(text);
      return 'error' in parsed ? parsed : { value: Number(parsed.value) };
    }
    case 'amount':
      return parseAmount(text);
    case 'boolean':
      return parseBoolean(text);
    case 'date':
      return parseDate(text, dateFormat);
    case 'enum':
      return parseEnum(text, column.values ?? [], column.valueLabels ?? []);
    default:
      return { value: parseText(text) };
  }
}

/**
 * One record's cells as values of the columns they feed. An empty cell clears a value that may be
 * empty and leaves any other (a name, a flag, a status) as it is.
 */
export function readRow(
  record: CsvRecord,
  index: number,
  header: string[],
  columns: Array<ImportColumn | undefined>,
  dateFormat: DateFormat,
  problems: Problems,
): RowState {
  const state: RowState = {
    index,
    row: record.row,
    input: {},
    referenceText: {},
    references: {},
    resolutions: {},
    failed: false,
    reported: new Set(),
  };
  const fail = (column: ImportColumn, i: number, message: string) => {
    const field = column.customField ? `customFields.${column.customField.key}` : column.name;
    reportProblem(state, problems, header[i]!.trim() || `column ${i + 1}`, field, message);
  };
  if (record.cells.slice(header.length).some((cell) => !isEmpty(cell))) {
    const extra = `column ${header.length + 1}`;
    reportProblem(
      state,
      problems,
      extra,
      extra,
      `has more cells than the header has columns (${header.length})`,
    );
  }
  for (const [i, column] of columns.entries()) {
    if (!column) continue;
    const text = record.cells[i] ?? '';
    if (column.name === 'id') {
      if (UUID.test(text.trim())) state.id = text.trim().toLowerCase();
      else if (!isEmpty(text)) fail(column, i, 'is not an id: leave it empty for a new record');
      continue;
    }
    if (column.reference) {
      state.referenceText[column.name] = isEmpty(text) ? null : text;
      continue;
    }
    let value: unknown = null;
    if (!isEmpty(text)) {
      const parsed = coerceCell(column, text, dateFormat);
      if ('error' in parsed) {
        fail(column, i, parsed.error);
        continue;
      }
      value = parsed.value;
    } else if ((!column.customField && !column.nullable) || column.writeOnly) {
      // Left out: the contract says whether the record needs it (a new one does, an update not);
      // a secret nobody sees is never cleared by a cell left empty.
      continue;
    }
    if (column.customField) {
      state.customFields ??= {};
      state.customFields[column.customField.key] = value;
    } else state.input[column.name] = value;
  }
  return state;
}

type PathError = FieldError;

/**
 * One row as the API would take it: the create or update contract, the adapter's rules, the
 * entity's hooks and its custom field rules. Sets `state.values`: everything for a new record,
 * only what really changes for an existing one (nothing: the row is unchanged).
 */
export async function checkRow(
  ctx: ServiceContext,
  adapter: ImportAdapter,
  state: RowState,
  customFields: CustomFieldDefinition[],
): Promise<PathError[]> {
  // A field whose cell was already refused is missing from the row: not a second problem.
  const errors = await checkRules(ctx, adapter, state, customFields);
  return errors.filter((error) => !state.reported.has(fieldOf(error.path)));
}

async function checkRules(
  ctx: ServiceContext,
  adapter: ImportAdapter,
  state: RowState,
  customFields: CustomFieldDefinition[],
): Promise<PathError[]> {
  const def = adapter.entity;
  const current = state.current;
  const body: Record<string, unknown> = { ...state.input };
  if (state.customFields) body.customFields = state.customFields;
  const parsed = (current ? def.update : def.create).safeParse(body);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.join('.') || '(row)',
      // A field no column gave: say so, rather than "expected string, received undefined".
      message:
        issue.path.length === 1 && body[String(issue.path[0])] === undefined ? 'is required' : issue.message,
    }));
  }
  const input = parsed.data as Record<string, unknown>;
  const errors: PathError[] = [...(adapter.rules?.({ input, current, references: state.references }) ?? [])];
  // References checked for the whole file: the hooks' rule (exists; archived only where it already is).
  const withheld: Record<string, unknown> = {};
  for (const reference of adapter.references ?? []) {
    if (reference.helper || !(reference.field in input)) continue;
    const resolution = state.resolutions[reference.field];
    if (
      resolution &&
      'id' in resolution &&
      resolution.isArchived &&
      resolution.id !== current?.[reference.field]
    ) {
      errors.push({ path: reference.field, message: 'is archived' });
    }
    if (reference.checkedInBulk) {
      withheld[reference.field] = input[reference.field];
      delete input[reference.field];
    }
  }
  let values: Record<string, unknown>;
  try {
    const hooks = def.hooks;
    const hooked = current
      ? hooks?.beforeUpdate
        ? await hooks.beforeUpdate(ctx, current as never, input as never)
        : input
      : hooks?.beforeCreate
        ? await hooks.beforeCreate(ctx, input as never)
        : input;
    values = { ...hooked, ...withheld };
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return [...errors, ...(error.errors ?? [{ path: '(row)', message: error.detail ?? error.title }])];
  }
  if (def.features.customFields && (!current || input.customFields !== undefined)) {
    const result = validateCustomFields(
      customFields,
      input.customFields as Record<string, unknown> | undefined,
      (current?.customFields as Record<string, unknown> | undefined) ?? {},
    );
    errors.push(...result.errors);
    values.customFields = result.values;
  }
  if (errors.length > 0 || state.failed) return errors;
  const defined = Object.entries(values).filter(([, value]) => value !== undefined);
  state.values = Object.fromEntries(
    current
      ? defined.filter(([field, value]) => field !== 'id' && !sameValue(current[field], value))
      : defined,
  );
  return [];
}
