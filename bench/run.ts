/**
 * `npm run bench`: the foundation's performance budgets, measured on this machine.
 *   1. audit overhead: a PATCH through the whole app with its audit row and chain sealing, against
 *      the same PATCH with audit rows discarded in the database (budget ≤ 1.3×);
 *   2. a user list page of 50 out of 10,000, p99 while a second client browses the list too
 *      (budget < 30 ms); and, for information, while a heavy client searches and sorts;
 *   3. start-up on an existing database, until /readyz answers (embedded < 10 s, server < 2 s);
 *   4. the server's resident memory under that load (budget < 300 MB).
 * Embedded PGlite always; a PostgreSQL server too when BENCH_DATABASE_URL is set
 * (e.g. postgres://postgres@127.0.0.1:5432/postgres). Results go to bench/results/latest.json;
 * the web app's budgets are measured by bench/web.ts, which `npm run bench` runs next.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { systemContext } from '../src/server/bootstrap';
import { loadConfig } from '../src/server/config';
import { type Database, openDatabase } from '../src/server/db/client';
import { newId } from '../src/server/db/ids';
import { userEntity } from '../src/server/domains/people/users.entity';
import { users } from '../src/server/domains/people/users.table';
import { sealPending } from '../src/server/platform/audit/chain';
import { insertRecord, updateRecord } from '../src/server/platform/audit/write';
import { inTransaction } from '../src/server/platform/http/context';
import {
  ADMIN,
  benchDatabase,
  DEPARTMENTS,
  lightGet,
  ROOT,
  type Stats,
  seed,
  startServer,
  stats,
  stop,
  USERS,
} from './support';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Budget 1: the mutation a user performs (PATCH /api/v1/users/:id through the whole app) with its
 * audit row and chaining, against the same request with them switched off. "Off" is done in the
 * database, by a trigger that discards audit rows (so the sealer has nothing to chain): the
 * application has no way to bypass its write path, and the bench does not add one. Rounds
 * alternate between the two so that drift on a busy machine cancels out; the ratio is the median.
 */
