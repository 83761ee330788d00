import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { apiPost, pick } from './audits.journeys';
import { ADMIN, type Journey, signIn } from './harness';

/** Opens a frozen control's drawer from the Controls tab of the audit page. */
async function openControl(page: Page, name: string | RegExp) {
  await page.getByRole('table', { name: 'Frozen controls' }).getByRole('button', { name }).click();
  return page.getByRole('dialog', { name: 'AW-1 Access reviews performed' });
}

/**
 * Working an audit between an external auditor and the team: the auditor comments, asks for
 * evidence and records a finding; the team reads the comment, talks internally, answers the
 * request with a note added as evidence and closes the finding; the auditor sees the evidence
 * and never the internal thread.
 */
export const journeys: Journey[] = [
  {
    name: 'audit work: auditor comments, asks and records a finding; the team answers with evidence and closes it',
    async run({ env, page, step }) {
      const unique = randomUUID().slice(0, 6);
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      const post = <T>(url: string, body?: unknown) => apiPost<T>(page, env.baseUrl, url, body);
      const framework = await post<{ id: string }>('/api/v1/frameworks', { name: `Work baseline ${unique}` });
      await post('/api/v1/controls', {
        frameworkId: framework.id,
        refId: 'AW-1',
        title: 'Access reviews performed',
      });
      const audit = await post<{ id: string }>('/api/v1/audits', {
        name: `Worked audit ${unique}`,
        frameworkId: framework.id,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
      });
      const auditorEmail = `grace-${unique}@audit-firm.example`;
      const auditorPassword = 'a long auditor passphrase';
      const invited = await post<{ data: { userId: string } }>(`/api/v1/audits/${audit.id}/auditors`, {
        email: auditorEmail,
        name: 'Grace Auditor',
      });
      await post(`/api/v1/users/${invited.data.userId}/password`, { password: auditorPassword });

      const findingTitle = 'Quarterly access reviews skipped';
      const internalNote = 'Q1 review was late, say so plainly';
      const evidenceTitle = 'Access review Q1 2026';
      const control = /^AW-1 Access reviews performed/;
      const other = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const auditor = await other.newPage();
        auditor.setDefaultTimeout(10_000);
        await signIn(auditor, env.baseUrl, auditorEmail, auditorPassword);

        step('the auditor comments on the control: Ctrl+Enter sends');
        await auditor.goto(`${env.baseUrl}/audits/${audit.id}`);
        let drawer = await openControl(auditor, control);
        const thread = drawer.getByRole('region', { name: 'Thread with the audited team' });
        const message = thread.getByRole('textbox', { name: 'Message to the audited team' });
        await message.fill('Where is the access review for March?');
        await message.press('Control+Enter');
        await thread.getByRole('listitem').getByText('Where is the access review for March?').waitFor();
        if ((await message.inputValue()) !== '') throw new Error('the composer was not cleared');
        if ((await drawer.getByText('Internal — never shown to auditors').count()) > 0)
          throw new Error('the external auditor sees the internal thread');
        if ((await drawer.getByRole('button', { name: 'Add evidence' }).count()) > 0)
          throw new Error('the external auditor is offered to add evidence');

        step('the auditor asks for evidence');
        await drawer
          .getByRole('textbox', { name: 'Ask for evidence' })
          .fill('Please add the Q1 access review.');
        await drawer.getByRole('button', { name: 'Ask for evidence' }).click();
        const requests = drawer.getByRole('region', { name: /^Requests for evidence/ });
        await requests.getByText('Please add the Q1 access review.').waitFor();
        await requests.getByText('Open', { exact: true }).waitFor();
        if ((await requests.getByRole('button', { name: 'Answer the request on AW-1' }).count()) > 0)
          throw new Error('the external auditor is offered to answer');

        step('the auditor records a finding on the control');
        await drawer.getByRole('button', { name: 'Record a finding' }).click();
        const record = auditor.getByRole('dialog', { name: 'Record a finding on AW-1' });
        // Escape closes the dialog alone: the control's drawer stays open under it.
        await record.getByRole('textbox', { name: 'Title' }).waitFor();
        await auditor.keyboard.press('Escape');
        await record.waitFor({ state: 'hidden' });
        if (!(await drawer.isVisible())) throw new Error('Escape in the dialog closed the drawer too');
        await drawer.getByRole('button', { name: 'Record a finding' }).click();
        await record.getByRole('button', { name: 'Record the finding' }).click();
        await record.getByText('Title is required').waitFor();
        await record.getByRole('textbox', { name: 'Title' }).fill(findingTitle);
        await record
          .getByRole('textbox', { name: 'Severity' })
          .or(record.getByRole('combobox', { name: 'Severity' }))
          .click();
        await auditor.getByRole('option', { name: 'High', exact: true }).click();
        await record.getByLabel('Due date').fill('2026-01-31');
        await record.getByRole('button', { name: 'Record the finding' }).click();
        await record.waitFor({ state: 'hidden' });
        await drawer
          .getByRole('region', { name: /^Findings/ })
          .getByText(findingTitle)
          .waitFor();

        step('the team reads the auditor’s comment in the thread with the auditors, and talks internally');
        await page.goto(`${env.baseUrl}/compliance/audits/${audit.id}`);
        const team = await openControl(page, control);
        const withAuditors = team.getByRole('region', { name: 'With the auditors' });
        const theirs = withAuditors
          .getByRole('listitem')
          .filter({ hasText: 'Where is the access review for March?' });
        await theirs.getByText('Grace Auditor').waitFor();
        const internal = team.getByRole('region', { name: 'Internal — never shown to auditors' });
        await internal.getByRole('textbox', { name: 'Internal message' }).fill(internalNote);
        await internal.getByRole('button', { name: 'Send internally' }).click();
        await internal.getByRole('listitem').getByText(internalNote).waitFor();

        step('the team answers the request with a note added as evidence');
        await team.getByRole('button', { name: 'Answer the request on AW-1' }).click();
        const answer = page.getByRole('dialog', { name: 'Answer the request on AW-1' });
        await answer
          .getByRole('textbox', { name: 'Answer' })
          .fill('The Q1 review is now attached as evidence.');
        await answer.getByRole('checkbox', { name: /Also add the answer/ }).check();
        await answer.getByRole('button', { name: 'Answer', exact: true }).click();
        await answer.getByText('Title is required for the evidence note').waitFor();
        await answer.getByRole('textbox', { name: 'Evidence title' }).fill(evidenceTitle);
        await answer.getByRole('button', { name: 'Answer', exact: true }).click();
        await answer.waitFor({ state: 'hidden' });
        const added = team.getByRole('region', { name: evidenceTitle });
        await added.getByText('Added during the audit').waitFor();
        await team
          .getByRole('region', { name: /^Requests for evidence/ })
          .getByText('Answered')
          .waitFor();
        await page.keyboard.press('Escape');
        await team.waitFor({ state: 'hidden' });

        step('the Requests tab lists the answered request with its control');
        await page.getByRole('tab', { name: /Requests/ }).click();
        const requestTable = page.getByRole('table', { name: 'Requests for evidence' });
        const requestRow = requestTable.getByRole('row', { name: /Please add the Q1 access review/ });
        await requestRow.getByText('Answered').waitFor();
        await requestRow.getByText('AW-1').waitFor();

        step('the team responds to the finding: it cannot reword it, and takes it on as its owner');
        await page.getByRole('tab', { name: /Findings/ }).click();
        const findings = page.getByRole('table', { name: 'Findings' });
        const row = findings.getByRole('row', { name: new RegExp(findingTitle) });
        await row.getByText('overdue').waitFor();
        await row.getByText('Raised by Grace Auditor').waitFor();
        await row.getByText('AW-1').waitFor();
        if ((await row.getByRole('button', { name: `Close the finding ${findingTitle}` }).count()) > 0)
          throw new Error('the team is offered to close a finding nobody owns');
        await row.getByRole('button', { name: `${findingTitle}: edit` }).click();
        const edit = page.getByRole('dialog', { name: 'Edit the finding' });
        if (!(await edit.getByRole('textbox', { name: 'Title' }).isDisabled()))
          throw new Error('the team may reword the auditor’s finding');
        await pick(page, edit, 'Owner', 'Administrator', `Administrator (${ADMIN.email})`);
        await edit.getByRole('button', { name: 'Save' }).click();
        await edit.waitFor({ state: 'hidden' });

        step('its owner closes the finding from the Findings tab, with a closure note');
        await row.getByRole('button', { name: `Close the finding ${findingTitle}` }).click();
        const close = page.getByRole('dialog', { name: 'Close the finding' });
        await close.getByRole('textbox', { name: 'Closure note' }).fill('');
        await close.getByRole('button', { name: 'Close the finding' }).click();
        await close.getByText('Closure note is required to close a finding').waitFor();
        await close
          .getByRole('textbox', { name: 'Closure note' })
          .fill('Monthly reviews since April, signed off.');
        await close.getByRole('button', { name: 'Close the finding' }).click();
        await close.waitFor({ state: 'hidden' });
        await row.getByText('Closed', { exact: true }).waitFor();

        step('the finding’s control opens its drawer');
        await row.getByRole('button', { name: 'AW-1: open the control' }).click();
        await page.getByRole('dialog', { name: 'AW-1 Access reviews performed' }).waitFor();

        step('the auditor sees the added evidence and the answer, never the internal comment');
        // The open control is in the address: the reloaded page opens it again.
        await auditor.reload();
        drawer = auditor.getByRole('dialog', { name: 'AW-1 Access reviews performed' });
        await drawer.waitFor();
        await drawer
          .getByRole('region', { name: evidenceTitle })
          .getByText('Added during the audit')
          .waitFor();
        const asked = drawer.getByRole('region', { name: /^Requests for evidence/ });
        await asked.getByText(/^Answer: The Q1 review is now attached as evidence\./).waitFor();
        await asked.getByRole('button', { name: 'Close the request on AW-1' }).click();
        await asked.getByText('Closed', { exact: true }).waitFor();
        await drawer.getByText('Where is the access review for March?').waitFor();
        if ((await drawer.getByText(internalNote).count()) > 0)
          throw new Error('the external auditor sees the internal comment');

        step('locked: the auditor is told why, and the composers are gone');
        await post(`/api/v1/audits/${audit.id}/lock`, { reason: 'Report issued' });
        await auditor.reload();
        await drawer.waitFor();
        await drawer
          .getByRole('note')
          .getByText(/The audit is locked \(Report issued\)/)
          .waitFor();
        if ((await drawer.getByRole('textbox', { name: 'Message to the audited team' }).count()) > 0)
          throw new Error('the thread takes messages on a locked audit');
        if ((await drawer.getByRole('button', { name: 'Record a finding' }).count()) > 0)
          throw new Error('findings can be recorded on a locked audit');
      } finally {
        await other.close();
      }
    },
  },
];
