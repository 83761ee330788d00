import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from './client';

/**
 * Which tables changed since a value was read, for caches kept until their tables change (list
 * totals, signed-in sessions).
 *
 * Every write goes through the audit write path, which reports the tables it changed once the
 * transaction commits (`noteTablesChanged`); on a PostgreSQL server it also announces them with
 * NOTIFY, so that the other instances of the application hear of them too. A cache stores the
 * `changeStamp` of its tables read *before* the value was computed, and serves the value only while
 * the stamp is the same: a change committed meanwhile makes it stale.
 */

const CHANNEL = 'opsdeck_table_changes';

/** Per table, how many committed changes this process has heard of. */
const generations = new Map<string, number>();
/**
 * Bumped whenever a listener connects or loses its connection: while not hearing, changes may be
 * missed, so nothing stamped before may be served after.
 */
let epoch = 0;
/**
 * On a server, each application listens for the other instances' changes (see below): values are
 * cached only while every listener is connected.
 */
let listeners = 0;
let connectedListeners = 0;

function generationOf(table: string): number {
  return generations.get(table) ?? 0;
}

/**
 * The state of `tables` as this process knows it, or undefined when it cannot know (a listener is
 * not connected): then nothing may be cached.
 */
export function changeStamp(tables: readonly string[]): string | undefined {
  if (connectedListeners !== listeners) return undefined;
  let sum = 0;
  for (const table of tables) sum += generationOf(table);
  return `${epoch}:${sum}`;
}

/** How many committed changes this process has heard of, per table (a copy). */
export function tableGenerations(): Map<string, number> {
  return new Map(generations);
}

/** Tables whose rows changed in a committed transaction: values read before are stale. */
export function noteTablesChanged(tables: Iterable<string>): void {
  for (const table of tables) generations.set(table, generationOf(table) + 1);
}

/**
 * On a server, tells the other instances which tables this transaction changed; they forget what
 * they cached of them when it commits (NOTIFY is delivered on commit, and dropped on rollback).
 */
export async function announceTableChanges(db: Db, tables: ReadonlySet<string>): Promise<void> {
  if (listeners === 0 || tables.size === 0) return;
  await db.execute(sql`select pg_notify(${CHANNEL}, ${[...tables].join(',')})`);
}

/**
 * On a PostgreSQL server: listens for the changes other instances commit. Until the listening
 * connection is open, and whenever it is lost, nothing is cached and every stamp taken before is
 * stale (nothing heard is not the same as nothing changed); the connection is opened again.
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
  epoch += 1;
  const lost = () => {
    if (client) connectedListeners -= 1;
    client = null;
    epoch += 1;
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
    epoch += 1;
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
