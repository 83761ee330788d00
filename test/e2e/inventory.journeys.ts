import { assetEntity, locationEntity } from '../../src/server/domains/assets/assets.entity';
import { insertRecord } from '../../src/server/platform/audit/write';
import { inTransaction } from '../../src/server/platform/http/context';
import { ADMIN, type Journey, signIn } from './harness';

/** Physical inventories: a campaign for one location, worked from the scanner screen, then closed. */
export const journeys: Journey[] = [
  {
    name: 'inventory: a campaign is scanned tag by tag with Enter, then closed with its discrepancies frozen',
    async run({ env, page, step }) {
      const store = await inTransaction(env.system, (tx) =>
        insertRecord(tx, locationEntity, { name: 'Madrid store', city: 'Madrid' }),
      );
      const other = await inTransaction(env.system, (tx) =>
        insertRecord(tx, locationEntity, { name: 'Seville store', city: 'Seville' }),
      );
      for (const [tag, name, locationId] of [
        ['MAD-001', 'Madrid laptop', store.id],
        ['MAD-002', 'Madrid monitor', store.id],
        ['MAD-003', 'Madrid phone', store.id],
        ['SEV-001', 'Seville laptop', other.id],
      ] as const) {
        await inTransaction(env.system, (tx) =>
          insertRecord(tx, assetEntity, { name, assetTag: tag, locationId }),
        );
      }
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);

      step('a campaign is started for one location from the inventories list');
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: 'Inventories', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Inventory campaigns' }).waitFor();
      await page.getByRole('button', { name: 'New inventory campaign' }).first().click();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Madrid year end');
      await page
        .getByRole('textbox', { name: 'Location' })
        .or(page.getByRole('combobox', { name: 'Location' }))
        .fill('Madrid');
      await page.getByRole('option', { name: 'Madrid store' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Madrid year end' }).waitFor();

      step('the scanner screen takes a tag and Enter, and keeps the focus for the next');
      await page.getByRole('tab', { name: 'Scan' }).click();
      const tag = page.getByRole('textbox', { name: 'Asset tag' });
      await tag.fill('mad-001');
      await tag.press('Enter');
      await page.getByRole('table', { name: 'Last scans' }).getByText('Verified').waitFor();
      if ((await tag.inputValue()) !== '') throw new Error('the tag field should clear after a scan');
      await page.keyboard.type('SEV-001');
      await page.keyboard.press('Enter');
      await page.getByText('Not expected here: recorded as found unexpectedly').waitFor();
      await page.keyboard.type('NOPE-1');
      await page.keyboard.press('Enter');
      await page.getByText('no asset has the tag NOPE-1').first().waitFor();

      step('the items list shows each result; one is marked missing by hand');
      await page.getByRole('tab', { name: 'Items' }).click();
      await page.getByRole('tabpanel').getByText('Found unexpectedly').waitFor();
      await page.getByRole('button', { name: 'Mark MAD-002' }).click();
      await page.getByRole('menuitem', { name: 'Missing' }).click();
      await page.getByText('MAD-002: Missing.').waitFor();

      step('closing freezes the result, counting the unchecked one missing');
      await page.getByRole('button', { name: 'Close inventory' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Close inventory' }).click();
      await page.getByText('Inventory closed; its result is frozen.').waitFor();
      await page.getByRole('tab', { name: 'Scan' }).click();
      await page.getByText(/2 missing \(1 never checked\), 0 damaged, 1 found unexpectedly/).waitFor();
      await page.getByRole('button', { name: 'Close inventory' }).waitFor({ state: 'hidden' });
      if ((await page.getByRole('textbox', { name: 'Asset tag' }).count()) !== 0) {
        throw new Error('a closed inventory offers no scanner');
      }
    },
  },
];
