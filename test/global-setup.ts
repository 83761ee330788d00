import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPglite, openDatabase, openPglite } from '../src/server/db/client';
import { migrateDatabase } from '../src/server/db/migrate';

/**
 * Migrates one template database per run; each test file then gets its own copy, so files run
 * in parallel without sharing state. On a server: CREATE DATABASE … TEMPLATE (fast). On PGlite:
 * a dump of the migrated data directory, loaded into a fresh in-memory instance.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `opsdeck_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 2 });
    await migrateDatabase(database);
    await database.close();
    project.provide('databaseTemplate', { kind: 'server', serverUrl, name: template });
    return async () => {
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname like 'opsdeck_t_${process.pid}_%' or datname = '${template}'`,
      );
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like 'opsdeck_t_${process.pid}_%'`,
      );
      for (const row of rows) await admin.query(`drop database if exists ${row.datname}`);
      await admin.query(`drop database if exists ${template}`);
      await admin.end();
    };
  }
  const client = await createPglite();
  const database = openPglite(client);
  await migrateDatabase(database);
  const dump = await client.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `opsdeck-template-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  project.provide('databaseTemplate', { kind: 'pglite', file });
  return async () => {};
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: { kind: 'server'; serverUrl: string; name: string } | { kind: 'pglite'; file: string };
  }
}
