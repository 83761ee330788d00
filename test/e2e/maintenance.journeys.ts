import { assetEntity } from '../../src/server/domains/assets/assets.entity';
import { checkOutAsset } from '../../src/server/domains/assets/custody.service';
import { insertRecord } from '../../src/server/platform/audit/write';
import { inTransaction } from '../../src/server/platform/http/context';
import { buildUser } from '../factories';
import type { TestContext } from '../harness';
import { ADMIN, type Journey, signIn } from './harness';

/** Maintenance and disposal: the end of an asset's life, from its page. */
export const journeys: Journey[] = [
  {
    name: 'maintenance and disposal: a repair logged and completed, a disposal refused while out, recorded, edited with a reason',
    async run({ env, page, step }) {
      const system = env.system;
      const [repaired, retired] = await Promise.all(
        [
          { name: 'Repair laptop', assetTag: 'MNT-0001' },
          { name: 'Retired laptop', assetTag: 'MNT-0002' },
        ].map((values) => inTransaction(system, (tx) => insertRecord(tx, assetEntity, values))),
      );
      const holder = await buildUser({ system } as TestContext, {
        name: 'Laptop Holder',
        loginEnabled: false,
      });
      await inTransaction(system, (tx) => checkOutAsset(tx, retired!.id, { userId: holder.id }, undefined));
      const today = new Date().toISOString().slice(0, 10);
      await signIn(page, env.baseUrl, ADMIN.email, ADMIN.password);

      step('a repair is logged from the asset’s Maintenance tab');
      await page.goto(`${env.baseUrl}/records/asset/${repaired!.id}?tab=maintenance`);
      await page.getByText('No maintenance logged.').waitFor();
      await page.getByRole('button', { name: 'Log maintenance' }).click();
      const logDialog = page.getByRole('dialog', { name: 'Log maintenance' });
      await logDialog.getByRole('textbox', { name: 'Description' }).fill('Keyboard replaced');
      await logDialog.getByRole('combobox', { name: 'Type' }).click();
      await page.getByRole('option', { name: 'Repair' }).click();
      await logDialog.getByRole('textbox', { name: 'Ticket url' }).fill('javascript:alert(1)');
      await logDialog.getByRole('button', { name: 'Log maintenance' }).click();
      await logDialog.getByText(/must be a web address/).waitFor();
      await logDialog.getByRole('textbox', { name: 'Ticket url' }).fill('https://desk.example.com/t/42');
      await logDialog.getByRole('button', { name: 'Log maintenance' }).click();
      await page.getByText('Maintenance logged.', { exact: true }).waitFor();
      await logDialog.waitFor({ state: 'hidden' });
      const panel = page.getByRole('tabpanel');
      await panel.getByRole('link', { name: 'Keyboard replaced' }).waitFor();
      await panel.getByText('Open', { exact: true }).waitFor();

      step('it moves to in progress, then completed, after which it offers no more moves');
      await panel.getByRole('button', { name: 'Start: Keyboard replaced' }).click();
      await panel.getByText('In progress', { exact: true }).waitFor();
      await panel.getByRole('button', { name: 'Complete: Keyboard replaced' }).click();
      await panel.getByText('Completed', { exact: true }).waitFor();
      await panel.getByRole('button', { name: /Keyboard replaced/ }).waitFor({ state: 'hidden' });

      step('a checked-out asset cannot be disposed of: the button says why');
      await page.goto(`${env.baseUrl}/records/asset/${retired!.id}`);
      await page.getByRole('heading', { name: 'Retired laptop' }).waitFor();
      const dispose = page.getByRole('button', { name: 'Dispose', exact: true });
      await dispose.hover();
      await page.getByRole('tooltip').getByText('checked out: check it in first').waitFor();
      await page.getByRole('button', { name: 'Check in' }).click();
      await page.getByRole('dialog', { name: 'Check in' }).getByRole('button', { name: 'Check in' }).click();
      await page.getByText('Checked in.').waitFor();

      step('once back in stock it is disposed of, after a confirmation');
      await page.locator('button:not([data-disabled])', { hasText: /^Dispose$/ }).click();
      const disposeDialog = page.getByRole('dialog', { name: 'Dispose of Retired laptop' });
      await disposeDialog.getByRole('combobox', { name: 'Method' }).click();
      await page.getByRole('option', { name: 'Recycled' }).click();
      await disposeDialog.getByRole('textbox', { name: 'Wipe method' }).fill('NIST 800-88 purge');
      await disposeDialog.getByRole('textbox', { name: 'Partner' }).fill('GreenIT');
      await disposeDialog.getByRole('button', { name: 'Dispose', exact: true }).click();
      await disposeDialog.getByText(/This is final/).waitFor();
      await disposeDialog.getByRole('button', { name: 'Dispose of this asset' }).click();
      await page.getByText('Retired laptop is disposed of.').waitFor();
      await page.locator('button[data-disabled]', { hasText: /^Dispose$/ }).waitFor();

      step('the Disposal tab shows the record; an edit without a reason is refused');
      await page.getByRole('tab', { name: 'Disposal' }).click();
      await panel.getByRole('link', { name: `Recycled on ${today}` }).waitFor();
      await panel.getByText('NIST 800-88 purge').waitFor();
      await panel.getByText('Not edited since it was recorded.').waitFor();
      await panel.getByRole('button', { name: 'Edit disposal' }).click();
      const editDialog = page.getByRole('dialog', { name: 'Edit disposal' });
      await editDialog.getByRole('textbox', { name: 'Partner' }).fill('GreenIT Recycling');
      await editDialog.getByRole('button', { name: 'Save' }).click();
      await editDialog.getByText('Reason for the change is required').waitFor();

      step('with a reason it is saved, and the edit is listed with its reason and values');
      await editDialog.getByRole('textbox', { name: 'Reason for the change' }).fill('Partner name corrected');
      await editDialog.getByRole('button', { name: 'Save' }).click();
      await editDialog.waitFor({ state: 'hidden' });
      await panel.getByRole('cell', { name: 'Partner name corrected' }).waitFor();
      await panel.getByText('Partner: GreenIT → GreenIT Recycling').waitFor();

      step('the disposal’s own edit form asks for the reason too, and the server insists');
      await panel.getByRole('link', { name: `Recycled on ${today}` }).click();
      await page.getByRole('heading', { name: `Recycled on ${today}` }).waitFor();
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      await page.getByRole('textbox', { name: 'Notes' }).fill('Certificate received by post');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Reason is required: say why the disposal record is changed').waitFor();
      await page.getByRole('textbox', { name: 'Reason' }).fill('Paperwork arrived');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: `Recycled on ${today}` }).waitFor();
      await page.getByRole('tab', { name: 'Edits' }).click();
      await page.getByRole('tabpanel').getByRole('cell', { name: 'Paperwork arrived' }).waitFor();
      await page.getByRole('tabpanel').getByRole('cell', { name: 'Partner name corrected' }).waitFor();
    },
  },
];