async function auditOverhead(database: Database, dataDir: string) {
  await database.db.execute(sql`
    create or replace function bench_discard_audit() returns trigger language plpgsql as $$ begin return null; end $$`);
  await database.db.execute(
    sql`create trigger bench_discard_audit before insert on audit_log for each row execute function bench_discard_audit()`,
  );
  await database.db.execute(sql`alter table audit_log disable trigger bench_discard_audit`);
  const config = { ...loadConfig({ OPSDECK_DATA_DIR: dataDir }), logLevel: 'silent' };
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  try {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
    const cookie = `opsdeck_session=${login.cookies.find((c) => c.name === 'opsdeck_session')!.value}`;
    const headers = { cookie, 'x-csrf-token': login.json().session.csrfToken as string };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { name: 'Bench Target', email: `target-${newId()}@bench.example` },
    });
    const id = created.json().id as string;
    let version = created.json().version as number;
    let counter = 0;
    const patches = async (n: number) => {
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const response = await app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${id}`,
          headers: { ...headers, 'if-match': `"${version}"` },
          payload: { jobTitle: `Title ${counter++}` },
        });
        if (response.statusCode !== 200) throw new Error(`PATCH → ${response.statusCode} ${response.body}`);
        version = response.json().version;
      }
      await app.deps.sealer.sealNow();
      return (performance.now() - started) / n;
    };
    const withAudit: number[] = [];
    const withoutAudit: number[] = [];
    await patches(50);
    for (let round = 0; round < 12; round++) {
      withAudit.push(await patches(40));
      await database.db.execute(sql`alter table audit_log enable trigger bench_discard_audit`);
      withoutAudit.push(await patches(40));
      await database.db.execute(sql`alter table audit_log disable trigger bench_discard_audit`);
    }
    const ratios = withAudit.map((w, i) => w / withoutAudit[i]!);
    return {
      withAuditMs: round3(median(withAudit)),
      withoutAuditMs: round3(median(withoutAudit)),
      ratio: Math.round(median(ratios) * 100) / 100,
      writePath: await writePathOverhead(database),
    };
  } finally {
    await app.close();
    await database.db.execute(sql`drop trigger bench_discard_audit on audit_log`);
  }
}

/**
 * For information: the write path alone (lock, update, audit row in the same statement, sealing)
 * against a bare versioned update, without the rest of a request around it.
 */
async function writePathOverhead(database: Database) {
  const ctx = systemContext(database, 'bench');
  const target = await inTransaction(ctx, (tx) =>
    insertRecord(tx, userEntity, { name: 'Bench Target', email: `target-${newId()}@bench.example` }),
  );
  let version = target.version;
  let counter = 0;
  const bare: number[] = [];
  const audited: number[] = [];
  for (let round = 0; round < 12; round++) {
    let started = performance.now();
    for (let i = 0; i < 50; i++) {
      await database.db.transaction(async (tx) => {
        const [row] = await tx.select().from(users).where(eq(users.id, target.id)).for('update');
        await tx
          .update(users)
          .set({ jobTitle: `title ${counter++}`, version: row!.version + 1, updatedAt: new Date() })
          .where(eq(users.id, row!.id));
        version = row!.version + 1;
      });
    }
    bare.push((performance.now() - started) / 50);
    started = performance.now();
    for (let i = 0; i < 50; i++) {
      const updated = await inTransaction(ctx, (tx) =>
        updateRecord(
          tx,
          userEntity,
          target.id,
          { jobTitle: `title ${counter++}` },
          { expectedVersion: version },
        ),
      );
      version = updated.version;
    }
    await sealPending(database.db);
    audited.push((performance.now() - started) / 50);
  }
  return {
    auditedMs: round3(median(audited)),
    bareMs: round3(median(bare)),
    ratio: Math.round((median(audited) / median(bare)) * 100) / 100,
  };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** Budget 2 and 4: list latency with a concurrent client, and peak RSS meanwhile. */
async function listLoad(
  port: number,
  pid: number,
  heavy: boolean,
): Promise<{ list: Stats; concurrentClient: Stats; peakRssMb: number }> {
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const send = lightGet(base, { cookie });
  const get = async (url: string) => {
    const started = performance.now();
    await send(url);
    return performance.now() - started;
  };
  const pages = USERS / 50;
  for (let i = 0; i < 30; i++) await get(`/api/v1/users?page=${(i % pages) + 1}&pageSize=50`);
  let peakRssMb = await rssMb(pid);
  let running = true;
  const sampler = (async () => {
    while (running) {
      peakRssMb = Math.max(peakRssMb, await rssMb(pid));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const measured: number[] = [];
  const other: number[] = [];
  const deadline = performance.now() + 20_000;
  // The concurrent client is either a second person browsing the list (other pages, every third
  // request a search), or a heavy one (searches matching an eighth of everyone, sorted by an
  // unindexed column), reported for information.
  const concurrentUrl = (i: number) =>
    heavy
      ? `/api/v1/users?page=${((i * 7) % 25) + 1}&pageSize=50&sort=-email${i % 3 === 0 ? `&q=${DEPARTMENTS[i % DEPARTMENTS.length]}` : ''}`
      : i % 3 === 0
        ? `/api/v1/users?pageSize=50&q=person%20${String((i * 37) % 10_000).padStart(5, '0')}`
        : `/api/v1/users?page=${((i * 7) % pages) + 1}&pageSize=50&sort=name`;
  const concurrent = (async () => {
    let i = 0;
    while (running && performance.now() < deadline) {
      other.push(await get(concurrentUrl(i)));
      i++;
    }
  })();
  for (let i = 0; i < 600 && performance.now() < deadline; i++) {
    measured.push(await get(`/api/v1/users?page=${((i * 13) % pages) + 1}&pageSize=50&sort=name`));
  }
  running = false;
  await Promise.all([concurrent, sampler]);
  return { list: stats(measured), concurrentClient: stats(other), peakRssMb };
}

async function benchTarget(kind: 'pglite' | 'server', serverUrl?: string) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-bench-'));
  const { url, drop: dropDatabase } = await benchDatabase(kind, serverUrl, 'opsdeck_bench');
  try {
    const database = await openDatabase({ databaseUrl: url, dataDir });
    await seed(database);
    const overhead = await auditOverhead(database, dataDir);
    await database.close();
    const port = String(3400 + (kind === 'server' ? 1 : 0));
    const env: Record<string, string> = {
      OPSDECK_DATA_DIR: dataDir,
      PORT: port,
      HOST: '127.0.0.1',
      ...(url ? { DATABASE_URL: url } : {}),
    };
    // The first start warms the operating system's file cache; time the second.
    const warm = startServer(env);
    await warm.ready;
    await stop(warm.child);
    const server = startServer(env);
    const startupMs = await server.ready;
    try {
      const load = await listLoad(Number(port), server.child.pid!, false);
      const withHeavyClient = await listLoad(Number(port), server.child.pid!, true);
      return { kind, auditOverhead: overhead, startupMs, ...load, withHeavyClient };
    } finally {
      await stop(server.child);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await dropDatabase();
  }
}

function verdicts(result: Awaited<ReturnType<typeof benchTarget>>): string[] {
  const startBudget = result.kind === 'server' ? 2000 : 10_000;
  const line = (ok: boolean, text: string) => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  return [
    line(
      result.auditOverhead.ratio <= 1.3,
      `audit overhead ${result.auditOverhead.ratio}× for PATCH /api/v1/users/:id (${result.auditOverhead.withAuditMs} vs ${result.auditOverhead.withoutAuditMs} ms; budget ≤ 1.3×); the write path alone ${result.auditOverhead.writePath.ratio}× (${result.auditOverhead.writePath.auditedMs} vs ${result.auditOverhead.writePath.bareMs} ms), for information`,
    ),
    line(
      result.list.p99 < 30,
      `user list p99 ${result.list.p99} ms (p50 ${result.list.p50}) with a concurrent client browsing too; budget < 30 ms (with a heavy concurrent client instead: p99 ${result.withHeavyClient.list.p99} ms, for information)`,
    ),
    line(result.startupMs < startBudget, `start-up ${result.startupMs} ms; budget < ${startBudget} ms`),
    line(
      Math.max(result.peakRssMb, result.withHeavyClient.peakRssMb) < 300,
      `peak RSS ${Math.max(result.peakRssMb, result.withHeavyClient.peakRssMb)} MB over both loads; budget < 300 MB`,
    ),
  ];
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const results = [await benchTarget('pglite')];
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl) results.push(await benchTarget('server', serverUrl));
  const report = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    results: results.map((r) => ({ ...r, verdicts: verdicts(r) })),
  };
  const dir = path.join(ROOT, 'bench/results');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const r of report.results) {
    process.stdout.write(`\n[${r.kind}]\n${r.verdicts.map((v) => `  ${v}`).join('\n')}\n`);
  }
  process.stdout.write(`\nWritten to bench/results/latest.json\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
