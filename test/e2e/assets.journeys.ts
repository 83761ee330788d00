import { locationEntity } from '../../src/server/domains/assets/assets.entity';
import { insertRecord } from '../../src/server/platform/audit/write';
import { inTransaction } from '../../src/server/platform/http/context';
import { ADMIN, type Journey, signIn } from './harness';

/** Assets: the inventory's records on the screens the registry gives them. */
export const journeys: Journey[] = [
  {
    name: 'assets: registered with a location picked by search, the status rules explained next to the field',
    async run({ env, page, step }) {
      const location = await inTransaction(env.system, (tx) =>
        insertRecord(tx, locationEntity, { name: 'Lisbon office', city: 'Lisbon' }),
      );
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
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
    },
  },
];
