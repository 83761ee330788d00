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

/** A safety net against a change this process did not hear of. */
const MAX_AGE_MS = 60_000;

interface Entry<V> {
  stamp: string;
  at: number;
  value: V;
}

interface Slot<V> {
  /** The value kept for the key, if its table has not changed since (and it is not too old). */
  value: V | undefined;
  /** Keeps `value` for the key, stamped as the table stood when the slot was taken. */
  store(value: V): void;
}

/**
 * Values kept per database handle (so two applications in one process, as in tests, never share
 * them) and key, until their table changes, at most `maxEntries` of them, least recently used
 * evicted first. A slot's stamp is read when it is taken, before the value is computed: a change
 * committed meanwhile makes what is stored stale, never served.
 */
function tableCache<V>(maxEntries: number) {
  const byDatabase = new WeakMap<object, Map<string, Entry<V>>>();
  return (db: Db, table: string, key: string): Slot<V> => {
    const stamp = changeStamp([table]);
    if (stamp === undefined || is(db, PgTransaction)) return { value: undefined, store: () => {} };
    let entries = byDatabase.get(db);
    if (!entries) {
      entries = new Map();
      byDatabase.set(db, entries);
    }
    const kept = entries;
    const cacheKey = `${table}\u0000${key}`;
    const found = kept.get(cacheKey);
    const fresh = found && found.stamp === stamp && Date.now() - found.at < MAX_AGE_MS;
    if (fresh) {
      // The map's order is the eviction order: a value used is evicted last.
      kept.delete(cacheKey);
      kept.set(cacheKey, found);
    }
    return {
      value: fresh ? found.value : undefined,
      store(value) {
        kept.delete(cacheKey);
        kept.set(cacheKey, { stamp, at: Date.now(), value });
        if (kept.size > maxEntries) kept.delete(kept.keys().next().value as string);
      },
    };
  };
}

const totals = tableCache<number>(2_000);

/**
 * The total of a list as last counted, if nothing has changed its table since, and how to keep a
 * fresh count. `key` must identify the rows counted exactly.
 */
export function listTotal(
  db: Db,
  table: string,
  key: string,
): { known: number | undefined; remember(total: number): void } {
  const slot = totals(db, table, key);
  return { known: slot.value, remember: (total) => slot.store(total) };
}

/** Where a row stands in a list: its position (0-based) and its sort key (the sort value as text, and id). */
export interface PageAnchor {
  position: number;
  value: string;
  id: string;
}

const MAX_ANCHORS_PER_LIST = 2_000;
const anchors = tableCache<Map<number, PageAnchor>>(500);

/**
 * Page anchors, kept as totals are: where the last row of each page served stands.
 *
 * A deep page of a list (`page=200`) makes PostgreSQL walk and skip every index entry before it:
 * on a list of 12,000 assets, page 200 cost three times page 1. Once a page has been served, the
 * sort key of its last row is kept; a later request for a page after it seeks to that key through
 * the index and skips only the rows between (none when it is the next page, as when paging on).
 * Kept only while the table is unchanged since (so positions still hold), never inside a
 * transaction, and not for lists filtered on an expression; the caller keeps them only for a sort
 * on a column that is never null (a null has no place in a key comparison).
 */
export function pageAnchors(
  db: Db,
  table: string,
  key: string,
): { before(offset: number): PageAnchor | undefined; remember(anchor: PageAnchor): void } {
  const slot = anchors(db, table, key);
  let kept = slot.value;
  return {
    /** The anchor nearest before the row at `offset`, if any is known. */
    before(offset) {
      if (!kept || offset === 0) return undefined;
      const next = kept.get(offset - 1);
      if (next) return next;
      let best: PageAnchor | undefined;
      for (const anchor of kept.values())
        if (anchor.position < offset && (!best || anchor.position > best.position)) best = anchor;
      return best;
    },
    remember(anchor) {
      if (!kept) {
        kept = new Map();
        slot.store(kept);
      }
      if (kept.size < MAX_ANCHORS_PER_LIST) kept.set(anchor.position, anchor);
    },
  };
}
