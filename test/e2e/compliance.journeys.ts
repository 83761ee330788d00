import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, type Journey, signIn } from './harness';

/** A small framework as a spreadsheet: one heading and two controls under it. */
const SMALL_CSV =
  'refId,title,parentRefId,kind\nEB,E2E governance,,group\nEB.1,Policy approved,EB,\nEB.2,Roles assigned,EB,\n';

/** A Mantine Select or MultiSelect, by its accessible name. */
async function pick(page: Page, name: string, option: string): Promise<void> {
  await page
    .getByRole('textbox', { name, exact: true })
    .or(page.getByRole('combobox', { name, exact: true }))
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The compliance frameworks screens: the library, the control tree and its filters, a CSV import. */
export const journeys: Journey[] = [
  {
    name: 'compliance frameworks: ISO 27001 installed from the library, its tree filtered and searched, a CSV imported after a dry run',
    async run({ env, page, step }) {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-e2e-frameworks-'));
      try {
        const csvFile = path.join(folder, 'e2e-baseline.csv');
        await writeFile(csvFile, SMALL_CSV);
        await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);

        step('Compliance → Frameworks from the sidebar: nothing yet, an invitation to add one');
        await page
          .getByRole('navigation', { name: 'Modules' })
          .getByRole('link', { name: 'Frameworks' })
          .click();
        await page.getByRole('heading', { name: 'Frameworks', level: 1 }).waitFor();
        const existing = await page.request.get(`${env.baseUrl}/api/v1/frameworks?archived=all&pageSize=1`);
        // Journeys share one database: the invitation shows only while no other journey added a framework.
        if ((await existing.json()).total === 0) await page.getByText('No frameworks yet').waitFor();

        step('the library installs ISO/IEC 27001:2022 and reports what it wrote');
        await page.getByRole('button', { name: 'Add from library' }).first().click();
        const library = page.getByRole('dialog', { name: 'Add a framework from the library' });
        const iso = library.getByRole('region', { name: 'ISO/IEC 27001:2022' });
        await iso
          .getByText(/127 controls/)
          .first()
          .waitFor();
        await iso.getByRole('button', { name: /^(Install|Update) ISO\/IEC 27001:2022$/ }).click();
        await iso.getByText(/^(Installed|Updated)$/).waitFor();
        await iso.getByText(/127 controls; items \d+ created, \d+ updated, \d+ unchanged/).waitFor();
        await iso.getByText('Installed ✓').waitFor();

        step('opened from the report: the tree in position order, A.5.1 uncovered');
        await iso.getByRole('link', { name: 'Open ISO/IEC 27001:2022' }).first().click();
        await page.getByRole('heading', { name: 'ISO/IEC 27001:2022', level: 1 }).waitFor();
        const table = page.getByRole('table', { name: 'Controls' });
        const a51 = table.getByRole('row', { name: /A\.5\.1 Security policies set and reviewed/ });
        await a51.getByText('Uncovered').waitFor();
        await table.getByRole('row', { name: /^4 Context of the ISMS/ }).waitFor();
        await page.getByText('1–100 of 139 controls and headings').waitFor();

        step('filtered by status: only controls, headings left out');
        await pick(page, 'Status', 'Uncovered');
        await page.keyboard.press('Escape');
        await page.waitForURL((url) => url.searchParams.get('status') === 'uncovered');
        // Other journeys may have covered a control: the count is of controls only, at most the 127.
        await page.getByText(/^1–\d+ of \d+ controls$/).waitFor();
        await table.getByRole('row', { name: /^4 Context of the ISMS/ }).waitFor({ state: 'detached' });
        await a51.waitFor();

        step('searched for A.8.1: its row first, A.5.1 gone');
        await page.getByRole('searchbox', { name: 'Search' }).fill('A.8.1');
        await page.waitForURL((url) => url.searchParams.get('q') === 'A.8.1');
        await a51.waitFor({ state: 'detached' });
        const first = table.getByRole('row').nth(1);
        await first.getByText('A.8.1', { exact: true }).waitFor();

        step('the control opens on its own page');
        const title = (await first.getByRole('link').textContent()) ?? '';
        await first.getByRole('link').click();
        await page.waitForURL(/\/records\/control\//);
        await page.getByRole('heading', { name: title, level: 1 }).waitFor();

        step('import a CSV: the format is detected, a name is asked for, the dry run comes first');
        await page
          .getByRole('navigation', { name: 'Modules' })
          .getByRole('link', { name: 'Frameworks' })
          .click();
        await page.getByRole('link', { name: 'ISO/IEC 27001:2022' }).waitFor();
        await page.getByRole('button', { name: 'Import', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Import a framework' });
        await dialog.locator('input[type="file"]').setInputFiles(csvFile);
        await dialog.getByText('Detected from the file: CSV.').waitFor();
        const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
        if (!(await importButton.isDisabled())) throw new Error('Import must wait for a clean dry run');
        await dialog.getByRole('button', { name: 'Dry run' }).click();
        await dialog.getByText(/A CSV file holds controls only: give the framework a name/).waitFor();
        await dialog.getByRole('textbox', { name: 'Name' }).fill('E2E baseline');
        await dialog.getByRole('textbox', { name: 'Name' }).press('Enter');
        await dialog.getByText('Dry run: ready to import').waitFor();
        await dialog
          .getByText('E2E baseline: 2 controls; items 3 created, 0 updated, 0 unchanged.')
          .waitFor();
        const listed = await page.request.get(`${env.baseUrl}/api/v1/frameworks?q=E2E%20baseline`);
        if ((await listed.json()).total !== 0) throw new Error('a dry run must write nothing');

        step('imported, then opened from the report');
        await importButton.click();
        await dialog.getByText('Imported E2E baseline').waitFor();
        await dialog.getByRole('link', { name: 'Open E2E baseline' }).click();
        await page.getByRole('heading', { name: 'E2E baseline', level: 1 }).waitFor();
        await page
          .getByRole('table', { name: 'Controls' })
          .getByRole('row', { name: /EB\.2 Roles assigned/ })
          .waitFor();
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  },
];
