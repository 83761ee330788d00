/**
 * Browser tests: real Chromium (Debian's) driven by playwright-core against the real server
 * and database. Each journey gets a fresh browser context; a failing step leaves a screenshot in
 * test-results/e2e/. Prints "N passed, N failed" and exits non-zero on any failure.
 * Needs the built web app (`npm run build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { journeys as assetJourneys } from './assets.journeys';
import { journeys as auditWorkJourneys } from './audit-work.journeys';
import { journeys as auditJourneys } from './audits.journeys';
import { journeys as complianceJourneys } from './compliance.journeys';
import { journeys as complianceDashboardJourneys } from './compliance-dashboard.journeys';
import { journeys as evidenceJourneys } from './evidence.journeys';
import { type Journey, SCREENSHOTS, startEnvironment } from './harness';
import { journeys as importJourneys } from './imports.journeys';
import { journeys as inventoryJourneys } from './inventory.journeys';
import { journeys as foundationJourneys } from './journeys';
import { journeys as licenseJourneys } from './licenses.journeys';
import { journeys as listJourneys } from './lists.journeys';
import { journeys as maintenanceJourneys } from './maintenance.journeys';
import { journeys as reportJourneys } from './reports.journeys';
import { journeys as searchJourneys } from './search.journeys';

const ROOT = path.resolve(import.meta.dirname, '../..');
const JOURNEY_TIMEOUT_MS = 60_000;
const journeys: Journey[] = [
  ...foundationJourneys,
  ...searchJourneys,
  ...listJourneys,
  ...assetJourneys,
  ...importJourneys,
  ...inventoryJourneys,
  ...maintenanceJourneys,
  ...licenseJourneys,
  ...reportJourneys,
  ...complianceJourneys,
  ...evidenceJourneys,
  ...complianceDashboardJourneys,
  ...auditJourneys,
  ...auditWorkJourneys,
];

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    process.stderr.write('The web app is not built: run `npm run build` first.\n');
    process.exit(1);
  }
  const only = process.argv[2];
  const selected: Journey[] = only ? journeys.filter((j) => j.name.includes(only)) : journeys;
  const env = await startEnvironment();
  let passed = 0;
  let failed = 0;
  try {
    for (const journey of selected) {
      const context = await env.browser.newContext({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      let current = 'start';
      const started = Date.now();
      try {
        await Promise.race([
          journey.run({ env, context, page, step: (name) => (current = name) }),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('journey timed out')), JOURNEY_TIMEOUT_MS),
          ),
        ]);
        passed++;
        process.stdout.write(`  ✓ ${journey.name} (${Date.now() - started} ms)\n`);
      } catch (error) {
        failed++;
        const file = path.join(
          SCREENSHOTS,
          `${journey.name.replace(/\W+/g, '-')}--${current.replace(/\W+/g, '-')}.png`,
        );
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        const message =
          error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n      ') : String(error);
        process.stdout.write(
          `  ✗ ${journey.name}\n      at step: ${current}\n      ${message}\n      screenshot: ${path.relative(ROOT, file)}\n`,
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await env.close();
  }
  process.stdout.write(`\ne2e: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
