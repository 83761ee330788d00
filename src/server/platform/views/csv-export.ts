import type { PgTable } from 'drizzle-orm/pg-core';
import { loadCustomFieldDefinitions } from '../custom-fields/custom-fields.service';
import { prepareListQuery, rowSelection, withDerivedValues } from '../entities/entity.service';
import type { ListQueryBase } from '../entities/list-query';
import type { EntityDefinition } from '../entities/registry';
import type { ServiceContext } from '../http/context';
import { HttpProblem } from '../http/problem';

/**
 * CSV export of a list: the rows the list's query matches (search, filters, sort, archived), every
 * one of them, in the list's order and in the shape the list API gives them.
 */

/** More rows than this are refused (narrow the filter) rather than silently cut short. */
export const MAX_EXPORT_ROWS = 50_000;
const BATCH_SIZE = 1000;

/** A cell starting with one of these is read as a formula by spreadsheets (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break; text formulas defused. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = FORMULA_START.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export interface CsvExport {
  filename: string;
  body: string;
  rows: number;
}

/**
 * Reads every matching row in batches inside one read-only, repeatable-read transaction, so the
 * export is one consistent snapshot even while others write. Each row goes through the entity's
 * response schema (the whitelist of what leaves the server); custom fields become `cf.<key>`
 * columns. The body starts with a UTF-8 byte order mark so that spreadsheets read accents right.
 */
export async function exportEntitiesCsv(
  ctx: ServiceContext,
  def: EntityDefinition,
  query: ListQueryBase & Record<string, unknown>,
  maxRows = MAX_EXPORT_ROWS,
): Promise<CsvExport> {
  // Paging parameters are accepted (a list URL can be exported as it is) and ignored.
  const { where, orderBy } = await prepareListQuery(ctx, def, query);
  const table = def.table as PgTable;
  const fields = Object.keys(def.record.shape).filter((field) => field !== 'customFields');
  return ctx.db.transaction(
    async (db) => {
      const total = await db.$count(table, where);
      if (total > maxRows) {
        throw new HttpProblem(
          422,
          'Export too large',
          `${total} ${def.labels.plural.toLowerCase()} match; at most ${maxRows} can be exported at once. Narrow the search or filters.`,
          undefined,
          { total, limit: maxRows },
        );
      }
      const custom = def.features.customFields ? await loadCustomFieldDefinitions(db, def.entityType) : [];
      const chunks = [`\uFEFF${csvLine([...fields, ...custom.map((d) => `cf.${d.key}`)])}`];
      let count = 0;
      while (count < total) {
        const selected = await db
          .select(rowSelection(def))
          .from(table)
          .where(where)
          .orderBy(...orderBy)
          .limit(BATCH_SIZE)
          .offset(count);
        const rows = selected.map(withDerivedValues);
        for (const row of rows) {
          const record = def.record.parse(def.toRecord(row as never)) as Record<string, unknown>;
          const values = (record.customFields ?? {}) as Record<string, unknown>;
          chunks.push(csvLine([...fields.map((f) => record[f]), ...custom.map((d) => values[d.key])]));
        }
        count += rows.length;
        if (rows.length < BATCH_SIZE) break;
      }
      const day = new Date().toISOString().slice(0, 10);
      return { filename: `${def.path}-${day}.csv`, body: chunks.join(''), rows: count };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
