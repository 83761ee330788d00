import { readFile } from 'node:fs/promises';
import { buildCustomField, buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Environment, type Journey, signIn } from './harness';

/** The factories only need the system context; the browser environment has one. */
const factoryContext = (env: Environment) => ({ system: env.system }) as TestContext;

/** The generic list: columns, saved views, bulk actions and CSV export. */
export const journeys: Journey[] = [
  {
    name: 'list: a hidden column stays hidden, a saved view comes back, two users are bulk-archived',
    async run({ env, page, step }) {
      const department = `Lists ${Date.now().toString(36)}`;
      for (const name of ['Ada Bulkley', 'Brian Bulkley', 'Cleo Keeper']) {
        await buildUser(factoryContext(env), { name, department, jobTitle: 'Engineer', loginEnabled: false });
      }
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.goto(`${env.baseUrl}/people/users`);
      const table = page.getByRole('table', { name: 'Users' });
      const jobTitleHeader = table.getByRole('columnheader', { name: /Job title/ });

      step('hide the job title column from the column chooser');
      await jobTitleHeader.waitFor();
      // Rows appear once the person's column choice has loaded: a click before it could be undone.
      await table.getByRole('row').nth(1).waitFor();
      await page.getByRole('button', { name: 'Columns' }).click();
      await page.getByRole('checkbox', { name: 'Job title' }).waitFor();
      const saved = page.waitForResponse(
        (response) =>
          response.url().includes('/api/v1/me/preferences/list-columns/user') &&
          response.request().method() === 'PUT',
      );
      // The list's layout comes from a query cache that tells React of a change a moment later, so
      // the box unticks a moment after the click: wait for it rather than expect it at once.
      await page.getByRole('checkbox', { name: 'Job title' }).click();
      if ((await saved).status() !== 200) throw new Error('the column choice was not saved');
      await page.getByRole('checkbox', { name: 'Job title', checked: false }).waitFor();
      await page.keyboard.press('Escape');
      await jobTitleHeader.waitFor({ state: 'detached' });

      step('the column is still hidden after a reload');
      await page.reload();
      await table.getByRole('columnheader', { name: /Email/ }).waitFor();
      await table.getByRole('link').first().waitFor();
      if ((await jobTitleHeader.count()) !== 0) throw new Error('the job title column came back');

      step('filter and sort the list, then save it as a shared view');
      await page.getByRole('textbox', { name: 'Department' }).fill(department);
      await page.waitForURL((url) => url.searchParams.get('department') === department);
      await table.getByRole('button', { name: /^Name/ }).click();
      await page.waitForURL((url) => url.searchParams.get('sort') === '-name');
      await page.getByRole('button', { name: 'Views' }).click();
      await page.getByRole('menuitem', { name: 'Save current view as…' }).click();
      const saveDialog = page.getByRole('dialog', { name: 'Save current view' });
      await saveDialog.getByRole('textbox', { name: 'Name' }).fill('Bulkley team');
      await saveDialog.getByRole('checkbox', { name: 'Share with everyone who can see users' }).check();
      await saveDialog.getByRole('button', { name: 'Save view' }).click();
      await page.getByRole('button', { name: 'View: Bulkley team' }).waitFor();

      step('re-apply the view from the plain list');
      await page.goto(`${env.baseUrl}/people/users`);
      await table.getByRole('link').first().waitFor();
      await page.getByRole('button', { name: 'Views' }).click();
      await page.getByRole('menuitem', { name: 'Bulkley team' }).click();
      await page.waitForURL(
        (url) =>
          url.searchParams.get('department') === department && url.searchParams.get('sort') === '-name',
      );
      await page.getByRole('button', { name: 'View: Bulkley team' }).waitFor();
      await table.getByRole('link', { name: 'Ada Bulkley' }).waitFor();
      const names = await table.getByRole('link').allTextContents();
      if (names.join('|') !== 'Cleo Keeper|Brian Bulkley|Ada Bulkley') {
        throw new Error(`expected the view's rows, sorted by name descending; got ${names.join(', ')}`);
      }
      if ((await jobTitleHeader.count()) !== 0) throw new Error('the view should keep the job title hidden');

      step('export exactly what the view shows as CSV');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      if (!/^users-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename())) {
        throw new Error(`unexpected file name ${download.suggestedFilename()}`);
      }
      const csv = await readFile(await download.path(), 'utf8');
      const exported = csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[1]);
      if (exported.join('|') !== 'Cleo Keeper|Brian Bulkley|Ada Bulkley') {
        throw new Error(`expected the view's rows in the export; got ${exported.join(', ')}`);
      }

      step('select two users and archive them after confirming');
      await table.getByRole('checkbox', { name: 'Select Ada Bulkley' }).check();
      await table.getByRole('checkbox', { name: 'Select Brian Bulkley' }).check();
      const bar = page.getByRole('region', { name: 'Bulk actions' });
      await bar.getByText('2 selected').waitFor();
      await bar.getByRole('button', { name: 'Archive' }).click();
      const confirm = page.getByRole('dialog', { name: 'Archive 2 users?' });
      await confirm.getByRole('button', { name: 'Archive 2 users' }).click();
      await page.getByText('2 users were archived.').waitFor();
      await table.getByRole('link', { name: 'Ada Bulkley' }).waitFor({ state: 'detached' });
      await table.getByRole('link', { name: 'Cleo Keeper' }).waitFor();
      // The selection is cleared after the archive.
      await bar.waitFor({ state: 'hidden' });

      step('the archived list shows them');
      await page.getByText('Archived', { exact: true }).click();
      await table.getByRole('link', { name: 'Ada Bulkley' }).waitFor();
      await table.getByRole('link', { name: 'Brian Bulkley' }).waitFor();
    },
  },
  {
    name: 'generic screens: a record type with no page of its own is listed, created, validated, edited and its history shown',
    async run({ env, page, step }) {
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Users' }).first().waitFor();
      step('the list comes from the registry');
      await page.goto(`${env.baseUrl}/records/tag`);
      await page.getByRole('heading', { name: 'Tags' }).waitFor();
      await page.getByRole('button', { name: 'New tag' }).first().click();
      step('the form checks the server limits as the user types');
      const name = page.getByRole('textbox', { name: 'Name' });
      await name.fill('x'.repeat(51));
      await name.blur();
      await page.getByText('Name must be at most 50 characters').waitFor();
      await name.fill('generic-screens');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'generic-screens' }).waitFor();
      step('edit, and the history shows the change');
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('textbox', { name: 'Color' }).fill('teal');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'generic-screens' }).waitFor();
      await page.getByText('teal').first().waitFor();
      await page.getByRole('tab', { name: 'History' }).click();
      await page.getByRole('tabpanel').getByText('teal').first().waitFor();
      step('optional fields left empty are left to the server (a person without role or status chosen)');
      await page.goto(`${env.baseUrl}/records/user/new`);
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Generic Person');
      await page.getByRole('textbox', { name: 'Email' }).fill('generic.person@example.test');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Generic Person' }).waitFor();
      step('an unknown type is a friendly not-found page');
      await page.goto(`${env.baseUrl}/records/no_such_type`);
      await page
        .getByText(/not found|does not exist/i)
        .first()
        .waitFor();
    },
  },
  {
    name: 'list: filters by a custom field of the record type',
    async run({ env, page, step }) {
      const field = await buildCustomField(factoryContext(env), {
        key: 'cost_centre',
        label: 'Cost centre',
        fieldType: 'select',
        options: ['CC-100', 'CC-200'],
      });
      await buildUser(factoryContext(env), {
        name: 'Filter Hundred',
        loginEnabled: false,
        customFields: { [field.key]: 'CC-100' },
      });
      await buildUser(factoryContext(env), {
        name: 'Filter Twohundred',
        loginEnabled: false,
        customFields: { [field.key]: 'CC-200' },
      });
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.goto(`${env.baseUrl}/people/users?q=filter`);
      const table = page.getByRole('table', { name: 'Users' });
      await table.getByRole('link', { name: 'Filter Twohundred' }).waitFor();
      step('the custom field is offered as a filter, and filters');
      await page.getByRole('combobox', { name: 'Cost centre' }).click();
      await page.getByRole('option', { name: 'CC-100' }).click();
      await page.waitForURL(/cf\.cost_centre=CC-100/);
      await table.getByRole('link', { name: 'Filter Hundred' }).waitFor();
      await table.getByRole('link', { name: 'Filter Twohundred' }).waitFor({ state: 'detached' });
    },
  },
];
