import { desc, getTableColumns, getTableName, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client';
import { recordsAsOf } from '../../platform/audit/as-of';
import type { EntityDefinition } from '../../platform/entities/registry';
import type { ServiceContext } from '../../platform/http/context';

type Row = Record<string, unknown> & { id: string };

/**
 * The records of `def` that matched `where` at a past moment, newest `date` first, at most
 * `limit`: each record rebuilt from the audit log as it stood then (`recordsAsOf`), and the same
 * SQL condition a live query uses applied to those rows (a record set shaped like the table and
 * named like it, so the condition's columns resolve to it). Conditions that read other tables
 * read them as they are now; generated columns (search documents) are empty.
 */
export async function matchingRecordsAsOf(
  ctx: ServiceContext,
  def: EntityDefinition,
  at: Date,
  where: SQL | undefined,
  date: PgColumn,
  limit: number,
): Promise<Row[]> {
  const then = await recordsAsOf(ctx, def, at);
  if (then.size === 0) return [];
  const columns = Object.entries(getTableColumns(def.table)).filter(([, column]) => !column.generated);
  const rows = [...then.values()].map((row) =>
    Object.fromEntries(
      // Secrets are redacted in the log: they are no part of a match.
      columns.map(([key, column]) => [column.name, row[key] === '[redacted]' ? null : (row[key] ?? null)]),
    ),
  );
  const table = sql.identifier(getTableName(def.table));
  const found = await queryRows<{ id: string }>(
    ctx.db,
    sql`select ${table}."id" from json_populate_recordset(null::${table}, ${JSON.stringify(rows)}::json) as ${table} where ${where ?? sql`true`} order by ${desc(date)} limit ${limit}`,
  );
  return found.map(({ id }) => then.get(id)!);
}
