/**
 * Shared by the benchmarks (`bench/run.ts`, `bench/web.ts`): the seeded database, the server
 * started as `npm start` runs it, and percentile statistics.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { ensureFirstAdministrator } from '../src/server/bootstrap';
import { loadConfig } from '../src/server/config';
import type { Database } from '../src/server/db/client';
import { newId } from '../src/server/db/ids';
import { migrateDatabase } from '../src/server/db/migrate';
import { users } from '../src/server/domains/people/users.table';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const ADMIN = { email: 'bench-admin@example.test', password: 'bench-admin-password-123' };
export const USERS = 10_000;
export const DEPARTMENTS = [
  'Engineering',
  'Finance',
  'IT',
  'Security',
  'Sales',
  'People',
  'Operations',
  'Compliance',
];

export type Stats = { p50: number; p95: number; p99: number; max: number; count: number };
export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1)!),
    count: sorted.length,
  };
}

/** Migrates, creates the bench administrator and bulk-inserts users up to `USERS` in all. */
export async function seed(database: Database): Promise<void> {
  await migrateDatabase(database);
  const config = {
    ...loadConfig({ OPSDECK_DATA_DIR: os.tmpdir() }),
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
  };
  await ensureFirstAdministrator(database, config, () => {});
  const [{ count } = { count: 0 }] = await database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(users);
  // Bulk seed outside the write path: this is fixture data for a read benchmark, not a change.
  for (let done = count; done < USERS; done += 1000) {
    const batch = Array.from({ length: Math.min(1000, USERS - done) }, (_, i) => {
      const n = done + i;
      return {
        id: newId(),
        name: `Person ${String(n).padStart(5, '0')} ${['Smith', 'García', 'Okafor', 'Nowak', 'Kim'][n % 5]}`,
        email: `person${n}@bench.example`,
        department: DEPARTMENTS[n % DEPARTMENTS.length]!,
        jobTitle: `Role ${n % 40}`,
      };
    });
    await database.db.insert(users).values(batch);
  }
  await database.db.execute(sql`analyze`);
}

/**
 * The server as `npm start` runs it: the prebuilt bundle on plain Node. `ready` resolves with the
 * milliseconds until /readyz answered. With `onStdout`, the server's stdout (its JSON log) is
 * passed there instead of discarded.
 */
export function startServer(
  env: Record<string, string>,
  onStdout?: (chunk: Buffer) => void,
): { child: ChildProcess; ready: Promise<number> } {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=2', '--max-old-space-size=160', '--enable-source-maps', 'dist/server/main.js'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        OPSDECK_SECRET: 'bench-secret-bench-secret-bench-secret-42',
        ...env,
      },
      stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'inherit'],
    },
  );
  if (onStdout) child.stdout!.on('data', onStdout);
  const ready = (async () => {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${env.PORT}/readyz`);
        if (response.ok) return Math.round(performance.now() - started);
      } catch {}
      if (child.exitCode !== null) throw new Error('server exited during start');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return { child, ready };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A fresh database for one bench target: none for PGlite (it lives in the data directory), else a
 * new database named `<prefix>_<pid>` on the server, with the function that drops it afterwards.
 */
export async function benchDatabase(
  kind: 'pglite' | 'server',
  serverUrl: string | undefined,
  prefix: string,
): Promise<{ url: string | undefined; drop: () => Promise<void> }> {
  if (kind === 'pglite') return { url: undefined, drop: async () => {} };
  const name = `${prefix}_${process.pid}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`drop database if exists ${name} with (force)`);
  await run(`create database ${name}`);
  const parsed = new URL(serverUrl!);
  parsed.pathname = `/${name}`;
  return { url: parsed.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
