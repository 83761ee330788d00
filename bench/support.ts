/**
 * Shared by the benchmarks (`bench/run.ts`, `bench/web.ts`): the seeded database, the server
 * started as `npm start` runs it, and percentile statistics.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { serverNodeFlags } from '../scripts/node-flags.mjs';
import { ensureFirstAdministrator, systemContext } from '../src/server/bootstrap';
import { loadConfig } from '../src/server/config';
import type { Database } from '../src/server/db/client';
import { newId } from '../src/server/db/ids';
import { migrateDatabase } from '../src/server/db/migrate';
import { assets } from '../src/server/domains/assets/assets.table';
import type { FrameworkDefinition } from '../src/server/domains/compliance/framework-model';
import { complianceLinks, frameworkControls } from '../src/server/domains/compliance/frameworks.table';
import { installFramework } from '../src/server/domains/compliance/install-framework';
import { users } from '../src/server/domains/people/users.table';
import { entityDefinitions } from '../src/server/entities';
import { EntityRegistry } from '../src/server/platform/entities/registry';

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
    [...serverNodeFlags({ ...process.env, ...env }), 'dist/server/main.js'],
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

// ─── Shared by the domain benchmarks (assets, compliance) ───

/** Bulk inserts fixture rows, outside the write path (they are nobody's change). */
export async function insertMany<T extends PgTable>(database: Database, table: T, rows: T['$inferInsert'][]) {
  for (let start = 0; start < rows.length; start += 2000) {
    await database.db.insert(table).values(rows.slice(start, start + 2000));
  }
}

export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export interface Client {
  get(url: string): Promise<number>;
  post(url: string, body: unknown): Promise<{ ms: number; json: unknown }>;
  upload(url: string, csv: string): Promise<{ ms: number; status: number; json: unknown }>;
}

/**
 * GET requests on kept-alive sockets with node:http: the load client shares the two cores with the
 * server and PostgreSQL, and `fetch` costs it three times the CPU per request. Resolves with the
 * body; a status other than 200 is an error.
 */
export function lightGet(base: string, headers: Record<string, string>): (url: string) => Promise<Buffer> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return (url) =>
    new Promise((resolve, reject) => {
      const request = http.get(`${base}${url}`, { agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 200) resolve(Buffer.concat(chunks));
          else reject(new Error(`${url} → ${response.statusCode}`));
        });
        response.on('error', reject);
      });
      request.on('error', reject);
    });
}

