import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { tableGenerations } from './table-changes';

/**
 * Vacuum and statistics for embedded PostgreSQL.
 *
 * A PostgreSQL server vacuums and analyses its tables by itself (autovacuum); PGlite runs no
 * background workers, so nobody does. Without statistics the planner guesses, and the trigram
 * indexes of free-text search keep every new entry in their pending list, which each search then
 * reads in full and which makes the planner think the index dear: on 10,000 people a search scanned
 * the whole table (8 ms in PGlite) instead of using its index (1.4 ms once vacuumed).
 *
 * So in embedded mode OpsDeck does it: the whole database once at start, before serving, then every
 * few minutes the tables this process changed since (while it runs, it is the only writer of its
 * data directory). The pass at start is the catch-all: PGlite keeps no count of changes across a
 * restart, and the rows written since the last pass (by a run stopped before its next one, or by
 * the command line) are unknown; the statistics themselves are kept. A pass holds PGlite while it
 * runs, as every query does; on a server this is never started.
 */

export const MAINTENANCE_INTERVAL_MS = 5 * 60_000;

/** VACUUM (ANALYZE) of `tables` (quoted names), or of the whole database when none are named. */
export async function vacuumAnalyze(database: Database, tables?: readonly string[]): Promise<void> {
  if (!tables) {
    await database.db.execute(sql`vacuum (analyze)`);
    return;
  }
  for (const table of tables) await database.db.execute(sql`vacuum (analyze) ${sql.identifier(table)}`);
}

/**
 * Every `intervalMs`, vacuums and analyses the tables changed since the previous pass. Returns a
 * function that stops it (and waits for a pass under way).
 */
export function startEmbeddedMaintenance(
  database: Database,
  onError: (error: unknown) => void,
  intervalMs = MAINTENANCE_INTERVAL_MS,
): () => Promise<void> {
  let seen = tableGenerations();
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      const now = tableGenerations();
      const changed = [...now].filter(([table, generation]) => seen.get(table) !== generation);
      seen = now;
      if (changed.length > 0)
        await vacuumAnalyze(
          database,
          changed.map(([table]) => table),
        ).catch(onError);
    });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
