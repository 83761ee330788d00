import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openDatabase } from '../src/server/db/client';
import { newId } from '../src/server/db/ids';
import { verifyPack } from '../src/server/domains/audits/verify-pack';
import { recomputeStatuses } from '../src/server/domains/compliance/control-status';
import { complianceEvidence } from '../src/server/domains/compliance/frameworks.table';
import { attachments } from '../src/server/platform/attachments/attachments.table';
import { createFileStorage } from '../src/server/platform/attachments/storage';
import { inTransaction } from '../src/server/platform/http/context';
import {
  ADMIN,
  benchDatabase,
  insertMany,
  progress,
  rssMb,
  runDomainBenchmark,
  seed,
  seedLinkedFramework,
  startServer,
  stop,
} from './support';

const LINKS = 19_000;
const FILES = 1_000;
const FILE_BYTES = 32 * 1024;
const ASSETS = 10_000;

async function benchTarget(kind: 'pglite' | 'server', serverUrl?: string) {
  progress(`[${kind}] seeding`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-bench-audits-'));
  const { url, drop } = await benchDatabase(kind, serverUrl, 'opsdeck_bench_audits');
  try {
    const database = await openDatabase({ databaseUrl: url, dataDir });
    await seed(database);
    const { ctx, frameworkId, controlIds } = await seedLinkedFramework(database, {
      key: 'bench-audit',
      assetCount: ASSETS,
      linkCount: LINKS,
      tagPrefix: 'AU',
      assetName: 'Audited asset',
      justification: 'Registered, encrypted and assigned',
      stride: 13,
    });
    // Manual evidence with a distinct file each, written to the storage the server will read.
    const storage = createFileStorage(path.join(dataDir, 'files'));
    const evidence = [];
    const files = [];
    for (let i = 0; i < FILES; i++) {
      const id = newId();
      evidence.push({
        id,
        controlId: controlIds[i % controlIds.length]!,
        title: `Signed record ${i}`,
        evidenceDate: '2026-01-15',
      });
      const { sha256, sizeBytes } = await storage.put(Readable.from([randomBytes(FILE_BYTES)]));
      files.push({
        id: newId(),
        entityType: 'compliance_evidence',
        entityId: id,
        filename: `record-${i}.pdf`,
        contentType: 'application/pdf',
        sizeBytes,
        sha256,
      });
    }
    await insertMany(database, complianceEvidence, evidence);
    await insertMany(database, attachments, files);
    await inTransaction(ctx, (tx) => recomputeStatuses(tx, 'all'));
    await database.close();
    progress('seeded; freezing and exporting through the server');

    const port = String(3430 + (kind === 'server' ? 1 : 0));
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
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const csrf = ((await login.json()) as { session: { csrfToken: string } }).session.csrfToken;
      const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };

      const freezeStarted = performance.now();
      const created = await fetch(`${base}/api/v1/audits`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'Bench audit',
          frameworkId,
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
        }),
      });
      const freezeMs = Math.round(performance.now() - freezeStarted);
      if (created.status !== 201) throw new Error(`freeze → ${created.status} ${await created.text()}`);
      const audit = (await created.json()) as { id: string };
      const items = (await (
        await fetch(`${base}/api/v1/audits/${audit.id}/items?pageSize=1`, { headers })
      ).json()) as { total: number };
      const peakRssAfterFreezeMb = peakRssMb;

      const exportStarted = performance.now();
      const pack = await fetch(`${base}/api/v1/audits/${audit.id}/export`, { headers });
      if (!pack.ok || !pack.body) throw new Error(`export → ${pack.status}`);
      const zipPath = path.join(dataDir, 'pack.zip');
      await pipeline(Readable.fromWeb(pack.body as never), createWriteStream(zipPath));
      const exportMs = Math.round(performance.now() - exportStarted);
      const packMb = Math.round(((await stat(zipPath)).size / 1048576) * 10) / 10;
      const verifyStarted = performance.now();
      const verified = await verifyPack(zipPath);
      const verifyMs = Math.round(performance.now() - verifyStarted);
      return {
        kind,
        controls: controlIds.length,
        evidence: LINKS + FILES * 2,
        files: FILES,
        items: items.total,
        freezeMs,
        exportMs,
        packMb,
        verifyMs,
        verifiedOk: verified.ok,
        verifiedFiles: verified.files,
        peakRssAfterFreezeMb,
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
  return [
    line(
      r.freezeMs < 10_000,
      `freezing ${r.controls} controls (${r.items} items with headings) and ${r.evidence} evidence items, ${r.files} files: ${r.freezeMs} ms; budget < 10000 ms`,
    ),
    line(
      r.exportMs < 30_000,
      `exporting the pack (${r.packMb} MB, streamed): ${r.exportMs} ms; budget < 30000 ms`,
    ),
    line(
      r.peakRssMb < 500,
      `server peak RSS ${r.peakRssMb} MB (${r.peakRssAfterFreezeMb} MB up to the end of freezing); budget < 500 MB`,
    ),
    line(
      r.verifiedOk,
      `offline verification of ${r.verifiedFiles} files: ${r.verifyMs} ms, ${r.verifiedOk ? 'intact' : 'PROBLEMS'}`,
    ),
  ];
}

runDomainBenchmark('audits', benchTarget, verdicts);
