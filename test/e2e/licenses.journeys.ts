import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Journey, signIn } from './harness';

const KEY = 'VSTD-7Q2K-99XZ-0042';

/** Software and licences: a key kept secret until revealed, and seats that run out. */
export const journeys: Journey[] = [
  {
    name: 'licences: a key revealed on request, the only seat assigned, a second assignment refused',
    async run({ env, page, step }) {
      for (const name of ['Seat Holder One', 'Seat Holder Two'])
        await buildUser({ system: env.system } as TestContext, { name, loginEnabled: false });
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      const modules = page.getByRole('navigation', { name: 'Modules' });
      const picker = (name: string) =>
        page.getByRole('textbox', { name }).or(page.getByRole('combobox', { name }));

      step('software is catalogued from the sidebar');
      await modules.getByRole('link', { name: 'Software', exact: true }).click();
      await page.getByRole('heading', { name: 'Software' }).waitFor();
      await page.getByRole('button', { name: 'New software' }).first().click();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Vector Studio');
      await page.getByRole('textbox', { name: 'Publisher' }).fill('Vector Inc.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Vector Studio' }).waitFor();

      step('a licence with one seat and its key, typed into a password field');
      await modules.getByRole('link', { name: 'Licences', exact: true }).click();
      await page.getByRole('heading', { name: 'Licences' }).waitFor();
      await page.getByRole('button', { name: 'New licence' }).first().click();
      await picker('Software').fill('Vector');
      await page.getByRole('option', { name: 'Vector Studio' }).click();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Vector Studio team');
      await page.getByRole('textbox', { name: 'Seats' }).fill('1');
      const keyInput = page.getByLabel('Key', { exact: true });
      if ((await keyInput.getAttribute('type')) !== 'password') throw new Error('the key should be masked');
      await keyInput.fill(KEY);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Vector Studio team' }).waitFor();
      await page.getByRole('link', { name: 'Vector Studio' }).waitFor();
      if ((await page.content()).includes(KEY))
        throw new Error('the key must not be on the page before a reveal');

      step('the key is shown only after confirming, and hidden again');
      await page.getByRole('button', { name: 'Reveal key' }).click();
      const confirm = page.getByRole('dialog', { name: 'Reveal the licence key?' });
      await confirm.getByRole('button', { name: 'Reveal key' }).click();
      await confirm.waitFor({ state: 'hidden' });
      // Exact: "Licence key" is also part of the confirmation's title, which may still be closing.
      const shown = page.getByRole('dialog', { name: 'Licence key', exact: true });
      await shown.getByText(KEY).waitFor();
      await shown.getByRole('button', { name: 'Copy' }).waitFor();
      await shown.getByRole('button', { name: 'Hide key' }).click();
      await shown.waitFor({ state: 'hidden' });
      await page.getByText(KEY).waitFor({ state: 'hidden' });

      step('the only seat goes to a person');
      await page.getByRole('tab', { name: 'Seats' }).click();
      await page.getByRole('heading', { name: '0 of 1 seat in use' }).waitFor();
      await picker('Person').fill('Seat Holder');
      await page.getByRole('option', { name: /Seat Holder One/ }).click();
      await page.getByRole('button', { name: 'Assign seat' }).click();
      await page.getByText('Seat assigned.').waitFor();
      await page.getByRole('heading', { name: '1 of 1 seat in use' }).waitFor();
      await page.getByRole('tabpanel').getByRole('link', { name: 'Seat Holder One' }).waitFor();

      step('a second person cannot have it: the server says why');
      await picker('Person').fill('Seat Holder Two');
      await page.getByRole('option', { name: /Seat Holder Two/ }).click();
      await page.getByRole('button', { name: 'Assign seat' }).click();
      await page.getByText('The only seat of Vector Studio team is in use.').waitFor();
      if ((await page.getByRole('tabpanel').getByRole('link', { name: 'Seat Holder Two' }).count()) !== 0)
        throw new Error('the refused assignment must not be listed');

      step('releasing the seat frees it');
      await page.getByRole('button', { name: 'Release' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Release seat' }).click();
      await page.getByText('Seat released.').waitFor();
      await page.getByRole('heading', { name: '0 of 1 seat in use' }).waitFor();
    },
  },
];
