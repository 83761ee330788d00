import { generate } from 'otplib';
import { confirmTwoFactor, startTwoFactorEnrolment } from '../../src/server/platform/auth/account.service';
import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Environment, type Journey, signIn, submitLogin } from './harness';

/** The factories only need the system context; the browser environment has one. */
const factoryContext = (env: Environment) => ({ system: env.system }) as TestContext;

async function expectNoButton(page: import('playwright-core').Page, name: string): Promise<void> {
  const count = await page.getByRole('button', { name, exact: true }).count();
  if (count !== 0) throw new Error(`expected no "${name}" button, found ${count}`);
}

async function createPerson(env: Environment, name: string) {
  return buildUser(factoryContext(env), { name, loginEnabled: false, department: 'Finance' });
}

export const journeys: Journey[] = [
  {
    name: 'signs in without a second factor',
    async run({ env, page, step }) {
      step('wrong password is refused');
      await submitLogin(page, env.baseUrl, ADMIN.email, 'not-the-password');
      await page
        .getByRole('alert')
        .getByText(/incorrect/i)
        .waitFor();
      step('right password opens the app');
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Users' }).first().waitFor();
    },
  },
  {
    name: 'signs in with a second factor',
    async run({ env, page, step }) {
      step('a user enrolled in two-factor');
      const user = await buildUser(factoryContext(env));
      const { secret } = await startTwoFactorEnrolment(env.system, env.app.deps, user.id);
      await confirmTwoFactor(env.system, env.app.deps, user.id, await generate({ secret }));
      step('the password step asks for the code');
      await submitLogin(page, env.baseUrl, user.email, user.password);
      const code = page.getByLabel('Authentication code');
      await code.waitFor();
      step('a wrong code is refused');
      await code.fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').waitFor();
      step('the right code signs in');
      // The enrolment code is spent (codes are good once); the next step's code is accepted.
      await code.fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page
        .getByRole('button', { name: new RegExp(user.name) })
        .first()
        .waitFor();
    },
  },
  {
    name: 'creates, edits, archives and restores a user, and the history shows the change',
    async run({ env, page, step }) {
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      step('create');
      await page.goto(`${env.baseUrl}/people/users`);
      await page.getByRole('button', { name: 'New user' }).click();
      step("the server contract's limits are checked as the user types");
      await page.getByRole('textbox', { name: 'Name' }).fill('G'.repeat(201));
      await page.getByRole('textbox', { name: 'Name' }).blur();
      await page.getByText(/Name must be at most 200 characters/).waitFor();
      await page.getByRole('textbox', { name: 'Name' }).fill('Grace Hopper');
      await page.getByRole('textbox', { name: 'Email' }).fill('grace.hopper@example.test');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
      step('edit');
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByLabel('Job title').fill('Rear Admiral');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
      await page.getByText('Rear Admiral').first().waitFor();
      step('history tab shows the change');
      await page.getByRole('tab', { name: 'History' }).click();
      await page.getByRole('tabpanel').getByText('Rear Admiral').first().waitFor();
      await page.getByRole('tabpanel').getByText('Job title').first().waitFor();
      step('archive, with confirmation');
      await page.getByRole('button', { name: 'Archive', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
      await page.getByRole('button', { name: 'Restore', exact: true }).waitFor();
      step('restore');
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
      await page.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    },
  },
  {
    name: 'shows a 409 conflict to the second editor, who can reapply their edits',
    async run({ env, context, page, step }) {
      const person = await createPerson(env, 'Conflict Person');
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Users' }).first().waitFor();
      const second = await context.newPage();
      step('both open the edit form');
      await page.goto(`${env.baseUrl}/people/users/${person.id}/edit`);
      await second.goto(`${env.baseUrl}/people/users/${person.id}/edit`);
      await page.getByLabel('Job title').waitFor();
      await second.getByLabel('Job title').waitFor();
      step('the first saves');
      await page.getByLabel('Job title').fill('First editor');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Conflict Person' }).waitFor();
      step('the second is told about the newer version');
      await second.getByLabel('Department').fill('Second department');
      await second.getByRole('button', { name: 'Save' }).click();
      await second.getByText('Someone else changed this record').waitFor();
      step('the second reapplies and saves');
      await second.getByRole('button', { name: 'Reapply my edits' }).click();
      await second.getByRole('button', { name: 'Save' }).click();
      await second.getByRole('heading', { name: 'Conflict Person' }).waitFor();
      await second.getByText('Second department').first().waitFor();
      await second.getByText('First editor').first().waitFor();
    },
  },
  {
    name: 'a read-only user sees no write actions, and the API refuses the write anyway',
    async run({ env, page, step }) {
      const reader = await buildUser(factoryContext(env), { grants: { hr_people: 'read' } });
      const person = await createPerson(env, 'Readable Person');
      await signIn(page, env.baseUrl, reader.email, reader.password);
      step('the list has no create button');
      await page.goto(`${env.baseUrl}/people/users`);
      await page.getByRole('link', { name: 'Readable Person' }).waitFor();
      await expectNoButton(page, 'New user');
      step('the detail has no edit or archive');
      await page.goto(`${env.baseUrl}/people/users/${person.id}`);
      await page.getByRole('heading', { name: 'Readable Person' }).waitFor();
      await expectNoButton(page, 'Edit');
      await expectNoButton(page, 'Archive');
      step('the API refuses a write sent from the page');
      const status = await page.evaluate(async () => {
        const session = await fetch('/api/v1/auth/session').then((r) => r.json());
        const response = await fetch('/api/v1/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({ name: 'Sneaky', email: 'sneaky@example.test' }),
        });
        return response.status;
      });
      if (status !== 403) throw new Error(`expected 403 from the API, got ${status}`);
    },
  },
  {
    name: 'uploads an attachment and downloads it back',
    async run({ env, page, step }) {
      const person = await createPerson(env, 'Attachment Person');
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Users' }).first().waitFor();
      await page.goto(`${env.baseUrl}/people/users/${person.id}`);
      await page.getByRole('tab', { name: 'Attachments' }).click();
      step('upload');
      const content = `evidence for the auditor ${Date.now()}`;
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose files' }).click();
      await (await chooser).setFiles({
        name: 'evidence.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(content),
      });
      const download = page.getByLabel('Download evidence.txt');
      await download.waitFor();
      step('download');
      const downloading = page.waitForEvent('download');
      await download.click();
      const file = await downloading;
      const stream = await file.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const received = Buffer.concat(chunks).toString('utf8');
      if (received !== content) throw new Error(`downloaded ${JSON.stringify(received)}`);
      if (file.suggestedFilename() !== 'evidence.txt')
        throw new Error(`file name ${file.suggestedFilename()}`);
    },
  },
  {
    name: 'a newcomer enrols two-factor, creates a group and a user, grants access, finds the user and reads the audit trail',
    async run({ env, page, step }) {
      // Their own administrator account: enrolling the shared one would ask the other journeys for codes.
      const newcomer = await buildUser(factoryContext(env), { name: 'New Administrator', role: 'admin' });
      await signIn(page, env.baseUrl, newcomer.email, newcomer.password);
      step('enrol two-factor from the profile');
      await page.getByRole('button', { name: /Account menu/ }).click();
      await page.getByRole('menuitem', { name: 'My profile' }).click();
      await page.getByRole('button', { name: 'Set up two-factor' }).click();
      const key = (await page.getByText(/^Key:/).locator('code').textContent())?.trim() ?? '';
      if (!/^[A-Z2-7]{16,}$/.test(key)) throw new Error(`expected a base32 key, got ${JSON.stringify(key)}`);
      await page.getByLabel('Authentication code').fill(await generate({ secret: key }));
      await page.getByRole('button', { name: 'Turn on two-factor' }).click();
      await page
        .getByText(/recovery codes/i)
        .first()
        .waitFor();

      step('create a group');
      await page.getByRole('link', { name: 'Groups' }).first().click();
      await page.getByRole('button', { name: 'New group' }).first().click();
      await page.getByRole('textbox', { name: 'Name' }).fill('Service desk');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Service desk' }).waitFor();

      step('give the group read access to a module');
      await page.getByRole('tab', { name: 'Permissions' }).click();
      await page.getByRole('radiogroup', { name: 'Compliance' }).getByLabel('Read').check();
      await page.getByRole('button', { name: 'Save permissions' }).click();
      await page.getByText('Permissions saved.').waitFor();

      step('create a user');
      await page.getByRole('link', { name: 'Users' }).first().click();
      await page.getByRole('button', { name: 'New user' }).first().click();
      await page.getByRole('textbox', { name: 'Name' }).fill('Katherine Johnson');
      await page.getByRole('textbox', { name: 'Email' }).fill('katherine.johnson@example.test');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Katherine Johnson' }).waitFor();

      step('find the user with global search');
      await page.getByRole('link', { name: 'Groups' }).first().click();
      await page.keyboard.press('Control+K');
      const search = page.getByRole('combobox', { name: 'Search records' });
      await search.fill('katherine');
      await page.getByRole('option', { name: /Katherine Johnson/ }).waitFor();
      await search.press('Enter');
      await page.getByRole('heading', { name: 'Katherine Johnson' }).waitFor();

      step('read the audit trail of all of it');
      await page.getByRole('link', { name: 'Audit log' }).first().click();
      const trail = page.getByRole('main');
      await trail.getByText('Katherine Johnson').first().waitFor();
      await trail.getByText('Service desk').first().waitFor();
      await trail
        .getByText(/access grant/i)
        .first()
        .waitFor();
      await trail
        .getByText(/credentials/i)
        .first()
        .waitFor();
    },
  },
  {
    name: 'organisation settings: checked as typed, saved, kept after a reload',
    async run({ env, page, step }) {
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Organisation' }).first().click();
      await page.getByRole('heading', { name: 'Organisation' }).waitFor();
      step('a threshold below the one before it is pointed out before saving');
      await page.getByRole('textbox', { name: 'Display name' }).fill('Northwind Pay');
      const levels = page.getByRole('textbox', { name: 'Impact levels' });
      await levels.fill('9');
      await levels.blur();
      await page.getByText('Impact levels must be at most 8').waitFor();
      await levels.fill('4');
      step('the server names a field it refuses');
      await page.getByRole('textbox', { name: 'High from (%)' }).fill('10');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(/must be above the medium threshold/).waitFor();
      await page.getByRole('textbox', { name: 'High from (%)' }).fill('60');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Organisation settings saved.').waitFor();
      step('a reload shows what was saved');
      await page.reload();
      await page.getByRole('textbox', { name: 'Display name' }).waitFor();
      const saved = await page.getByRole('textbox', { name: 'Display name' }).inputValue();
      if (saved !== 'Northwind Pay') throw new Error(`display name after reload: ${saved}`);
      const impact = await page.getByRole('textbox', { name: 'Impact levels' }).inputValue();
      if (impact !== '4') throw new Error(`impact levels after reload: ${impact}`);
    },
  },
];
