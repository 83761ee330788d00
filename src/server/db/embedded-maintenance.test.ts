import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildUser } from '../../../test/factories';
import { sharedTestContext } from '../../../test/harness';
import { queryRows } from './client';
import { startEmbeddedMaintenance, vacuumAnalyze } from './embedded-maintenance';
import { noteTablesChanged } from './table-changes';

const t = sharedTestContext();

/** When `table` was last vacuumed and analysed by hand (not by autovacuum), as the statistics say. */
async function lastVacuumed(table: string) {
  await t.database.db.execute(sql`select pg_stat_clear_snapshot()`);
  const [row] = await queryRows<{ vacuumed: string | null; analysed: string | null }>(
    t.database.db,
    sql`select last_vacuum as vacuumed, last_analyze as analysed from pg_stat_user_tables where relname = ${table}`,
  );
  return row!;
}

describe('embedded maintenance', () => {
  it('vacuums and analyses the whole database, or the tables named', async () => {
    await buildUser(t);
    await vacuumAnalyze(t.database, ['users']);
    const users = await lastVacuumed('users');
    expect(users.vacuumed).not.toBeNull();
    expect(users.analysed).not.toBeNull();
    expect((await lastVacuumed('groups')).vacuumed).toBeNull();
    await vacuumAnalyze(t.database);
    expect((await lastVacuumed('groups')).vacuumed).not.toBeNull();
  });

  it('passes over the tables changed since the last pass, and only those', async () => {
    const errors: unknown[] = [];
    const stop = startEmbeddedMaintenance(t.database, (error) => errors.push(error), 50);
    try {
      const before = (await lastVacuumed('tags')).vacuumed;
      noteTablesChanged(['tags']);
      await expect
        .poll(async () => (await lastVacuumed('tags')).vacuumed, { timeout: 5_000 })
        .not.toBe(before);
      const once = (await lastVacuumed('tags')).vacuumed;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await lastVacuumed('tags')).vacuumed).toBe(once);
      expect(errors).toEqual([]);
    } finally {
      await stop();
    }
  });
});
