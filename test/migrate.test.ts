import os from 'node:os';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/server/db/client';
import { migrateDatabase } from '../src/server/db/migrate';

const template = inject('databaseTemplate');

describe('migrations', () => {
  it.runIf(template.kind === 'server')('apply once when two instances start together', async () => {
    if (template.kind !== 'server') return;
    const name = `opsdeck_migrate_${process.pid}`;
    const admin = new pg.Client({ connectionString: template.serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const url = new URL(template.serverUrl);
    url.pathname = `/${name}`;
    const first = await openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 2 });
    const second = await openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 2 });
    try {
      await Promise.all([migrateDatabase(first), migrateDatabase(second)]);
      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      const applied = await check.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      const tables = await check.query(
        "select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name in ('users', 'audit_log')",
      );
      await check.end();
      expect(tables.rows[0].n).toBe(2);
      expect(applied.rows[0].n).toBeGreaterThanOrEqual(3);
      // Applying again is a no-op.
      await migrateDatabase(first);
    } finally {
      await first.close();
      await second.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
