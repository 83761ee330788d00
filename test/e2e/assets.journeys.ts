import { assetEntity, locationEntity } from '../../src/server/domains/assets/assets.entity';
import { peripheralEntity } from '../../src/server/domains/assets/peripherals.entity';
import { insertRecord } from '../../src/server/platform/audit/write';
import { inTransaction } from '../../src/server/platform/http/context';
import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Journey, signIn } from './harness';

/** Assets: the inventory's records on the screens the registry gives them. */
export const journeys: Journey[] = [
  {
    name: 'assets: registered with a location picked by search, status rules explained, checked out and back in',
    async run({ env, page, step }) {
      const location = await inTransaction(env.system, (tx) =>
        insertRecord(tx, locationEntity, { name: 'Lisbon office', city: 'Lisbon' }),
      );
      await buildUser({ system: env.system } as TestContext, { name: 'Custody Holder', loginEnabled: false });
      await inTransaction(env.system, (tx) =>
        insertRecord(tx, peripheralEntity, { name: 'Desk dock', type: 'dock' }),
      );
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      step('the list names the locations of its assets with one request, not one per row');
      for (const city of ['Porto', 'Faro', 'Braga']) {
        const site = await inTransaction(env.system, (tx) =>
          insertRecord(tx, locationEntity, { name: `${city} store`, city }),
        );
        await inTransaction(env.system, (tx) =>
          insertRecord(tx, assetEntity, {
            name: `${city} printer`,
            assetTag: `PRN-${city}`,
            locationId: site.id,
          }),
        );
      }
      const locationRequests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/v1/locations') locationRequests.push(request.url());
      });
      await page.goto(`${env.baseUrl}/records/asset?q=printer`);
      for (const city of ['Porto', 'Faro', 'Braga'])
        await page.getByRole('link', { name: `${city} store` }).waitFor();
      if (locationRequests.length !== 1) {
        throw new Error(`expected one request for the locations, saw ${locationRequests.length}`);
      }
      await page.goto(env.baseUrl);

      step('the inventory is in the sidebar');
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: 'Assets', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Assets' }).waitFor();
      await page.getByRole('button', { name: 'New asset' }).first().click();

      step('a new asset cannot start in use: the server says why, next to the field');
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Design laptop');
      await page.getByRole('textbox', { name: 'Asset tag' }).fill('LIS-0001');
      await page.getByRole('combobox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'In use' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(/put in use by checking it out/).waitFor();

      step('in stock, at a location found by typing');
      await page.getByRole('combobox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'In stock' }).click();
      const where = page
        .getByRole('textbox', { name: 'Location' })
        .or(page.getByRole('combobox', { name: 'Location' }));
      await where.fill('lisb');
      await page.getByRole('option', { name: 'Lisbon office' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Design laptop' }).waitFor();
      await page.getByRole('link', { name: 'Lisbon office' }).waitFor();
      if (
        !(await page.getByRole('link', { name: 'Lisbon office' }).getAttribute('href'))?.includes(location.id)
      ) {
        throw new Error('the location should link to its record');
      }

      step('checked out to a person, then back in; the custody tab keeps both');
      await page.getByRole('button', { name: 'Check out' }).click();
      const dialog = page.getByRole('dialog', { name: 'Check out' });
      await dialog
        .getByRole('textbox', { name: 'To' })
        .or(dialog.getByRole('combobox', { name: 'To' }))
        .fill('Custody');
      await page.getByRole('option', { name: /Custody Holder/ }).click();
      await dialog
        .getByRole('textbox', { name: 'With peripherals' })
        .or(dialog.getByRole('combobox', { name: 'With peripherals' }))
        .fill('dock');
      await page.getByRole('option', { name: 'Desk dock' }).click();
      await dialog.getByText('Desk dock').waitFor();
      await dialog.getByRole('textbox', { name: 'Notes' }).fill('for the Lisbon audit');
      await dialog.getByRole('button', { name: 'Check out' }).click();
      await page.getByText('Checked out.').waitFor();
      await page.getByRole('button', { name: 'Check in' }).waitFor();
      await page.getByRole('tab', { name: 'Custody' }).click();
      await page.getByRole('tabpanel').getByRole('link', { name: 'Custody Holder' }).waitFor();
      await page.getByRole('tabpanel').getByText('Still out').waitFor();
      step("the holder's page lists what they hold");
      await page.getByRole('tabpanel').getByRole('link', { name: 'Custody Holder' }).click();
      await page.getByRole('heading', { name: 'Custody Holder' }).waitFor();
      await page.getByRole('tab', { name: 'Holdings' }).click();
      await page.getByRole('tabpanel').getByRole('link', { name: 'Design laptop' }).waitFor();
      await page.getByText('Custody Holder holds 1 asset and 1 peripheral.').waitFor();
      await page.getByRole('tabpanel').getByRole('link', { name: 'Desk dock' }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Design laptop' }).waitFor();
      await page.getByRole('button', { name: 'Check in' }).click();
      const checkIn = page.getByRole('dialog', { name: 'Check in' });
      await checkIn.getByRole('textbox', { name: 'Condition' }).fill('as new');
      await checkIn.getByRole('button', { name: 'Check in' }).click();
      await page.getByText('Checked in.').waitFor();
      await page.getByRole('tabpanel').getByText('for the Lisbon audit · as new').waitFor();
      step('the dock went back in stock with the laptop');
      await page.goto(`${env.baseUrl}/records/peripheral?q=dock`);
      await page.getByRole('link', { name: 'Desk dock' }).click();
      await page.getByRole('button', { name: 'Check out' }).waitFor();
      await page.getByRole('tab', { name: 'Custody' }).click();
      await page.getByRole('tabpanel').getByText('for the Lisbon audit · as new').waitFor();
      await page.goBack();
      await page.goBack();
      await page.getByRole('heading', { name: 'Design laptop' }).waitFor();

      step('a leaver returns everything they hold from their page');
      await page.getByRole('button', { name: 'Check out' }).click();
      await dialog
        .getByRole('textbox', { name: 'To' })
        .or(dialog.getByRole('combobox', { name: 'To' }))
        .fill('Custody');
      await page.getByRole('option', { name: /Custody Holder/ }).click();
      await dialog.getByRole('button', { name: 'Check out' }).click();
      await page.getByRole('button', { name: 'Check in' }).waitFor();
      await page.getByRole('tabpanel').getByRole('link', { name: 'Custody Holder' }).first().click();
      await page.getByRole('tab', { name: 'Holdings' }).click();
      await page.getByRole('button', { name: 'Check in everything' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Return 1 asset' }).click();
      await page.getByText('1 item checked in.').waitFor();
      await page.getByText('Custody Holder holds nothing.').waitFor();
    },
  },
];
