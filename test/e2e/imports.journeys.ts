import type { Page } from 'playwright-core';
import { locationEntity } from '../../src/server/domains/assets/assets.entity';
import { insertRecord } from '../../src/server/platform/audit/write';
import { inTransaction } from '../../src/server/platform/http/context';
import { ADMIN, type Journey, signIn } from './harness';

/** A spreadsheet's export as people send it: BOM, semicolons, CRLF, day-first dates, 1.234,56 €. */
const MESSY_CSV =
  '\uFEFFEtiqueta;Name;Location;Purchase date;Cost;Currency;Critical;Comments\r\n' +
  'IMP-001;"Laptop; 14""";Lisbon warehouse;31/01/2024;"1.234,56 €";EUR;yes;"two\r\nlines"\r\n' +
  'IMP-002;Dock;LISBON WAREHOUSE;05/02/2024;89,90;EUR;no;\r\n';

async function chooseFile(page: Page): Promise<void> {
  await page.locator('input[type="file"]').setInputFiles({
    name: 'inventory.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(MESSY_CSV),
  });
}

/** A Mantine Select, searchable or not, by its accessible name. */
async function pick(page: Page, name: string, option: string): Promise<void> {
  await page
    .getByRole('textbox', { name, exact: true })
    .or(page.getByRole('combobox', { name, exact: true }))
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The CSV import: a messy file checked, its problems fixed in the mapping and options, imported. */
export const journeys: Journey[] = [
  {
    name: 'imports: a messy CSV of assets checked, fixed by mapping and date format, imported and listed',
    async run({ env, page, step }) {
      await inTransaction(env.system, (tx) => insertRecord(tx, locationEntity, { name: 'Lisbon warehouse' }));
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);

      step('the asset list opens the import wizard for assets');
      await page.goto(`${env.baseUrl}/records/asset`);
      await page.getByRole('button', { name: 'Import CSV' }).click();
      await page.getByRole('heading', { name: 'Import from CSV' }).waitFor();
      await page.waitForURL((url) => url.searchParams.get('entity') === 'assets');

      step('the file is read: its columns are matched by header, an unknown one is left out');
      await chooseFile(page);
      await page.getByRole('cell', { name: 'Etiqueta' }).waitFor();
      await page.getByText('2 rows.').waitFor();
      const import_ = page.getByRole('button', { name: 'Import', exact: true });

      step('checking it lists every problem, by row and column, and the import stays disabled');
      await page.getByRole('button', { name: 'Check file' }).click();
      const problems = page.getByRole('table', { name: 'Problems' });
      await problems
        .getByText(/choose the day-first or month-first date format/)
        .first()
        .waitFor();
      await problems.getByRole('row', { name: /2 assetTag is required/ }).waitFor();
      if (!(await import_.isDisabled())) throw new Error('Import must wait for a clean check');

      step('the Etiqueta column mapped to the asset tag, dates read day first: the check is clean');
      await pick(page, 'Import "Etiqueta" into', 'Asset tag (assetTag)');
      await pick(page, 'Date format', 'Day first: 31/01/2024');
      await page.getByRole('button', { name: 'Check file' }).click();
      await page.getByText('The file is ready to import').waitFor();
      await page.getByText('2 rows: 2 new assets, 0 updates, 0 unchanged.').waitFor();

      step('imported, with a summary and a link to the list that shows the rows');
      await import_.click();
      await page.getByText('2 rows: 2 created, 0 updated, 0 unchanged.').waitFor();
      await page.getByRole('link', { name: 'Open the assets list' }).click();
      await page.getByRole('link', { name: 'Laptop; 14"' }).waitFor();
      await page.getByRole('link', { name: 'Dock' }).waitFor();

      step('the same file again: the mapping is remembered, and every row is unchanged');
      await page.getByRole('button', { name: 'Import CSV' }).click();
      await chooseFile(page);
      await page.getByRole('cell', { name: 'Etiqueta' }).waitFor();
      await pick(page, 'Date format', 'Day first: 31/01/2024');
      await page.getByRole('button', { name: 'Check file' }).click();
      await page.getByText('2 rows: 0 new assets, 0 updates, 2 unchanged.').waitFor();
    },
  },
];
