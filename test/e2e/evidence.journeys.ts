import type { Page } from 'playwright-core';
import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Journey, signIn } from './harness';

/** A write through the API as the signed-in user (the session cookie and its CSRF token). */
async function apiPost<T>(page: Page, baseUrl: string, path: string, body?: unknown): Promise<T> {
  const session = await (await page.request.get(`${baseUrl}/api/v1/auth/session`)).json();
  const response = await page.request.post(`${baseUrl}${path}`, {
    headers: { 'x-csrf-token': session.csrfToken },
    data: body ?? {},
  });
  if (!response.ok()) throw new Error(`POST ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Types into a searchable select (a record picker) and chooses the option. */
async function pick(
  page: Page,
  scope: ReturnType<Page['getByRole']>,
  label: string,
  search: string,
  option: string,
) {
  const input = scope
    .getByRole('textbox', { name: label, exact: true })
    .or(scope.getByRole('combobox', { name: label, exact: true }));
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A date `days` from today, as the server counts days (UTC). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Compliance evidence: a record linked to a control from its own page, seen and removed on the control. */
export const journeys: Journey[] = [
  {
    name: 'compliance evidence: a location linked to A.7.1 from its Compliance tab, mapped, removed, then manual evidence added and archived',
    async run({ env, page, step }) {
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      await apiPost(page, env.baseUrl, '/api/v1/framework-library/iso27001-2022/install');
      await apiPost(page, env.baseUrl, '/api/v1/framework-library/soc2-tsc-2017/install');
      const location = await apiPost<{ id: string }>(page, env.baseUrl, '/api/v1/locations', {
        name: 'Evidence HQ',
      });
      const control = 'A.7.1 Secure areas have defined perimeters';

      step('the location’s Compliance tab explains evidence while it has none');
      await page.goto(`${env.baseUrl}/records/location/${location.id}`);
      await page.getByRole('heading', { name: 'Evidence HQ', level: 1 }).waitFor();
      await page.getByRole('tab', { name: 'Compliance' }).click();
      const panel = page.getByRole('tabpanel', { name: 'Compliance' });
      await panel.getByText('Not evidence for any control yet').waitFor();

      step('used as evidence of A.7.1: the justification is required, then the link is listed');
      await panel.getByRole('button', { name: 'Use as evidence' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Use as evidence' });
      await pick(page, dialog, 'Framework', 'ISO', 'ISO/IEC 27001:2022');
      await pick(page, dialog, 'Control', 'A.7.1', control);
      await dialog.getByRole('button', { name: 'Use as evidence' }).click();
      await dialog.getByText(/^Justification is required/).waitFor();
      await dialog
        .getByRole('textbox', { name: 'Justification' })
        .fill('Badge readers on every door; the perimeter plan is reviewed yearly.');
      await dialog.getByRole('button', { name: 'Use as evidence' }).click();
      await page.getByText('Now evidence of A.7.1 (ISO/IEC 27001:2022).').waitFor();
      await dialog.waitFor({ state: 'hidden' });
      await panel.getByText('Badge readers on every door; the perimeter plan is reviewed yearly.').waitFor();

      step('the control opens from the panel: manual, with the location listed as evidence');
      await panel.getByRole('link', { name: control }).click();
      await page.getByRole('heading', { name: 'Secure areas have defined perimeters', level: 1 }).waitFor();
      await page.getByText('Manual', { exact: true }).first().waitFor();
      await page.getByText('1 piece of valid evidence').first().waitFor();
      await page.getByRole('tab', { name: 'Evidence' }).click();
      const evidence = page.getByRole('tabpanel', { name: 'Evidence' });
      await evidence.getByRole('link', { name: 'Evidence HQ' }).waitFor();
      await evidence
        .getByText('Badge readers on every door; the perimeter plan is reviewed yearly.')
        .waitFor();

      step('mappings: the built-in one to SOC 2 is listed; a duplicate is refused next to the field');
      await page.getByRole('tab', { name: 'Mappings' }).click();
      const mappings = page.getByRole('tabpanel', { name: 'Mappings' });
      await mappings.getByRole('link', { name: 'CC6.4 Physical access restricted' }).waitFor();
      await mappings.getByRole('button', { name: 'Add mapping' }).click();
      const mapDialog = page.getByRole('dialog', { name: 'Add mapping' });
      await pick(page, mapDialog, 'Framework', 'SOC', 'SOC 2 Trust Services Criteria (2017, revised 2022)');
      await pick(page, mapDialog, 'Control', 'CC6.4', 'CC6.4 Physical access restricted');
      await mapDialog.getByRole('button', { name: 'Add mapping' }).click();
      await mapDialog.getByText('Control is already mapped to this control').waitFor();

      step('an equal mapping carries the evidence over to the other control');
      await pick(page, mapDialog, 'Control', 'CC6.6', 'CC6.6 Perimeter defenses against external threats');
      await mapDialog.getByRole('button', { name: 'Add mapping' }).click();
      await page.getByText('Mapped to CC6.6.').waitFor();
      await mapDialog.waitFor({ state: 'hidden' });
      await mappings.getByRole('link', { name: 'CC6.6 Perimeter defenses against external threats' }).click();
      await page
        .getByRole('heading', { name: 'Perimeter defenses against external threats', level: 1 })
        .waitFor();
      await page.getByText('evidence via mapping to A.7.1').first().waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Secure areas have defined perimeters', level: 1 }).waitFor();

      step('the mapping is removed after a confirmation');
      await mappings.getByRole('button', { name: 'Remove mapping to CC6.6' }).click();
      const confirmMapping = page.getByRole('dialog', { name: 'Remove this mapping?' });
      await confirmMapping.getByText(/evidence stops counting across them/).waitFor();
      await confirmMapping.getByRole('button', { name: 'Remove' }).click();
      await page.getByText('Mapping removed.').waitFor();
      await mappings.getByRole('link', { name: /^CC6\.6/ }).waitFor({ state: 'hidden' });

      step('the link is removed from the control after a confirmation: uncovered again');
      await page.getByRole('tab', { name: 'Evidence' }).click();
      await evidence.getByRole('button', { name: /^Remove evidence link: A\.7\.1/ }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove this evidence link?' });
      await confirm.getByText(/Evidence HQ will no longer count as evidence of A\.7\.1/).waitFor();
      await confirm.getByRole('button', { name: 'Remove' }).click();
      await page.getByText('Evidence link removed.').waitFor();
      await evidence.getByText(/^No records linked yet/).waitFor();
      await page.getByText('Uncovered', { exact: true }).first().waitFor();
      await page.getByText('no valid evidence').first().waitFor();

      step('manual evidence valid for ten more days counts, with its expiry shown');
      await evidence.getByRole('button', { name: 'Add evidence' }).click();
      const addDialog = page.getByRole('dialog', { name: 'Add evidence' });
      await addDialog.getByRole('textbox', { name: 'Title' }).fill('Perimeter walk-through');
      await addDialog.getByLabel('Valid until').fill(inDays(10));
      await addDialog.getByRole('button', { name: 'Add evidence' }).click();
      await addDialog.getByText('Evidence added', { exact: true }).waitFor();
      await addDialog.getByRole('button', { name: 'Choose files' }).waitFor();
      await addDialog.getByRole('button', { name: 'Done' }).click();
      await evidence.getByRole('link', { name: 'Perimeter walk-through' }).waitFor();
      await evidence.getByText('expires in 10 days').waitFor();
      await page.getByText('Manual', { exact: true }).first().waitFor();

      step('archived after a confirmation, it stops counting');
      await evidence.getByRole('button', { name: 'Archive Perimeter walk-through' }).click();
      const archive = page.getByRole('dialog', { name: 'Archive this evidence?' });
      await archive.getByRole('button', { name: 'Archive' }).click();
      await page.getByText('Evidence archived.').waitFor();
      await evidence.getByText(/^No manual evidence/).waitFor();
      await page.getByText('Uncovered', { exact: true }).first().waitFor();

      step('a compliance reader sees the evidence but cannot change it; others get no Compliance tab');
      const controlId = new URL(page.url()).pathname.split('/').at(-1)!;
      await apiPost(page, env.baseUrl, '/api/v1/compliance-links', {
        controlId,
        linkableType: 'location',
        linkableId: location.id,
        justification: 'Linked again for the reader.',
      });
      const factory = { system: env.system } as TestContext;
      const reader = await buildUser(factory, { grants: { compliance: 'read', core_inventory: 'read' } });
      const outsider = await buildUser(factory, { grants: { core_inventory: 'read' } });
      for (const [user, seesCompliance] of [
        [reader, true],
        [outsider, false],
      ] as const) {
        const other = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
        try {
          const otherPage = await other.newPage();
          otherPage.setDefaultTimeout(10_000);
          await signIn(otherPage, env.baseUrl, user.email, user.password);
          await otherPage.goto(`${env.baseUrl}/records/location/${location.id}`);
          await otherPage.getByRole('heading', { name: 'Evidence HQ', level: 1 }).waitFor();
          await otherPage.getByRole('tab', { name: 'History' }).waitFor();
          const tab = otherPage.getByRole('tab', { name: 'Compliance' });
          if (!seesCompliance) {
            if ((await tab.count()) !== 0)
              throw new Error('a user without compliance sees the Compliance tab');
            continue;
          }
          await tab.click();
          const readerPanel = otherPage.getByRole('tabpanel', { name: 'Compliance' });
          await readerPanel.getByText('Linked again for the reader.').waitFor();
          const writes = await readerPanel
            .getByRole('button', { name: /Use as evidence|Remove evidence link/ })
            .count();
          if (writes !== 0) throw new Error(`a compliance reader is offered ${writes} write actions`);
        } finally {
          await other.close();
        }
      }
    },
  },
];