export async function signIn(base: string): Promise<Client> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const session = (await login.json()) as { session?: { csrfToken?: string } };
  const csrf = session.session?.csrfToken ?? '';
  const headers = { cookie, 'x-csrf-token': csrf };
  const get = lightGet(base, headers);
  return {
    async get(url) {
      const started = performance.now();
      await get(url);
      return performance.now() - started;
    },
    async post(url, body) {
      const started = performance.now();
      const response = await fetch(`${base}${url}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`${url} → ${response.status} ${JSON.stringify(json)}`);
      return { ms: performance.now() - started, json };
    },
    async upload(url, csv) {
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'assets.csv');
      const started = performance.now();
      const response = await fetch(`${base}${url}`, { method: 'POST', headers, body: form });
      const json = await response.json();
      return { ms: performance.now() - started, status: response.status, json };
    },
  };
}

/** `workers` clients in parallel, each running `request(i)` back to back for `seconds`. */
export async function load(workers: number, seconds: number, request: (i: number) => Promise<number>) {
  const samples: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; performance.now() < deadline; i += workers) samples.push(await request(i));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { ...stats(samples), requestsPerSecond: Math.round(samples.length / elapsed) };
}

export const progress = (text: string) =>
  process.stdout.write(`  ${new Date().toISOString().slice(11, 19)} ${text}\n`);

const FAMILIES = 40;
const PER_FAMILY = 30;

/** A framework of FAMILIES groups × PER_FAMILY controls (1,200), as an import would read it. */
export function generatedFramework(key: string): FrameworkDefinition {
  const controls: FrameworkDefinition['controls'] = [];
  for (let f = 0; f < FAMILIES; f++) {
    const family = `F${String(f + 1).padStart(2, '0')}`;
    controls.push({ refId: family, title: `Family ${f + 1}`, kind: 'group', sortOrder: f + 1 });
    for (let c = 0; c < PER_FAMILY; c++) {
      controls.push({
        refId: `${family}-${c + 1}`,
        title: `Requirement ${c + 1} of family ${f + 1}`,
        description: `The organisation maintains control ${c + 1} of family ${f + 1} and keeps evidence of it.`,
        parentRefId: family,
        kind: 'control',
        sortOrder: c + 1,
      });
    }
  }
  return { key, name: `Bench framework ${key}`, version: '1', controls };
}

/**
 * A domain benchmark's main: builds the server, measures PGlite (and a PostgreSQL server when
 * BENCH_DATABASE_URL is set; BENCH_ONLY=server|pglite for one), writes bench/results/<name>.json
 * with each target's verdicts, and prints them.
 */
export function runDomainBenchmark<R extends { kind: string }>(
  name: string,
  measure: (kind: 'pglite' | 'server', serverUrl?: string) => Promise<R>,
  verdicts: (result: R) => string[],
): void {
  const main = async () => {
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
    const only = process.env.BENCH_ONLY;
    const results: R[] = [];
    if (only !== 'server') results.push(await measure('pglite'));
    const serverUrl = process.env.BENCH_DATABASE_URL;
    if (serverUrl && only !== 'pglite') results.push(await measure('server', serverUrl));
    const report = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      results: results.map((r) => ({ ...r, verdicts: verdicts(r) })),
    };
    const dir = path.join(ROOT, 'bench/results');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    for (const r of report.results) {
      process.stdout.write(`\n[${r.kind}]\n${r.verdicts.map((v) => `  ${v}`).join('\n')}\n`);
    }
    process.stdout.write(`\nWritten to bench/results/${name}.json\n`);
  };
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * What the compliance and audit benchmarks start from: `assetCount` assets, the generated
 * framework installed (1,200 controls), and `linkCount` evidence links from assets spread evenly
 * over its controls. Returns the service context, the framework's id, and the ids made.
 */
export async function seedLinkedFramework(
  database: Database,
  options: {
    key: string;
    assetCount: number;
    linkCount: number;
    tagPrefix: string;
    assetName: string;
    justification: string;
    stride: number;
  },
) {
  const ctx = { ...systemContext(database, 'bench'), registry: new EntityRegistry(entityDefinitions) };
  const assetIds = Array.from({ length: options.assetCount }, () => newId());
  await insertMany(
    database,
    assets,
    assetIds.map((id, i) => ({
      id,
      name: `${options.assetName} ${i}`,
      assetTag: `${options.tagPrefix}-${String(i).padStart(6, '0')}`,
    })),
  );
  const framework = await installFramework(ctx, generatedFramework(options.key), 'imported');
  const controlIds = (
    await database.db
      .select({ id: frameworkControls.id, kind: frameworkControls.kind })
      .from(frameworkControls)
  )
    .filter((c) => c.kind === 'control')
    .map((c) => c.id);
  const perControl = Math.ceil(options.linkCount / controlIds.length);
  await insertMany(
    database,
    complianceLinks,
    Array.from({ length: options.linkCount }, (_, n) => {
      const control = Math.floor(n / perControl);
      return {
        id: newId(),
        controlId: controlIds[control]!,
        linkableType: 'asset',
        linkableId: assetIds[(control * options.stride + (n % perControl)) % options.assetCount]!,
        justification: options.justification,
      };
    }),
  );
  return { ctx, frameworkId: framework.id, assetIds, controlIds };
}
