import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Rows carried inside JSON, so that one statement can bring back several tables' rows at once (a
 * record's links, tags and attachments; the labels of records of several types), and turned back
 * into the rows Drizzle would have returned, by the columns' own decoders.
 *
 * Only columns with a faithful JSON form travel: text, numbers, booleans, dates and timestamps,
 * JSON and arrays. Numerics travel as text (JSON numbers would lose their scale). Anything else
 * (binary, encrypted custom types) is left out of the row, undefined: these rows serve reads such
 * as labels, which never need them, and a secret column is never copied into a JSON value.
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
  'PgArray',
]);

interface Carried {
  key: string;
  column: PgColumn;
}
const carriedColumns = new WeakMap<PgTable, Carried[]>();

function carried(table: PgTable): Carried[] {
  let list = carriedColumns.get(table);
  if (!list) {
    list = Object.entries(getTableColumns(table) as Record<string, PgColumn>)
      .filter(([, column]) => JSON_SAFE.has(column.columnType))
      .map(([key, column]) => ({ key, column }));
    carriedColumns.set(table, list);
  }
  return list;
}

/**
 * The current row of `table` (which the surrounding query reads, unaliased) as one JSON object
 * keyed by column name; numerics as text.
 */
export function jsonRowOf(table: PgTable): SQL {
  const fields = carried(table).map(({ column }) =>
    column.columnType === 'PgNumeric'
      ? sql`${column}::text as ${sql.identifier(column.name)}`
      : sql`${column} as ${sql.identifier(column.name)}`,
  );
  return sql`(select to_jsonb(r) from (select ${sql.join(fields, sql`, `)}) r)`;
}

/** A row written by `jsonRowOf`, decoded as Drizzle decodes `table`'s columns. */
export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const { key, column } of carried(table)) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}
