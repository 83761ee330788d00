/**
 * The CSV import's budget alone (`npx tsx bench/import.ts`): 10,000 assets naming 20 locations and
 * 50 models by name, checked (dry run) then imported, on PGlite in a data directory as embedded
 * mode runs (or, with BENCH_DATABASE_URL, an empty database on a server); then the same file
 * again (every row unchanged). Target: dry run + import under 5 s.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app';
import { ensureFirstAdministrator, systemContext } from '../src/server/bootstrap';
import { loadConfig } from '../src/server/config';
import { openDatabase } from '../src/server/db/client';
import { migrateDatabase } from '../src/server/db/migrate';
import { assetModelEntity, brandEntity, locationEntity } from '../src/server/domains/assets/assets.entity';
import { insertRecord } from '../src/server/platform/audit/write';
import { inTransaction } from '../src/server/platform/http/context';

const ROWS = Number(process.env.IMPORT_ROWS ?? 10_000);
const ADMIN = { email: 'import-bench@example.test', password: 'import-bench-password-1' };

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-import-bench-'));
  // On disk, as `npm start` runs embedded PostgreSQL; or an empty database on a server.
  const database = await openDatabase({ dataDir, databaseUrl: process.env.BENCH_DATABASE_URL });
  await migrateDatabase(database);
  const config = {
    ...loadConfig({ OPSDECK_DATA_DIR: dataDir }),
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    logLevel: 'warn',
  };
  await ensureFirstAdministrator(database, config, () => {});
  const system = systemContext(database, 'bench');
  const sites: string[] = [];
  const models: string[] = [];
  await inTransaction(system, async (tx) => {
    const brand = await insertRecord(tx, brandEntity, { name: 'Bench brand' });
    for (let i = 0; i < 20; i++)
      sites.push((await insertRecord(tx, locationEntity, { name: `Site ${i}` })).name);
    for (let i = 0; i < 50; i++) {
      models.push((await insertRecord(tx, assetModelEntity, { brandId: brand.id, name: `Model ${i}` })).name);
    }
  });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = login.json().session.csrfToken as string;

  const lines = ['Asset tag;Name;Serial number;Status;Location;Model;Purchase date;Cost;Currency;Critical'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(
      [
        `BENCH-${i}`,
        `Laptop ${i}`,
        `SN-${randomUUID().slice(0, 13)}`,
        i % 7 === 0 ? 'In repair' : 'In stock',
        sites[i % sites.length],
        models[i % models.length],
        `${(i % 28) + 1}/0${(i % 9) + 1}/2023`,
        `"1.${String(i % 1000).padStart(3, '0')},50 €"`,
        'EUR',
        i % 2 ? 'yes' : 'no',
      ].join(';'),
    );
  }
  const file = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
  const upload = (dryRun: boolean) => {
    const boundary = `----bench${randomUUID().replace(/-/g, '')}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="dateFormat"\r\n\r\ndmy\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="assets.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return app.inject({
      method: 'POST',
      url: `/api/v1/imports/assets${dryRun ? '?dryRun=true' : ''}`,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };
  const timed = async (label: string, dryRun: boolean) => {
    const started = performance.now();
    const response = await upload(dryRun);
    const ms = performance.now() - started;
    const { data } = response.json() as { data: Record<string, unknown> };
    process.stdout.write(
      `${label}: ${Math.round(ms)} ms (status ${response.statusCode}, created ${data.created}, unchanged ${data.unchanged}, errors ${data.errorCount})\n`,
    );
    return ms;
  };
  const dry = await timed('dry run', true);
  const real = await timed('import', false);
  process.stdout.write(`dry run + import: ${Math.round(dry + real)} ms for ${ROWS} rows (budget 5000 ms)\n`);
  await timed('re-import (unchanged)', false);
  process.stdout.write(`heap used: ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB\n`);
  await app.close();
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
