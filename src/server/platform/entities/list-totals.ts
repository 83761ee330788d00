import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Db } from '../../db/client';

/**
 * List totals, kept until their table changes.
 *
 * A list page walks an index and stops after its rows, but its total counts every matching row:
 * once a table holds tens of thousands of rows, that count is most of what a list request costs
 * the database. Every write goes through the audit write path, which reports the tables it
 * changed once the transaction commits; a total computed before the last reported change of its
 * table is never served again. On a PostgreSQL server the write path also announces its changes
 * with NOTIFY, so that the other instances of the application forget their totals too.
 *
 * Totals read inside a transaction are never kept: that transaction may see its own uncommitted
 * writes. Lists whose filter depends on the clock (a licence's derived "expired") are not cached
 * either; the caller says so.
 */

const MAX_ENTRIES = 2_000;
/** A safety net against a change this process did not hear of (a lost NOTIFY connection). */
const MAX_AGE_MS = 60_000;
const CHANNEL = 'opsdeck_table_changes';

interface Entry {
  generation: number;
  total: number;
  at: number;
}

/** Per table, how many committed changes this process has heard of. */
const generations = new Map<string, number>();
/** Per database handle, so two applications in one process (tests) never share totals. */
let cachesByDatabase = new WeakMap<object, Map<string, Entry>>();
/**
 * On a server, each application listens for the other instances' changes (see below): totals are
 * kept only while every listener is connected, and the write path announces its own changes.
 */
let listeners = 0;
let connectedListeners = 0;
const hearing = () => connectedListeners === listeners;

function generationOf(table: string): number {
  return generations.get(table) ?? 0;
}

/** Tables whose rows changed in a committed transaction: totals counted before are stale. */
export function noteTablesChanged(tables: Iterable<string>): void {
  for (const table of tables) generations.set(table, generationOf(table) + 1);
}

/**
 * On a server, tells the other instances which tables this transaction changed; their totals of
 * those tables go when it commits (NOTIFY is delivered on commit, and dropped on rollback).
 */
export async function announceTableChanges(db: Db, tables: ReadonlySet<string>): Promise<void> {
  if (listeners === 0 || tables.size === 0) return;
  await db.execute(sql`select pg_notify(${CHANNEL}, ${[...tables].join(',')})`);
}

/**
 * The total of a list as last counted, if nothing has changed its table since, and how to keep a
 * fresh count. `key` must identify the query exactly (SQL text and parameters).
 */
export function listTotal(
  db: Db,
  table: string,
  key: string,
): { known: number | undefined; remember(total: number): void } {
  if (!hearing() || is(db, PgTransaction)) return { known: undefined, remember: () => {} };
  let cache = cachesByDatabase.get(db);
  if (!cache) {
    cache = new Map();
    cachesByDatabase.set(db, cache);
  }
  const entries = cache;
  const cacheKey = `${table}\u0000${key}`;
  // The generation is read before counting: a change committed meanwhile makes the count stale.
  const generation = generationOf(table);
  const remember = (total: number) => {
    entries.delete(cacheKey);
    entries.set(cacheKey, { generation, total, at: Date.now() });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  };
  const found = entries.get(cacheKey);
  if (found && found.generation === generation && Date.now() - found.at < MAX_AGE_MS) {
    // Recently used entries are evicted last: the map's order is the eviction order.
    entries.delete(cacheKey);
    entries.set(cacheKey, found);
    return { known: found.total, remember };
  }
  return { known: undefined, remember };
}

/**
 * On a PostgreSQL server: listens for the changes other instances commit. Until the listening
 * connection is open, and whenever it is lost, nothing is cached and every total is forgotten
 * (nothing heard is not the same as nothing changed); the connection is opened again.
 * Returns a function that stops listening.
 */
export function listenForTableChanges(
  connectionString: string,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  listeners += 1;
  const lost = () => {
    if (client) connectedListeners -= 1;
    client = null;
    cachesByDatabase = new WeakMap();
  };
  const retryLater = () => {
    if (!stopped && !retry) retry = setTimeout(() => void connect(), 1_000);
  };
  const connect = async () => {
    retry = undefined;
    // Keep-alive probes notice a connection that died silently (no error, no end).
    const next = new pg.Client({ connectionString, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    next.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) noteTablesChanged(message.payload.split(','));
    });
    next.on('error', (error) => {
      onError(error);
      if (client === next) lost();
      void next.end().catch(() => {});
      retryLater();
    });
    // A connection closed by the server (a restart, an idle timeout) ends without an error.
    next.on('end', () => {
      if (client !== next) return;
      lost();
      retryLater();
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
    } catch (error) {
      onError(error);
      void next.end().catch(() => {});
      retryLater();
      return;
    }
    if (stopped) {
      void next.end().catch(() => {});
      return;
    }
    client = next;
    connectedListeners += 1;
    cachesByDatabase = new WeakMap();
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const open = client;
    lost();
    listeners -= 1;
    await open?.end().catch(() => {});
  };
}
