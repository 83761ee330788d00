import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import type { ServiceContext } from '../../platform/http/context';
import { HttpProblem } from '../../platform/http/problem';
import { readOrganization } from '../../platform/organization/organization.service';
import { csvLine } from '../../platform/views/csv-export';

/** Building blocks of the inventory reports: today's date, a page with its total, a CSV file. */

/** Today in the organisation's time zone (reports count days as its people do). */
export async function organizationToday(ctx: ServiceContext): Promise<string> {
  const { settings } = await readOrganization(ctx.db);
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: settings.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export interface Paged<R> {
  rows: R[];
  total: number;
}

/**
 * One page of `query`'s rows in `orderBy` order (which names the query's output columns), and how
 * many rows it has in all, in one statement: the total is counted beside the page, so an empty
 * page past the end still says how many there are.
 */
export async function pageRows<R extends Record<string, unknown>>(
  db: Db,
  query: SQL,
  orderBy: SQL,
  page: number,
  pageSize: number,
): Promise<Paged<R>> {
  const rows = await queryRows<R & { __total: number; __present: boolean | null }>(
    db,
    sql`with matched as (${query})
    select t.__total, p.* from (select count(*)::int as __total from matched) t
    left join lateral (
      select true as __present, m.* from matched m order by ${orderBy}
      limit ${pageSize} offset ${(page - 1) * pageSize}
    ) p on true`,
  );
  return {
    total: Number(rows[0]?.__total ?? 0),
    rows: rows
      .filter((row) => row.__present)
      .map(({ __total: _t, __present: _p, ...row }) => row as unknown as R),
  };
}

/** More rows than this in one CSV file are refused rather than cut short. */
export const MAX_CSV_ROWS = 200_000;
const FETCH_SIZE = 1000;

export interface CsvFile {
  filename: string;
  body: string;
  rows: number;
}

/**
 * Every row of `query` (already ordered) as CSV, read through a cursor in one read-only,
 * repeatable-read transaction: one consistent snapshot, sorted once, fetched a thousand rows at a
 * time. UTF-8 with a byte order mark, RFC 4180, text formulas defused (as the list exports).
 */
export async function csvFile<R extends Record<string, unknown>>(
  ctx: ServiceContext,
  filename: string,
  columns: ReadonlyArray<readonly [header: string, value: (row: R) => unknown]>,
  query: SQL,
): Promise<CsvFile> {
  return ctx.db.transaction(
    async (db) => {
      await db.execute(sql`declare report_rows no scroll cursor for ${query}`);
      const chunks = [`\uFEFF${csvLine(columns.map(([header]) => header))}`];
      let count = 0;
      for (;;) {
        const batch = await queryRows<R>(db, sql.raw(`fetch forward ${FETCH_SIZE} from report_rows`));
        for (const row of batch) chunks.push(csvLine(columns.map(([, value]) => value(row))));
        count += batch.length;
        if (count > MAX_CSV_ROWS) {
          throw new HttpProblem(
            422,
            'Export too large',
            `More than ${MAX_CSV_ROWS} rows; narrow the report.`,
            undefined,
            { limit: MAX_CSV_ROWS },
          );
        }
        if (batch.length < FETCH_SIZE) break;
      }
      return { filename, body: chunks.join(''), rows: count };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
