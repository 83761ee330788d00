import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, openTestDatabase, testConfig } from '../../test/harness';
import { buildApp } from './app';
import { ensureFirstAdministrator } from './bootstrap';
import { ConfigError } from './config';
import type { Database } from './db/client';

let database: Database | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  database = undefined;
});

async function count(db: Database, table: string): Promise<number> {
  const result = (await db.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
    rows: Array<{ n: number }>;
  };
  return result.rows[0]!.n;
}

describe('the first administrator', () => {
  it('refuses a configured password that breaks the password rules, and creates nothing', async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-boot-'));
    const config = testConfig(dataDir, {
      adminEmail: 'admin@example.com',
      adminPassword: 'admin-password-123',
    });
    await expect(ensureFirstAdministrator(database, config, () => {})).rejects.toThrow(ConfigError);
    await expect(ensureFirstAdministrator(database, config, () => {})).rejects.toThrow(
      /OPSDECK_ADMIN_PASSWORD/,
    );
    expect(await count(database, 'users')).toBe(0);
    expect(await count(database, 'user_credentials')).toBe(0);
  });

  it('is created once, with a generated password printed once, and can sign in with it', async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-boot-'));
    const config = testConfig(dataDir);
    const printed: string[] = [];
    await ensureFirstAdministrator(database, config, (message) => printed.push(message));
    await ensureFirstAdministrator(database, config, (message) => printed.push(message));
    expect(printed).toHaveLength(1);
    const password = /password: (\S+)/.exec(printed[0]!)?.[1];
    expect(password).toBeDefined();
    const app = await buildApp({ config, database, logger: false });
    try {
      const login = await new Client(app).login('admin@opsdeck.local', password!);
      expect(login.statusCode).toBe(200);
      expect(login.json().session.user.role).toBe('admin');
    } finally {
      await app.close();
    }
  });
});
