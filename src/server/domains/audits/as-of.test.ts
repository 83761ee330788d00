import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('compliance as of a past moment', () => {
  it('shows each control with the status and the evidence of then, and freezes an audit from them', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const framework = (await client.post('/api/v1/frameworks', { name: `As of ${randomUUID()}` })).json();
    const control = (
      await client.post('/api/v1/controls', {
        frameworkId: framework.id,
        refId: 'T-1',
        title: 'Doors locked',
      })
    ).json();
    const office = (await client.post('/api/v1/locations', { name: 'Old office', city: 'Leeds' })).json();
    const link = (
      await client.post('/api/v1/compliance-links', {
        controlId: control.id,
        linkableType: 'location',
        linkableId: office.id,
        justification: 'Badge readers on every door',
      })
    ).json().data;
    await client.post('/api/v1/compliance/snapshots');
    await tick();
    const then = new Date().toISOString();
    await tick();

    // Afterwards: the office renamed, the link removed, another location linked, a new snapshot.
    await client.patch(`/api/v1/locations/${office.id}`, {
      name: 'New office',
      city: 'York',
      version: office.version,
    });
    await client.delete(`/api/v1/compliance-links/${link.id}`);
    const other = (await client.post('/api/v1/locations', { name: 'Warehouse' })).json();
    await client.post('/api/v1/compliance-links', {
      controlId: control.id,
      linkableType: 'location',
      linkableId: other.id,
      justification: 'Alarm system',
    });
    await client.patch(`/api/v1/controls/${control.id}`, {
      title: 'Doors locked and alarmed',
      version: control.version + 0,
    });

    const past = (
      await client.get(`/api/v1/compliance/as-of?frameworkId=${framework.id}&at=${encodeURIComponent(then)}`)
    ).json().data;
    const row = past.controls.find((c: { refId: string }) => c.refId === 'T-1');
    expect(row).toMatchObject({ status: 'manual', reason: '1 piece of valid evidence' });
    expect(row.evidence).toEqual([
      expect.objectContaining({
        kind: 'link',
        label: 'Old office',
        justification: 'Badge readers on every door',
        record: expect.objectContaining({ name: 'Old office', city: 'Leeds' }),
      }),
    ]);
    const now = (
      await client.get(
        `/api/v1/compliance/as-of?frameworkId=${framework.id}&at=${encodeURIComponent(new Date().toISOString())}`,
      )
    ).json().data;
    expect(
      now.controls
        .find((c: { refId: string }) => c.refId === 'T-1')
        .evidence.map((e: { label: string }) => e.label),
    ).toEqual(['Warehouse']);

    const audit = await client.post('/api/v1/audits', {
      name: 'Reconstructed',
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      asOf: then,
    });
    expect(audit.statusCode, audit.body).toBe(201);
    expect(audit.json()).toMatchObject({ historical: true, frozenAsOf: then });
    const item = (await client.get(`/api/v1/audits/${audit.json().id}/items`))
      .json()
      .data.find((i: { refId: string }) => i.refId === 'T-1');
    expect(item).toMatchObject({ title: 'Doors locked', frozenStatus: 'manual' });
    expect(
      item.evidence.map((e: { displayName: string; recordJson: { city?: string } }) => [
        e.displayName,
        e.recordJson.city,
      ]),
    ).toEqual([['Old office', 'Leeds']]);
  });

  it('freezes the files of manual evidence attached by then, not those attached since', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const framework = (await client.post('/api/v1/frameworks', { name: `Files ${randomUUID()}` })).json();
    const control = (
      await client.post('/api/v1/controls', {
        frameworkId: framework.id,
        refId: 'F-1',
        title: 'Backups tested',
      })
    ).json();
    const evidence = (
      await client.post('/api/v1/compliance-evidence', {
        controlId: control.id,
        title: 'Restore test',
        evidenceDate: '2026-01-05',
      })
    ).json();
    const before = await client.upload(`/api/v1/compliance-evidence/${evidence.id}/attachments`, {
      filename: 'restore-january.txt',
      content: 'restored 42 files in 3 minutes',
    });
    expect(before.statusCode, before.body).toBe(201);
    await client.post('/api/v1/compliance/snapshots');
    await tick();
    const then = new Date().toISOString();
    await tick();
    const after = await client.upload(`/api/v1/compliance-evidence/${evidence.id}/attachments`, {
      filename: 'restore-february.txt',
      content: 'restored 40 files',
    });
    expect(after.statusCode).toBe(201);

    const audit = await client.post('/api/v1/audits', {
      name: 'Files as they stood',
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      asOf: then,
    });
    expect(audit.statusCode, audit.body).toBe(201);
    const item = (await client.get(`/api/v1/audits/${audit.json().id}/items`))
      .json()
      .data.find((i: { refId: string }) => i.refId === 'F-1');
    const files = item.evidence.filter((e: { fileName: string | null }) => e.fileName);
    expect(files).toEqual([
      expect.objectContaining({ fileName: 'restore-january.txt', sha256: before.json().sha256 }),
    ]);
    const download = await client.get(`/api/v1/audits/${audit.json().id}/evidence/${files[0].id}/file`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('restored 42 files in 3 minutes');
  });

  it('freezes what a rule found as the records stood then, not as they are now', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const framework = (
      await client.post('/api/v1/frameworks', { name: `Rules then ${randomUUID()}` })
    ).json();
    const control = (
      await client.post('/api/v1/controls', { frameworkId: framework.id, refId: 'R-1', title: 'Maintained' })
    ).json();
    const rule = await client.post('/api/v1/compliance-rules', {
      controlId: control.id,
      name: 'Maintenance done',
      ruleType: 'recent_record',
      criteria: { entityType: 'maintenance_log', filters: { status: 'completed' }, dateField: 'eventDate' },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const asset = (
      await client.post('/api/v1/assets', {
        name: 'Door controller',
        assetTag: `DC-${randomUUID().slice(0, 8)}`,
      })
    ).json();
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const log = async (status: string, days: number, description: string) =>
      (
        await client.post('/api/v1/maintenance-logs', {
          assetId: asset.id,
          type: 'inspection',
          status,
          eventDate: daysAgo(days),
          description,
        })
      ).json();
    const done = await log('completed', 20, 'Inspected, as it was then');
    const pending = await log('in_progress', 10, 'Still running then');
    await tick();
    const then = new Date().toISOString();
    await tick();

    // Afterwards: the completed log reworded, the pending one completed, one more logged for the past.
    await client.patch(`/api/v1/maintenance-logs/${done.id}`, {
      description: 'Reworded afterwards',
      version: done.version,
    });
    await client.patch(`/api/v1/maintenance-logs/${pending.id}`, {
      status: 'completed',
      version: pending.version,
    });
    await log('completed', 5, 'Logged afterwards');

    const audit = await client.post('/api/v1/audits', {
      name: 'Rules as of then',
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      asOf: then,
    });
    expect(audit.statusCode, audit.body).toBe(201);
    const item = (await client.get(`/api/v1/audits/${audit.json().id}/items`))
      .json()
      .data.find((i: { refId: string }) => i.refId === 'R-1');
    expect(
      item.evidence.map((e: { source: string; recordId: string; recordJson: { description?: string } }) => [
        e.source,
        e.recordId,
        e.recordJson.description,
      ]),
    ).toEqual([['rule', done.id, 'Inspected, as it was then']]);
  });

  it('refuses a moment before the framework existed, and reads a date as its end', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const framework = (await client.post('/api/v1/frameworks', { name: `Young ${randomUUID()}` })).json();
    const early = await client.post('/api/v1/audits', {
      name: 'Too early',
      frameworkId: framework.id,
      periodStart: '2020-01-01',
      periodEnd: '2020-12-31',
      asOf: '2020-12-31',
    });
    expect(early.json().errors).toEqual([{ path: 'asOf', message: 'is before the framework was installed' }]);
    const byDate = (
      await client.get(`/api/v1/compliance/as-of?frameworkId=${framework.id}&at=2020-06-30`)
    ).json().data;
    expect(byDate).toMatchObject({ at: '2020-06-30T23:59:59.999Z', snapshot: null, controls: [] });
  });
});
