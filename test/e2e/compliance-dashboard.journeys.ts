import type { Page } from 'playwright-core';
import { ADMIN, type Journey, signIn } from './harness';

/** A call through the API as the signed-in user (the session cookie and, for writes, its CSRF token). */
async function apiCall<T>(page: Page, baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const session = await (await page.request.get(`${baseUrl}/api/v1/auth/session`)).json();
  const response =
    method === 'GET'
      ? await page.request.get(`${baseUrl}${path}`)
      : await page.request.post(`${baseUrl}${path}`, {
          headers: { 'x-csrf-token': session.csrfToken },
          data: body ?? {},
        });
  if (!response.ok())
    throw new Error(`${method} ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

const CONTROL = { refId: 'A.7.4', title: 'Premises watched for intrusion' };

/** The compliance dashboard, drift between two snapshots, and a rule that judges a control. */
export const journeys: Journey[] = [
  {
    name: 'compliance dashboard: coverage and trend, the drift of a control linked to evidence, a linked-records rule on it',
    async run({ env, page, step }) {
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);
      const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
        apiCall<T>(page, env.baseUrl, method, path, body);

      step(
        'set up through the API: ISO 27001, a snapshot, a location as evidence of A.7.4, another snapshot',
      );
      const iso = await call<{ data: { id: string } }>(
        'POST',
        '/api/v1/framework-library/iso27001-2022/install',
      );
      await call('POST', '/api/v1/compliance/snapshots');
      const location = await call<{ id: string }>('POST', '/api/v1/locations', { name: 'Drift watch room' });
      const controls = await call<{ data: Array<{ id: string; refId: string }> }>(
        'GET',
        `/api/v1/controls?frameworkId=${iso.data.id}&q=${CONTROL.refId}&kind=control`,
      );
      const control = controls.data.find((candidate) => candidate.refId === CONTROL.refId);
      if (!control) throw new Error(`${CONTROL.refId} is not among the installed controls`);
      await call('POST', '/api/v1/compliance-links', {
        controlId: control.id,
        linkableType: 'location',
        linkableId: location.id,
        justification: 'Cameras watch every entrance of the room.',
      });
      await call('POST', '/api/v1/compliance/snapshots');

      step('Compliance → Dashboard from the sidebar: coverage above 0 and a card for ISO 27001');
      await page.goto(`${env.baseUrl}/`);
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: 'Dashboard', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Compliance dashboard', level: 1 }).waitFor();
      const coverage = await page.getByTestId('total-coverage').textContent();
      if (!(Number.parseFloat(coverage ?? '') > 0)) throw new Error(`total coverage is ${coverage}`);
      await page
        .getByRole('article', { name: 'ISO/IEC 27001:2022' })
        .getByText(/controls? without owner/)
        .waitFor();
      await page.getByRole('heading', { name: 'Evidence expiring within 30 days' }).waitFor();

      step('the trend draws a line per framework over the snapshots');
      const trend = page.getByRole('region', { name: 'Coverage trend' });
      await trend.getByText(/^\d+ snapshots$/).waitFor();
      // A line along 0% has no height: drawn, though not "visible" to the browser's eye.
      await trend.locator('.recharts-line-curve').first().waitFor({ state: 'attached' });
      await trend
        .getByText(/^ISO\/IEC 27001:2022: [\d.]+% on .+, [\d.]+% on .+$/)
        .waitFor({ state: 'attached' });

      step('Drift: the last two snapshots by default, A.7.4 improved with the reasons before and after');
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: 'Drift', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Compliance drift', level: 1 }).waitFor();
      const changes = page.getByRole('table', { name: 'Changes' });
      const row = changes.getByRole('row').filter({ hasText: CONTROL.refId });
      await row.getByText('Improvement').waitFor();
      await row.getByText('no valid evidence').waitFor();
      await row.getByText('1 piece of valid evidence').waitFor();
      await row.getByText('Uncovered').waitFor();
      await row.getByText('Manual').waitFor();
      await page.getByText(/^Improvements \(\d+\)$/).waitFor();

      step('only the regressions: A.7.4 is not among them');
      await page.getByText(/^Regressions \(\d+\)$/).click();
      await row.waitFor({ state: 'detached' });
      await page.getByText(/^All \(\d+\)$/).click();
      await row.waitFor();

      step('the control opens from the drift; its Rules tab has none yet');
      await row.getByRole('link', { name: new RegExp(CONTROL.title) }).click();
      await page.getByRole('heading', { name: CONTROL.title, level: 1 }).waitFor();
      await page.getByRole('tab', { name: 'Rules' }).click();
      const rules = page.getByRole('tabpanel', { name: 'Rules' });
      await rules.getByText('No rules').waitFor();

      step('a rule needs a name; linked records at least 2 makes the control non-compliant, with why');
      await rules.getByRole('button', { name: 'Add rule' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add rule' });
      await dialog.getByRole('radio', { name: 'Linked records' }).check();
      await dialog.getByRole('textbox', { name: 'Minimum linked records' }).fill('2');
      await dialog.getByRole('button', { name: 'Add rule' }).click();
      await dialog.getByText('Name is required').waitFor();
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Two records watch the premises');
      await dialog.getByRole('button', { name: 'Add rule' }).click();
      await page.getByText(`Rule “Two records watch the premises” added to ${CONTROL.refId}.`).waitFor();
      await dialog.waitFor({ state: 'hidden' });
      const rule = rules.getByRole('listitem', { name: 'Two records watch the premises' });
      await rule.getByText('Non-compliant').waitFor();
      await rule.getByText('1 linked record, 2 required').waitFor();
      await page.getByText('Two records watch the premises: 1 linked record, 2 required').first().waitFor();

      step('disabled, the rule stops judging: the evidence makes the control manual again');
      const enabled = rule.getByRole('switch', { name: 'Two records watch the premises: enabled' });
      if (!(await enabled.isChecked())) throw new Error('a new rule is not enabled');
      await enabled.click();
      await rule.getByText('Not evaluated while disabled.').waitFor();
      if (await enabled.isChecked()) throw new Error('the disabled rule still shows as enabled');
      await page.getByText('1 piece of valid evidence').first().waitFor();

      step('deleted after a confirmation');
      await rule.getByRole('button', { name: 'Delete Two records watch the premises' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete this rule?' });
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Rule deleted.').waitFor();
      await rules.getByText('No rules').waitFor();
    },
  },
];
