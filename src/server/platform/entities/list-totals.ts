import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { changeStamp } from '../../db/table-changes';

/**
 * List totals (and page anchors, below), kept until their table changes.
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

/** Where a row stands in a list: its position (0-based) and its sort key (the sort value as text, and id). */
export interface PageAnchor {
  position: number;
  value: string;
  id: string;
}

interface AnchorEntry {
  stamp: string;
  at: number;
  byPosition: Map<number, PageAnchor>;
}

const MAX_ANCHOR_LISTS = 500;
const MAX_ANCHORS_PER_LIST = 2_000;
const anchorsByDatabase = new WeakMap<object, Map<string, AnchorEntry>>();

/**
 * Page anchors, kept until their table changes: where the last row of each page served stands.
 *
 * A deep page of a list (`page=200`) makes PostgreSQL walk and skip every index entry before it:
 * on a list of 12,000 assets, page 200 cost three times page 1. Once a page has been served, the
 * sort key of its last row is kept; a later request for a page after it seeks to that key through
 * the index and skips only the rows between (none when it is the next page, as when paging on).
 * Kept as totals are: only while the table is unchanged since (so positions still hold), never
 * inside a transaction, and not for lists filtered on an expression; the caller keeps them only
 * for a sort on a column that is never null (a null has no place in a key comparison).
 */
export function pageAnchors(
  db: Db,
  table: string,
  key: string,
): { before(offset: number): PageAnchor | undefined; remember(anchor: PageAnchor): void } {
  const stamp = changeStamp([table]);
  if (stamp === undefined || is(db, PgTransaction)) return { before: () => undefined, remember: () => {} };
  let cache = anchorsByDatabase.get(db);
  if (!cache) {
    cache = new Map();
    anchorsByDatabase.set(db, cache);
  }
  const lists = cache;
  const cacheKey = `${table}\u0000${key}`;
  const current = () => {
    const entry = lists.get(cacheKey);
    return entry && entry.stamp === stamp && Date.now() - entry.at < MAX_AGE_MS ? entry : undefined;
  };
  return {
    /** The anchor nearest before the row at `offset`, if any is known. */
    before(offset) {
      const entry = current();
      if (!entry || offset === 0) return undefined;
      const next = entry.byPosition.get(offset - 1);
      if (next) return next;
      let best: PageAnchor | undefined;
      for (const anchor of entry.byPosition.values())
        if (anchor.position < offset && (!best || anchor.position > best.position)) best = anchor;
      return best;
    },
    remember(anchor) {
      // A change committed while the page was read: its positions may already be stale.
      if (changeStamp([table]) !== stamp) return;
      let entry = current();
      if (!entry) {
        entry = { stamp, at: Date.now(), byPosition: new Map() };
        lists.delete(cacheKey);
        lists.set(cacheKey, entry);
        if (lists.size > MAX_ANCHOR_LISTS) lists.delete(lists.keys().next().value as string);
      }
      if (entry.byPosition.size >= MAX_ANCHORS_PER_LIST) return;
      entry.byPosition.set(anchor.position, anchor);
    },
  };
}
