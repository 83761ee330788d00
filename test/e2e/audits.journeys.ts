import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, type Journey, signIn } from './harness';

/** A write through the API as the signed-in user (the session cookie and its CSRF token). */
export async function apiPost<T>(page: Page, baseUrl: string, url: string, body?: unknown): Promise<T> {
  const session = await (await page.request.get(`${baseUrl}/api/v1/auth/session`)).json();
  const response = await page.request.post(`${baseUrl}${url}`, {
    headers: { 'x-csrf-token': session.csrfToken },
    data: body ?? {},
  });
  if (!response.ok()) throw new Error(`POST ${url} answered ${response.status()}: ${await response.text()}`);
  // Some writes answer 204 with no body (setting a password).
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Types into a searchable select (a record picker) and chooses the option. */
export async function pick(
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

/**
 * An audit from start to pack: created and frozen in the UI, its frozen evidence read in the
 * drawer, a result recorded, locked and unlocked, the pack downloaded and verified, and an external
 * auditor invited who then sees that audit and no other.
 */
export const journeys: Journey[] = [
  {
    name: 'audits: created and frozen, evidence read, result set, locked and unlocked, pack verified, external auditor invited',
    async run({ env, page, step }) {
      const unique = randomUUID().slice(0, 6);
      const folder = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-e2e-audits-'));
      try {
        await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
        const post = <T>(url: string, body?: unknown) => apiPost<T>(page, env.baseUrl, url, body);
        const framework = await post<{ id: string; name: string }>('/api/v1/frameworks', {
          name: `Audit baseline ${unique}`,
        });
        const control = await post<{ id: string }>('/api/v1/controls', {
          frameworkId: framework.id,
          refId: 'AB-1',
          title: 'Server room access restricted',
        });
        await post('/api/v1/controls', {
          frameworkId: framework.id,
          refId: 'AB-2',
          title: 'Backups tested',
        });
        const location = await post<{ id: string }>('/api/v1/locations', { name: `Server room ${unique}` });
        await post('/api/v1/compliance-links', {
          controlId: control.id,
          linkableType: 'location',
          linkableId: location.id,
          justification: 'Badge readers on the server room door.',
        });
        // Another audit, never opened to the external auditor: they must not see it.
        await post('/api/v1/audits', {
          name: `Not for the auditor ${unique}`,
          frameworkId: framework.id,
          periodStart: '2025-01-01',
          periodEnd: '2025-12-31',
        });

        step('Compliance → Audits from the sidebar; a new audit is created and frozen in the dialog');
        await page.getByRole('navigation', { name: 'Modules' }).getByRole('link', { name: 'Audits' }).click();
        await page.getByRole('heading', { name: 'Audits', level: 1 }).waitFor();
        await page.getByRole('button', { name: 'New audit' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'New audit' });
        await dialog.getByRole('button', { name: 'Create and freeze' }).click();
        await dialog.getByText('Name is required').waitFor();
        const auditName = `Annual audit ${unique}`;
        await dialog.getByRole('textbox', { name: 'Name' }).fill(auditName);
        await pick(page, dialog, 'Framework', 'Audit baseline', framework.name);
        await dialog.getByLabel('Period start').fill('2026-01-01');
        await dialog.getByLabel('Period end').fill('2026-12-31');
        await dialog.getByRole('button', { name: 'Create and freeze' }).click();
        await page.getByRole('heading', { name: auditName, level: 1 }).waitFor();

        step('the control’s drawer shows its frozen evidence: the location and its fields');
        const table = page.getByRole('table', { name: 'Frozen controls' });
        await table.getByRole('button', { name: /^AB-1 Server room access restricted/ }).click();
        const drawer = page.getByRole('dialog', { name: 'AB-1 Server room access restricted' });
        const evidence = drawer.getByRole('region', { name: `Server room ${unique}` });
        await evidence.getByText('Linked record').waitFor();
        await evidence.getByText('Badge readers on the server room door.').waitFor();
        await evidence.getByRole('table', { name: `Fields of Server room ${unique}` }).waitFor();
        await page.keyboard.press('Escape');
        await drawer.waitFor({ state: 'hidden' });

        step('the team does not grade its own work: results wait for an auditor, and the screen says why');
        const result = table
          .getByRole('textbox', { name: 'Result of AB-1' })
          .or(table.getByRole('combobox', { name: 'Result of AB-1' }));
        await page
          .getByRole('note')
          .getByText(/Only the audit’s auditors record results/)
          .waitFor();
        if (!(await result.isDisabled())) throw new Error('the result select is enabled for the team');

        step('the administrator joins as auditor on the People tab, explicitly');
        await page.getByRole('tab', { name: 'People' }).click();
        await page.getByRole('button', { name: 'Join as auditor' }).click();
        const join = page.getByRole('dialog', { name: 'Join this audit as an auditor?' });
        await join.getByText(/recorded in the audit log/).waitFor();
        await join.getByRole('button', { name: 'Join as auditor' }).click();
        await join.waitFor({ state: 'hidden' });
        await page
          .getByRole('table', { name: 'People on this audit' })
          .getByRole('row', { name: /Administrator/ })
          .getByText('Auditor', { exact: true })
          .waitFor();
        if ((await page.getByRole('button', { name: 'Join as auditor' }).count()) > 0)
          throw new Error('the auditor is still offered to join as auditor');

        step('as an auditor, a result is recorded in the row and counted');
        await page.getByRole('tab', { name: 'Controls' }).click();
        await page.waitForFunction(
          () => !document.querySelector('input[aria-label="Result of AB-1"]')?.hasAttribute('disabled'),
        );
        await result.click();
        await page.getByRole('option', { name: 'Compliant', exact: true }).click();
        await page.getByText('1 of 2 reviewed').waitFor();

        step('locked with a reason: the banner says why and the result cannot change');
        await page.getByRole('button', { name: 'Lock' }).click();
        const lock = page.getByRole('dialog', { name: 'Lock this audit?' });
        await lock.getByRole('textbox', { name: 'Reason' }).fill('Handed to the certification body');
        await lock.getByRole('button', { name: 'Lock' }).click();
        await page.getByText('This audit is locked').waitFor();
        await page
          .getByText(/Handed to the certification body/)
          .first()
          .waitFor();
        if (!(await result.isDisabled())) throw new Error('the result select is enabled on a locked audit');

        step('unlocked by the administrator, with a reason');
        await page.getByRole('button', { name: 'Unlock' }).click();
        const unlock = page.getByRole('dialog', { name: 'Unlock this audit?' });
        await unlock.getByRole('textbox', { name: 'Reason' }).fill('Correction requested');
        await unlock.getByRole('button', { name: 'Unlock' }).click();
        await page.getByText('This audit is locked').waitFor({ state: 'hidden' });
        await page.waitForFunction(
          () => !document.querySelector('input[aria-label="Result of AB-1"]')?.hasAttribute('disabled'),
        );

        step('the evidence pack downloads');
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Download evidence pack' }).click(),
        ]);
        const packFile = path.join(folder, download.suggestedFilename() || 'pack.zip');
        await download.saveAs(packFile);
        if (!packFile.endsWith('.zip')) throw new Error(`the pack is named ${packFile}`);

        step('the pack verifies: OK, issued by this server for this audit');
        await page
          .getByRole('navigation', { name: 'Modules' })
          .getByRole('link', { name: 'Verify a pack' })
          .click();
        await page.getByRole('heading', { name: 'Verify an evidence pack', level: 1 }).waitFor();
        await page.locator('input[type="file"]').setInputFiles(packFile);
        await page.getByRole('button', { name: 'Verify' }).click();
        const ok = page.getByRole('status').filter({ hasText: 'OK: the pack is intact' });
        await ok.getByText(/Issued by this server on/).waitFor();
        await ok.getByRole('link', { name: 'this audit' }).click();
        await page.getByRole('heading', { name: auditName, level: 1 }).waitFor();

        step('an external auditor is invited with a password from the People tab');
        await page.getByRole('tab', { name: 'People' }).click();
        await page.getByRole('button', { name: 'Invite external auditor' }).click();
        const invite = page.getByRole('dialog', { name: 'Invite an external auditor' });
        const auditorEmail = `ada-${unique}@audit-firm.example`;
        const auditorPassword = 'a long auditor passphrase';
        await invite.getByRole('textbox', { name: 'E-mail' }).fill(auditorEmail);
        await invite.getByRole('textbox', { name: 'Name' }).fill('Ada Auditor');
        await invite.getByLabel('Password').fill('short');
        await invite.getByRole('button', { name: 'Invite' }).click();
        await invite.getByText('Password must be at least 12 characters').waitFor();
        await invite.getByLabel('Password').fill(auditorPassword);
        await invite.getByRole('button', { name: 'Invite' }).click();
        await invite.waitFor({ state: 'hidden' });
        const people = page.getByRole('table', { name: 'People on this audit' });
        await people
          .getByRole('row', { name: /Ada Auditor/ })
          .getByText('External auditor')
          .waitFor();

        step('signed in as the auditor: "My audits" lists that audit only, and it opens');
        const other = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
        try {
          const auditorPage = await other.newPage();
          auditorPage.setDefaultTimeout(10_000);
          await signIn(auditorPage, env.baseUrl, auditorEmail, auditorPassword);
          await auditorPage
            .getByRole('navigation', { name: 'Modules' })
            .getByRole('link', { name: 'My audits' })
            .click();
          await auditorPage.getByRole('heading', { name: 'My audits', level: 1 }).waitFor();
          const list = auditorPage.getByRole('table', { name: 'Audits' });
          await list.getByRole('link', { name: auditName }).waitFor();
          const rows = await list.locator('tbody tr').count();
          if (rows !== 1) throw new Error(`the auditor sees ${rows} audits`);
          await list.getByRole('link', { name: auditName }).click();
          await auditorPage.getByRole('heading', { name: auditName, level: 1 }).waitFor();
          const auditorTable = auditorPage.getByRole('table', { name: 'Frozen controls' });
          await auditorTable.getByRole('button', { name: /^AB-1 Server room access restricted/ }).waitFor();
          const auditorResult = auditorTable
            .getByRole('textbox', { name: 'Result of AB-1' })
            .or(auditorTable.getByRole('combobox', { name: 'Result of AB-1' }));
          // Enabled once the audit's people are read: the invited auditor records results.
          await auditorPage
            .waitForFunction(
              () => !document.querySelector('input[aria-label="Result of AB-1"]')?.hasAttribute('disabled'),
              undefined,
              { timeout: 10_000 },
            )
            .catch(() => {
              throw new Error('the invited auditor cannot record a result');
            });
          if (await auditorResult.isDisabled()) throw new Error('the invited auditor cannot record a result');
        } finally {
          await other.close();
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  },
];
