import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/server/db/client';
import { newId } from '../src/server/db/ids';
import { recomputeStatuses } from '../src/server/domains/compliance/control-status';
import { complianceRules } from '../src/server/domains/compliance/frameworks.table';
import { inTransaction } from '../src/server/platform/http/context';
import {
  benchDatabase,
  generatedFramework,
  insertMany,
  load,
  progress,
  rssMb,
  runDomainBenchmark,
  type Stats,
  seed,
  seedLinkedFramework,
  signIn,
  startServer,
  stats,
  stop,
} from './support';

const LINKS = 100_000;
const TARGET_ASSETS = 20_000;
const RULES = 300;
const CLIENTS = 4;

async function benchTarget(kind: 'pglite' | 'server', serverUrl?: string) {
  progress(`[${kind}] seeding`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-bench-compliance-'));
  const { url, drop } = await benchDatabase(kind, serverUrl, 'opsdeck_bench_compliance');
  try {
    const database = await openDatabase({ databaseUrl: url, dataDir });
    await seed(database);
    const { ctx, frameworkId, controlIds } = await seedLinkedFramework(database, {
      key: 'bench-main',
      assetCount: TARGET_ASSETS,
      linkCount: LINKS,
      tagPrefix: 'EV',
      assetName: 'Evidence asset',
      justification: 'Inventoried and encrypted',
      stride: 17,
    });
    await insertMany(
      database,
      complianceRules,
      controlIds.slice(0, RULES).map((controlId, n) => ({
        id: newId(),
        controlId,
        name: n % 2 ? 'Enough evidence' : 'Recent maintenance',
        ruleType: n % 2 ? ('linked_records' as const) : ('recent_record' as const),
        criteria:
          n % 2
            ? { minimum: 50 }
            : { entityType: 'maintenance_log', filters: { status: 'completed' }, dateField: 'eventDate' },
      })),
    );
    const seedRecompute = performance.now();
    await inTransaction(ctx, (tx) => recomputeStatuses(tx, 'all'));
    progress(`seeded; in-process recomputation ${Math.round(performance.now() - seedRecompute)} ms`);
    await database.close();

    const port = String(3420 + (kind === 'server' ? 1 : 0));
    const server = startServer({
      OPSDECK_DATA_DIR: dataDir,
      PORT: port,
      HOST: '127.0.0.1',
      OPSDECK_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      ...(url ? { DATABASE_URL: url } : {}),
    });
    await server.ready;
    const pid = server.child.pid!;
    let peakRssMb = await rssMb(pid);
    const sample = setInterval(() => {
      rssMb(pid)
        .then((mb) => {
          peakRssMb = Math.max(peakRssMb, mb);
        })
        .catch(() => {});
    }, 100);
    try {
      const client = await signIn(`http://127.0.0.1:${port}`);
      const controlsUrl = (i: number) =>
        `/api/v1/frameworks/${frameworkId}/controls?pageSize=50&page=${(i % 24) + 1}`;
      for (let i = 0; i < 20; i++) await client.get(controlsUrl(i));
      progress('the dashboard and the control list under load');
      const dashboard = await load(CLIENTS, 10, () => client.get('/api/v1/compliance/dashboard'));
      const controlList = await load(CLIENTS, 10, (i) => client.get(controlsUrl(i)));
      const statusFiltered = await load(CLIENTS, 5, (i) =>
        client.get(
          `/api/v1/frameworks/${frameworkId}/controls?pageSize=50&status=non_compliant&page=${(i % 3) + 1}`,
        ),
      );
      progress('full recomputation');
      const recompute: number[] = [];
      for (let i = 0; i < 5; i++) {
        const { json } = await client.post('/api/v1/compliance/recompute', {});
        recompute.push((json as { data: { ms: number } }).data.ms);
      }
      progress('importing 1,200 controls');
      const imported = await client.post('/api/v1/frameworks/import?format=json', {
        id: 'bench-import',
        name: 'Bench import',
        controls: generatedFramework('bench-import').controls.map((c) => ({
          id: c.refId,
          name: c.title,
          description: c.description,
          parent: c.parentRefId,
          ...(c.kind === 'group' ? { kind: 'group' } : {}),
        })),
      });
      return {
        kind,
        controls: controlIds.length,
        links: LINKS,
        rules: RULES,
        dashboard,
        controlList,
        statusFiltered,
        recompute: stats(recompute),
        importMs: Math.round(imported.ms),
        importReport: imported.json,
        peakRssMb,
      };
    } finally {
      clearInterval(sample);
      await stop(server.child);
    }
  } finally {
    if (process.env.BENCH_KEEP) progress(`kept: ${url ?? dataDir}`);
    else {
      await rm(dataDir, { recursive: true, force: true });
      await drop();
    }
  }
}

type Result = Awaited<ReturnType<typeof benchTarget>>;
function verdicts(r: Result): string[] {
  const line = (ok: boolean, text: string) => `${ok ? 'PASS' : 'FAIL'}  ${text}`;
  const s = (x: Stats) => `p50 ${x.p50} / p95 ${x.p95} / p99 ${x.p99} ms`;
  return [
    line(r.dashboard.p95 < 100, `dashboard, ${CLIENTS} clients: ${s(r.dashboard)}; budget p95 < 100 ms`),
    line(
      r.controlList.p95 < 50,
      `control list (50 with statuses), ${CLIENTS} clients: ${s(r.controlList)}; budget p95 < 50 ms`,
    ),
    `INFO  control list filtered by status: ${s(r.statusFiltered)}`,
    line(
      r.recompute.max < 1000,
      `full recomputation of ${r.controls} controls, ${r.links} links, ${r.rules} rules: ${s(r.recompute)}; budget < 1000 ms`,
    ),
    line(r.importMs < 5000, `import of 1,200 controls: ${r.importMs} ms; budget a few seconds`),
    line(r.peakRssMb < 300, `server peak RSS ${r.peakRssMb} MB; budget < 300 MB`),
  ];
}

runDomainBenchmark('compliance', benchTarget, verdicts);
