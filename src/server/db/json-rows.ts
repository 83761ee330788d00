import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Rows carried inside JSON, so that one statement can bring back several tables' rows at once (a
 * record's links, tags and attachments; the labels of records of several types), and turned back
 * into the rows Drizzle would have returned, by the columns' own decoders.
 *
 * Only columns with a faithful JSON form travel: text, numbers, booleans, dates and timestamps,
 * JSON and arrays of text or numbers. Numerics travel as text (JSON numbers would lose their
 * scale). Anything else (binary, custom types) is left out of the row, undefined, and so are the
 * columns the caller names as secret (an entity's `secretFields`, such as a licence key's
 * ciphertext, which is plain text to the database): these rows serve reads such as labels, which
 * never need them, and a secret is never copied into a JSON value.
 */

const JSON_SAFE = new Set([
  'PgUUID',
  'PgText',
  'PgVarchar',
  'PgChar',
  'PgEnumColumn',
  'PgInteger',
  'PgSmallInt',
  'PgBigInt53',
  'PgSerial',
  'PgSmallSerial',
  'PgDoublePrecision',
  'PgReal',
  'PgBoolean',
  'PgNumeric',
  'PgDateString',
  'PgTimestamp',
  'PgJsonb',
  'PgJson',
]);
/** Array element types whose JSON form decodes back as the driver's would. */
const JSON_SAFE_ELEMENTS = new Set(['PgText', 'PgVarchar', 'PgUUID', 'PgInteger', 'PgSmallInt', 'PgBoolean']);

function travels(column: PgColumn): boolean {
  if (column.columnType === 'PgArray') {
    const base = (column as unknown as { baseColumn?: PgColumn }).baseColumn;
    return base !== undefined && JSON_SAFE_ELEMENTS.has(base.columnType);
  }
  return JSON_SAFE.has(column.columnType);
}

interface Carried {
  key: string;
  column: PgColumn;
}
const carriedColumns = new WeakMap<PgTable, Map<string, Carried[]>>();

function carried(table: PgTable, secret: readonly string[]): Carried[] {
  let byOmission = carriedColumns.get(table);
  if (!byOmission) {
    byOmission = new Map();
    carriedColumns.set(table, byOmission);
  }
  const omissionKey = secret.join(',');
  let list = byOmission.get(omissionKey);
  if (!list) {
    list = Object.entries(getTableColumns(table) as Record<string, PgColumn>)
      .filter(([key, column]) => travels(column) && !secret.includes(key))
      .map(([key, column]) => ({ key, column }));
    byOmission.set(omissionKey, list);
  }
  return list;
}

/**
 * The current row of `table` (which the surrounding query reads, unaliased) as one JSON object
 * keyed by column name; numerics as text; without the fields named in `secret`.
 */
export function jsonRowOf(table: PgTable, secret: readonly string[] = []): SQL {
  const fields = carried(table, secret).map(({ column }) =>
    column.columnType === 'PgNumeric'
      ? sql`${column}::text as ${sql.identifier(column.name)}`
      : sql`${column} as ${sql.identifier(column.name)}`,
  );
  return sql`(select to_jsonb(r) from (select ${sql.join(fields, sql`, `)}) r)`;
}

/** A row written by `jsonRowOf` (with the same `secret`), decoded as Drizzle decodes `table`'s columns. */
export function rowFromJson<T extends PgTable>(
  table: T,
  json: Record<string, unknown>,
  secret: readonly string[] = [],
): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const { key, column } of carried(table, secret)) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}
