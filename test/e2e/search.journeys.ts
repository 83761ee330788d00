import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Environment, type Journey, signIn } from './harness';

/** The factories only need the system context; the browser environment has one. */
const factoryContext = (env: Environment) => ({ system: env.system }) as TestContext;

/** Global search: the command palette finds records the user may read. */
export const journeys: Journey[] = [
  {
    name: 'global search finds a person with Ctrl+K and opens their page',
    async run({ env, page, step }) {
      const person = await buildUser(factoryContext(env), {
        name: 'Hedy Lamarr-Markey',
        email: 'hedy.markey@example.test',
        loginEnabled: false,
      });
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Users' }).first().waitFor();

      step('Ctrl+K opens the palette with an empty state');
      await page.keyboard.press('Control+K');
      const dialog = page.getByRole('dialog', { name: 'Search' });
      const input = dialog.getByRole('combobox', { name: 'Search records' });
      await input.waitFor();
      await dialog.getByText('Type a name, e-mail address or any word.').waitFor();

      step('a word that matches nothing says so');
      await input.fill('qqxqqzz');
      await dialog.getByText('No results for “qqxqqzz”').waitFor();

      step('part of the name finds the person under the Users heading');
      await input.fill('lamarr');
      const option = dialog
        .getByRole('group', { name: 'Users' })
        .getByRole('option', { name: /Hedy Lamarr-Markey/ });
      await option.waitFor();
      if ((await option.getAttribute('aria-selected')) !== 'true') {
        throw new Error('expected the first hit to be the active option');
      }
      const activeId = await input.getAttribute('aria-activedescendant');
      if (!activeId || activeId !== (await option.getAttribute('id'))) {
        throw new Error(`expected aria-activedescendant to point at the hit, got ${activeId}`);
      }

      step('Enter opens the person');
      await input.press('Enter');
      await page.waitForURL(`**/people/users/${person.id}`);
      await page.getByRole('heading', { name: 'Hedy Lamarr-Markey' }).waitFor();
      await dialog.waitFor({ state: 'hidden' });

      step('Escape closes the palette, and the top bar button opens it again');
      await page.keyboard.press('Control+K');
      await input.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await input.waitFor();
      await page.keyboard.press('Escape');

      step('the bell says there are no notifications');
      await page.getByRole('button', { name: 'Notifications' }).click();
      await page.getByText('You have no notifications.').waitFor();
    },
  },
];
