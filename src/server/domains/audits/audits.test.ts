import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';
import { followingPeriod } from '../../../shared/periods';

const t = sharedTestContext();

interface Item {
  id: string;
  version: number;
  refId: string;
  kind: string;
  result: string;
  frozenStatus: string | null;
  evidence: Array<{
    id: string;
    source: string;
    displayName: string;
    recordJson: Record<string, unknown> | null;
    justification: string | null;
    sha256: string | null;
    fileName: string | null;
  }>;
}

async function items(client: Client, auditId: string): Promise<Item[]> {
  const response = await client.get(`/api/v1/audits/${auditId}/items?pageSize=200`);
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

/** A custom framework with three controls under one heading, evidence on the first two. */
async function setup() {
  const { client, user } = await signedIn(t, { role: 'admin' });
  const framework = (
    await client.post('/api/v1/frameworks', { name: `Audited ${Date.now()}${Math.random()}` })
  ).json();
  const heading = (
    await client.post('/api/v1/controls', {
      frameworkId: framework.id,
      refId: 'H',
      title: 'Physical',
      kind: 'group',
    })
  ).json();
  const control = async (refId: string, title: string) =>
    (
      await client.post('/api/v1/controls', { frameworkId: framework.id, parentId: heading.id, refId, title })
    ).json();
  const office = await control('H.1', 'Offices are access-controlled');
  const policy = await control('H.2', 'A signed policy');
  const other = await control('H.3', 'Left out of scope');
  const location = (
    await client.post('/api/v1/locations', { name: `Office ${Date.now()}`, city: 'Lisbon' })
  ).json();
  const link = await client.post('/api/v1/compliance-links', {
    controlId: office.id,
    linkableType: 'location',
    linkableId: location.id,
    justification: 'Badge readers at every door',
  });
  expect(link.statusCode).toBe(201);
  const evidence = (
    await client.post('/api/v1/compliance-evidence', {
      controlId: policy.id,
      title: 'Policy signed by the board',
      evidenceDate: '2026-01-15',
    })
  ).json();
  const content = Buffer.from(`minutes of the board ${Date.now()}`);
  const uploaded = await client.upload(`/api/v1/compliance-evidence/${evidence.id}/attachments`, {
    filename: 'minutes.txt',
    content,
    contentType: 'text/plain',
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  return {
    client,
    user,
    framework,
    office,
    policy,
    other,
    location,
    evidence,
    attachment: uploaded.json(),
    content,
  };
}

describe('an audit', () => {
  it('freezes the controls in scope with copies of their evidence, which later changes never reach', async () => {
    const s = await setup();
    const created = await s.client.post('/api/v1/audits', {
      name: 'ISO surveillance 2026',
      frameworkId: s.framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      controlIds: [s.office.id, s.policy.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const audit = created.json();
    expect(audit).toMatchObject({
      status: 'planned',
      scope: 'selection',
      locked: false,
      progress: { pending: 2 },
    });

    const frozen = await items(s.client, audit.id);
    expect(frozen.map((i) => i.refId)).toEqual(['H', 'H.1', 'H.2']);
    const office = frozen.find((i) => i.refId === 'H.1')!;
    expect(office).toMatchObject({ frozenStatus: 'manual', result: 'pending' });
    expect(office.evidence).toEqual([
      expect.objectContaining({
        source: 'link',
        displayName: s.location.name,
        justification: 'Badge readers at every door',
        recordJson: expect.objectContaining({ name: s.location.name, city: 'Lisbon' }),
      }),
    ]);
    const policy = frozen.find((i) => i.refId === 'H.2')!;
    const file = policy.evidence.find((e) => e.fileName === 'minutes.txt')!;
    expect(file.sha256).toBe(createHash('sha256').update(s.content).digest('hex'));

    // The live world moves on: the office renamed then archived, the file deleted, the policy edited.
    await s.client.patch(`/api/v1/locations/${s.location.id}`, {
      name: 'Renamed',
      city: 'Porto',
      version: s.location.version,
    });
    await s.client.post(`/api/v1/locations/${s.location.id}/archive`, { version: s.location.version + 1 });
    const removed = await s.client.delete(
      `/api/v1/compliance-evidence/${s.evidence.id}/attachments/${s.attachment.id}`,
    );
    expect(removed.statusCode).toBe(204);
    await s.client.patch(`/api/v1/compliance-evidence/${s.evidence.id}`, {
      title: 'Edited afterwards',
      version: s.evidence.version,
    });

    const after = await items(s.client, audit.id);
    expect(after).toEqual(frozen);
    // The file's bytes are kept for the audit although no attachment references them any more.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const download = await s.client.get(`/api/v1/audits/${audit.id}/evidence/${file.id}/file`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(s.content)).toBe(true);
    expect(download.headers['x-content-sha256']).toBe(file.sha256);
  });

  it('moves Planned → Preparation → Auditor review → Closed, closing with an outcome', async () => {
    const s = await setup();
    let audit = (
      await s.client.post('/api/v1/audits', {
        name: 'Walkthrough',
        frameworkId: s.framework.id,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
      })
    ).json();
    const move = async (body: Record<string, unknown>) => {
      const response = await s.client.patch(`/api/v1/audits/${audit.id}`, {
        ...body,
        version: audit.version,
      });
      if (response.statusCode === 200) audit = response.json();
      return response;
    };
    expect((await move({ status: 'closed' })).json().errors[0]).toEqual({
      path: 'status',
      message: 'a planned audit can become preparation',
    });
    expect((await move({ status: 'preparation' })).statusCode).toBe(200);
    expect((await move({ status: 'auditor_review' })).statusCode).toBe(200);
    expect((await move({ status: 'closed' })).json().errors).toEqual([
      { path: 'outcome', message: 'is required to close the audit' },
    ]);
    expect((await move({ status: 'closed', outcome: 'qualified' })).statusCode).toBe(200);
    expect(audit).toMatchObject({ status: 'closed', outcome: 'qualified' });
    expect((await move({ status: 'preparation' })).json().errors[0].message).toBe(
      'a closed audit stays closed',
    );
  });

  it('lets an internal auditor (a read-only account) work only on the audits they are an auditor of', async () => {
    const s = await setup();
    const create = async (name: string) =>
      (
        await s.client.post('/api/v1/audits', {
          name,
          frameworkId: s.framework.id,
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
        })
      ).json();
    const theirs = await create('Internal audit of physical security');
    const other = await create('Someone else’s audit');
    const { client: internal, user } = await signedIn(t, { role: 'auditor' });
    const added = await s.client.post(`/api/v1/audits/${theirs.id}/participants`, {
      userId: user.id,
      role: 'auditor',
    });
    expect(added.statusCode).toBe(201);

    const item = (await items(s.client, theirs.id)).find((i) => i.refId === 'H.1')!;
    const graded = await internal.patch(`/api/v1/audits/${theirs.id}/items/${item.id}`, {
      result: 'minor_nonconformity',
      version: item.version,
    });
    expect(graded.statusCode, graded.body).toBe(200);
    const said = await internal.post(`/api/v1/audits/${theirs.id}/items/${item.id}/comments`, {
      body: 'The visitor log has gaps in March.',
    });
    expect(said.statusCode, said.body).toBe(201);

    const otherItem = (await items(s.client, other.id)).find((i) => i.refId === 'H.1')!;
    const elsewhere = await internal.post(`/api/v1/audits/${other.id}/items/${otherItem.id}/comments`, {
      body: 'Not mine to comment on.',
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().detail).toContain('auditor of');
    // Still a read-only account: the audit itself is the team's to change.
    const renamed = await internal.patch(`/api/v1/audits/${theirs.id}`, {
      name: 'x',
      version: theirs.version,
    });
    expect(renamed.statusCode).toBe(403);
  });

  it('is locked by its team with a reason, refuses every change while locked, and only an administrator unlocks it', async () => {
    const s = await setup();
    const audit = (
      await s.client.post('/api/v1/audits', {
        name: 'Locked one',
        frameworkId: s.framework.id,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
      })
    ).json();
    const item = (await items(s.client, audit.id)).find((i) => i.refId === 'H.1')!;
    const { client: member, user } = await signedIn(t, { grants: { compliance: 'write' } });
    const auditor = await s.client.post(`/api/v1/audits/${audit.id}/participants`, {
      userId: user.id,
      role: 'auditor',
    });
    expect(auditor.statusCode).toBe(201);
    const graded = await member.patch(`/api/v1/audits/${audit.id}/items/${item.id}`, {
      result: 'observation',
      auditorComment: 'Visitor log incomplete in March',
      version: item.version,
    });
    expect(graded.statusCode).toBe(200);

    const locked = await member.post(`/api/v1/audits/${audit.id}/lock`, {
      reason: 'Evidence handed to the auditor',
    });
    expect(locked.json()).toMatchObject({ locked: true, lockReason: 'Evidence handed to the auditor' });
    const refused = await member.patch(`/api/v1/audits/${audit.id}/items/${item.id}`, {
      result: 'compliant',
      version: 2,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('Evidence handed to the auditor');
    const renamed = await member.patch(`/api/v1/audits/${audit.id}`, {
      name: 'x',
      version: locked.json().version,
    });
    expect(renamed.statusCode).toBe(409);

    expect((await member.post(`/api/v1/audits/${audit.id}/unlock`, { reason: 'Mine' })).statusCode).toBe(403);
    expect((await s.client.post(`/api/v1/audits/${audit.id}/unlock`, {})).statusCode).toBe(400);
    const unlocked = await s.client.post(`/api/v1/audits/${audit.id}/unlock`, {
      reason: 'Auditor asked for one more file',
    });
    expect(unlocked.json()).toMatchObject({
      locked: false,
      lockReason: 'Unlocked: Auditor asked for one more file',
    });
    expect(
      (await member.patch(`/api/v1/audits/${audit.id}/items/${item.id}`, { result: 'compliant', version: 2 }))
        .statusCode,
    ).toBe(200);

    const trail = (await s.client.get(`/api/v1/audits/${audit.id}/audit-trail`)).json().data as Array<{
      action: string;
      changes: Record<string, { new?: unknown }>;
    }>;
    const reasons = trail.flatMap((entry) =>
      entry.changes.lockReason?.new ? [entry.changes.lockReason.new] : [],
    );
    expect(reasons).toEqual(
      expect.arrayContaining(['Evidence handed to the auditor', 'Unlocked: Auditor asked for one more file']),
    );
  });

  it('is cloned for the next period with the same scope, results reset and evidence frozen afresh', async () => {
    const s = await setup();
    const audit = (
      await s.client.post('/api/v1/audits', {
        name: 'H1 2026',
        frameworkId: s.framework.id,
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        controlIds: [s.office.id],
      })
    ).json();
    const item = (await items(s.client, audit.id)).find((i) => i.refId === 'H.1')!;
    await s.client.post(`/api/v1/audits/${audit.id}/participants`, { userId: s.user.id, role: 'auditor' });
    const graded = await s.client.patch(`/api/v1/audits/${audit.id}/items/${item.id}`, {
      result: 'compliant',
      version: item.version,
    });
    expect(graded.statusCode).toBe(200);
    await s.client.patch(`/api/v1/locations/${s.location.id}`, { city: 'Faro', version: s.location.version });

    const clone = await s.client.post(`/api/v1/audits/${audit.id}/clone`);
    expect(clone.statusCode).toBe(201);
    expect(clone.json()).toMatchObject({
      name: 'H1 2026 (next period)',
      periodStart: '2026-07-01',
      periodEnd: '2026-12-31',
      scope: 'selection',
      clonedFromId: audit.id,
      progress: { pending: 1 },
    });
    const cloned = await items(s.client, clone.json().id);
    expect(cloned.map((i) => i.refId)).toEqual(['H', 'H.1']);
    expect(cloned[1]!.evidence.map((e) => e.recordJson?.city)).toEqual(['Faro']);
    // The original keeps what it froze.
    expect((await items(s.client, audit.id))[1]!.evidence.map((e) => e.recordJson?.city)).toEqual(['Lisbon']);
  });

  it('collects what a rule finds over the look-back window, sampled', async () => {
    const s = await setup();
    await s.client.post('/api/v1/compliance-rules', {
      controlId: s.other.id,
      name: 'Maintenance done',
      ruleType: 'recent_record',
      criteria: { entityType: 'maintenance_log', filters: { status: 'completed' }, dateField: 'eventDate' },
    });
    const asset = (
      await s.client.post('/api/v1/assets', { name: 'Door controller', assetTag: `DC-${Date.now()}` })
    ).json();
    const day = (monthsAgo: number) => {
      const d = new Date();
      d.setUTCMonth(d.getUTCMonth() - monthsAgo);
      return d.toISOString().slice(0, 10);
    };
    for (const months of [1, 2, 3, 9]) {
      await s.client.post('/api/v1/maintenance-logs', {
        assetId: asset.id,
        type: 'inspection',
        status: 'completed',
        eventDate: day(months),
        description: `Inspection ${months} months ago`,
      });
    }
    const audit = (
      await s.client.post('/api/v1/audits', {
        name: 'Sampled',
        frameworkId: s.framework.id,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        controlIds: [s.other.id],
        samplePerRule: 2,
      })
    ).json();
    const ruled = (await items(s.client, audit.id)).find((i) => i.refId === 'H.3')!;
    expect(ruled.evidence.map((e) => [e.source, e.displayName])).toEqual([
      ['rule', expect.stringContaining('on')],
      ['rule', expect.stringContaining('on')],
    ]);
    expect(ruled.evidence.map((e) => e.recordJson?.description).sort()).toEqual([
      'Inspection 1 months ago',
      'Inspection 2 months ago',
    ]);
  });

  it('refuses a period that ends before it starts and controls of another framework', async () => {
    const s = await setup();
    const other = await setup();
    const response = await s.client.post('/api/v1/audits', {
      name: 'Bad',
      frameworkId: s.framework.id,
      periodStart: '2026-06-01',
      periodEnd: '2026-01-01',
      controlIds: [other.office.id],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { path: 'periodEnd', message: 'must not be before the start' },
      { path: 'controlIds.0', message: 'is not a control of this framework' },
    ]);
    expect(followingPeriod('2026-01-01', '2026-03-31')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(followingPeriod('2026-11-01', '2027-01-31')).toEqual({ start: '2027-02-01', end: '2027-04-30' });
    expect(followingPeriod('2026-01-10', '2026-01-19')).toEqual({ start: '2026-01-20', end: '2026-01-29' });
  });
});
