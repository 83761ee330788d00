import { readFile } from 'node:fs/promises';
import { assetEntity, locationEntity } from '../../src/server/domains/assets/assets.entity';
import { assignmentAudit, checkOutAsset } from '../../src/server/domains/assets/custody.service';
import { insertRecord } from '../../src/server/platform/audit/write';
import { createEntity } from '../../src/server/platform/entities/entity.service';
import { inTransaction } from '../../src/server/platform/http/context';
import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Journey, signIn } from './harness';

/** An asset's timeline, and the inventory's reports: depreciation, overdue returns, the tree. */
export const journeys: Journey[] = [
  {
    name: 'reports: an asset timeline shows its check-out; depreciation as of a date; overdue returns; the tree',
    async run({ env, page, step }) {
      const holder = await buildUser({ system: env.system } as TestContext, {
        name: 'Timeline Holder',
        loginEnabled: false,
      });
      const laptop = await createEntity(env.system, assetEntity, {
        name: 'Timeline laptop',
        assetTag: 'TL-1',
      });
      await inTransaction(env.system, (tx) =>
        checkOutAsset(tx, laptop.id, { userId: holder.id, notes: 'for the conference' }, undefined),
      );
      const site = await inTransaction(env.system, (tx) =>
        insertRecord(tx, locationEntity, { name: 'Depreciation site' }),
      );
      await createEntity(env.system, assetEntity, {
        name: 'Depreciating server',
        assetTag: 'DEP-1',
        purchaseDate: '2024-01-15',
        cost: '1000.00',
        currency: 'EUR',
        salvageValue: '100.00',
        usefulLifeMonths: 36,
        category: 'Servers',
        locationId: site.id,
      });
      // Custody refuses a return date in the past; an old assignment is written as it stood.
      await inTransaction(env.system, async (tx) => {
        const late = await insertRecord(tx, assetEntity, {
          name: 'Late projector',
          assetTag: 'LATE-1',
          status: 'in_use',
          holderId: holder.id,
        });
        await insertRecord(tx, assignmentAudit, {
          assetId: late.id,
          userId: holder.id,
          expectedReturnDate: '2020-01-10',
        });
      });
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);

      step('the timeline tab shows the check-out, with whom and its notes');
      await page.goto(`${env.baseUrl}/records/asset/${laptop.id}`);
      await page.getByRole('heading', { name: 'Timeline laptop' }).waitFor();
      await page.getByRole('tab', { name: 'Timeline' }).click();
      const timeline = page.getByRole('tabpanel');
      await timeline.getByText('Checked out to').waitFor();
      await timeline.getByRole('link', { name: 'Timeline Holder' }).first().waitFor();
      await timeline.getByText('Notes: for the conference').waitFor();
      await timeline.getByText('Registered').waitFor();

      step('the depreciation report gives a book value as of the date chosen, and downloads as CSV');
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: 'Reports', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Inventory reports' }).waitFor();
      await page.getByRole('link', { name: 'Depreciation' }).click();
      await page.getByRole('heading', { name: 'Depreciation' }).waitFor();
      await page.getByLabel('As of').fill('2024-07-15');
      const row = page.getByRole('row', { name: /DEP-1 Depreciating server/ });
      // (1000 − 100) × 6 / 36 = 150 depreciated: 850 left.
      await row.getByText(/850\.00/).waitFor();
      await row.getByText('6 of 36').waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download CSV' }).click();
      const file = await (await download).path();
      const csv = await readFile(file, 'utf8');
      if (!csv.includes(',2024-01-15,EUR,1000.00,100.00,36,6,2027-01-15,150.00,850.00,false')) {
        throw new Error(`the CSV lacks the book value:\n${csv}`);
      }

      step('overdue returns list what is late, with its holder, from the sidebar');
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: 'Overdue returns' })
        .click();
      await page.getByRole('heading', { name: 'Overdue returns' }).waitFor();
      const late = page.getByRole('row', { name: /LATE-1 Late projector/ });
      await late.getByRole('link', { name: 'Timeline Holder' }).waitFor();
      await late.getByText(/\d+ days/).waitFor();
      if ((await page.getByRole('row', { name: /TL-1/ }).count()) !== 0)
        throw new Error('an asset without an expected return date is never overdue');

      step('the tree expands from the keyboard: location, then its assets');
      await page.goto(`${env.baseUrl}/inventory/reports/tree`);
      const expand = page.getByRole('button', { name: 'Expand Depreciation site, 1 asset' });
      await expand.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('link', { name: 'DEP-1 Depreciating server' }).waitFor();
      await page.getByRole('button', { name: 'Collapse Depreciation site, 1 asset' }).press('Enter');
      await page.getByRole('link', { name: 'DEP-1 Depreciating server' }).waitFor({ state: 'hidden' });
    },
  },
];
