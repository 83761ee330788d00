import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { changeStamp } from '../../db/table-changes';

/**
 * List totals, kept until their table changes.
 *
 * A list page walks an index and stops after its rows, but its total counts every matching row:
 * once a table holds tens of thousands of rows, that count is most of what a list request costs
 * the database. A total is served again only while its table has not changed since it was
 * counted, as far as this process has heard (db/table-changes.ts: the write path reports every
 * committed change, and on a server the other instances announce theirs).
 *
 * Totals read inside a transaction are never kept: that transaction may see its own uncommitted
 * writes. Lists whose filter depends on the clock (a licence's derived "expired") are not cached
 * either; the caller says so.
 */

const MAX_ENTRIES = 2_000;
/** A safety net against a change this process did not hear of. */
const MAX_AGE_MS = 60_000;

interface Entry {
  stamp: string;
  total: number;
  at: number;
}

/** Per database handle, so two applications in one process (tests) never share totals. */
const cachesByDatabase = new WeakMap<object, Map<string, Entry>>();

/**
 * The total of a list as last counted, if nothing has changed its table since, and how to keep a
 * fresh count. `key` must identify the query exactly (SQL text and parameters).
 */
export function listTotal(
  db: Db,
  table: string,
  key: string,
): { known: number | undefined; remember(total: number): void } {
  // The stamp is read before counting: a change committed meanwhile makes the count stale.
  const stamp = changeStamp([table]);
  if (stamp === undefined || is(db, PgTransaction)) return { known: undefined, remember: () => {} };
  let cache = cachesByDatabase.get(db);
  if (!cache) {
    cache = new Map();
    cachesByDatabase.set(db, cache);
  }
  const entries = cache;
  const cacheKey = `${table}\u0000${key}`;
  const remember = (total: number) => {
    entries.delete(cacheKey);
    entries.set(cacheKey, { stamp, total, at: Date.now() });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  };
  const found = entries.get(cacheKey);
  if (found && found.stamp === stamp && Date.now() - found.at < MAX_AGE_MS) {
    // Recently used entries are evicted last: the map's order is the eviction order.
    entries.delete(cacheKey);
    entries.set(cacheKey, found);
    return { known: found.total, remember };
  }
  return { known: undefined, remember };
}
