import { describe, expect, it } from 'vitest';
import { buildGroup, signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';
import { takeDailySnapshotIfDue } from './drift';

const t = sharedTestContext();

async function control(client: Client, frameworkId: string, refId: string): Promise<{ id: string }> {
  const page = (await client.get(`/api/v1/frameworks/${frameworkId}/controls?q=${refId}&pageSize=50`)).json();
  return page.data.find((c: { refId: string }) => c.refId === refId);
}

describe('drift and the dashboard', () => {
  it('compare snapshots control by control, regressions first, with the reasons before and after', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const iso = (await client.post('/api/v1/framework-library/iso27001-2022/install')).json().data;
    const first = await client.post('/api/v1/compliance/snapshots');
    expect(first.statusCode).toBe(201);
    expect(first.json().data.controls).toBeGreaterThan(120);
    // The scheduler's daily photograph is not due again so soon.
    expect(await takeDailySnapshotIfDue(t.system)).toBe(false);

    const evidenced = await control(client, iso.id, 'A.5.9');
    const ruled = await control(client, iso.id, 'A.8.8');
    const location = (await client.post('/api/v1/locations', { name: 'Head office' })).json();
    const link = await client.post('/api/v1/compliance-links', {
      controlId: evidenced.id,
      linkableType: 'location',
      linkableId: location.id,
      justification: 'Listed in the asset inventory',
    });
    expect(link.statusCode).toBe(201);
    const patched = await client.post('/api/v1/compliance-evidence', {
      controlId: ruled.id,
      title: 'Patch report, last month',
      evidenceDate: '2026-01-05',
    });
    expect(patched.statusCode).toBe(201);
    await client.post('/api/v1/compliance/snapshots');

    const improved = (await client.get('/api/v1/compliance/drift')).json().data;
    expect(improved).toMatchObject({ regressions: 0, improvements: 2 });
    expect(improved.changes.find((c: { refId: string }) => c.refId === 'A.5.9')).toMatchObject({
      refId: 'A.5.9',
      from: 'uncovered',
      to: 'manual',
      kind: 'improvement',
      severity: 'low',
      fromReason: 'no valid evidence',
      toReason: '1 piece of valid evidence',
    });

    // Live against the last snapshot: the link removed, and a rule that fails on the other control
    // (a failing rule outranks the evidence already there).
    await client.delete(`/api/v1/compliance-links/${link.json().data.id}`);
    await client.post('/api/v1/compliance-rules', {
      controlId: ruled.id,
      name: 'Monthly patch report',
      ruleType: 'recent_record',
      criteria: { entityType: 'maintenance_log', filters: { type: 'upgrade' }, dateField: 'eventDate' },
      windowDays: 31,
    });
    const live = (await client.get('/api/v1/compliance/drift?to=now')).json().data;
    expect(live.regressions).toBe(2);
    expect(live.changes.map((c: { refId: string; severity: string }) => [c.refId, c.severity])).toEqual([
      ['A.8.8', 'critical'],
      ['A.5.9', 'medium'],
    ]);
    expect(live.changes[0].toReason).toBe('Monthly patch report: no matching record');

    const unknown = await client.get('/api/v1/compliance/drift?from=0190a000-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    const backwards = await client.get(
      `/api/v1/compliance/drift?from=${improved.to.id}&to=${improved.from.id}`,
    );
    expect(backwards.json().errors).toEqual([{ path: 'from', message: 'must have been taken before `to`' }]);
  });

  it('sums coverage over active frameworks, and lists evidence about to expire and controls without owner', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const soc2 = (await client.post('/api/v1/framework-library/soc2-tsc-2017/install')).json().data;
    const criterion = await control(client, soc2.id, 'CC6.1');
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const evidence = await client.post('/api/v1/compliance-evidence', {
      controlId: criterion.id,
      title: 'Access review sign-off',
      evidenceDate: new Date().toISOString().slice(0, 10),
      validUntil: soon,
    });
    expect(evidence.statusCode).toBe(201);
    await client.post('/api/v1/compliance/snapshots');

    const dashboard = (await client.get('/api/v1/compliance/dashboard')).json().data;
    const entry = dashboard.frameworks.find((f: { id: string }) => f.id === soc2.id);
    expect(entry.stats).toMatchObject({ controls: 61, applicable: 61, manual: 1, coverage: 1.6 });
    expect(entry.withoutOwner).toBe(61);
    expect(dashboard.totals.controls).toBeGreaterThanOrEqual(61);
    expect(dashboard.expiringEvidence.items).toContainEqual(
      expect.objectContaining({ title: 'Access review sign-off', validUntil: soon, controlRefId: 'CC6.1' }),
    );
    expect(dashboard.trend.some((p: { frameworkId: string }) => p.frameworkId === soc2.id)).toBe(true);

    const pdf = await client.get('/api/v1/compliance/dashboard.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(1500);

    // An inactive framework leaves the dashboard.
    const framework = (await client.get(`/api/v1/frameworks/${soc2.id}`)).json();
    await client.patch(`/api/v1/frameworks/${soc2.id}`, { isActive: false, version: framework.version });
    const after = (await client.get('/api/v1/compliance/dashboard')).json().data;
    expect(after.frameworks.some((f: { id: string }) => f.id === soc2.id)).toBe(false);
  });
});

describe('regressions', () => {
  it('are announced to the control owner, and to the members of an owning group, in the application', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const { client: owner, user: ownerUser } = await signedIn(t, { grants: { compliance: 'read' } });
    const { client: member, user: memberUser } = await signedIn(t, { grants: { compliance: 'read' } });
    const { client: bystander } = await signedIn(t, { grants: { compliance: 'read' } });
    const group = await buildGroup(t, { members: [memberUser.id] });

    const iso = (await admin.post('/api/v1/framework-library/iso27001-2022/install')).json().data;
    const mine = (await admin.get(`/api/v1/frameworks/${iso.id}/controls?q=A.5.10&pageSize=10`)).json()
      .data[0];
    const theirs = (await admin.get(`/api/v1/frameworks/${iso.id}/controls?q=A.5.11&pageSize=10`)).json()
      .data[0];
    await admin.patch(`/api/v1/controls/${mine.id}`, { ownerUserId: ownerUser.id, version: mine.version });
    await admin.patch(`/api/v1/controls/${theirs.id}`, { ownerGroupId: group.id, version: theirs.version });
    const evidence = async (controlId: string) =>
      (
        await admin.post('/api/v1/compliance-evidence', {
          controlId,
          title: 'Signed register',
          evidenceDate: '2026-01-01',
        })
      ).json();
    const first = await evidence(mine.id);
    const second = await evidence(theirs.id);
    await admin.post('/api/v1/compliance/snapshots');

    await admin.post(`/api/v1/compliance-evidence/${first.id}/archive`, { version: first.version });
    await admin.post(`/api/v1/compliance-evidence/${second.id}/archive`, { version: second.version });
    const snapshot = (await admin.post('/api/v1/compliance/snapshots')).json().data;
    expect(snapshot.notified).toBe(2);

    const inbox = (await owner.get('/api/v1/notifications')).json();
    expect(inbox.unread).toBe(1);
    expect(inbox.data[0]).toMatchObject({
      kind: 'compliance.regression',
      title: `A.5.10 is now uncovered (${iso.name})`,
      link: `/records/control/${mine.id}`,
      readAt: null,
    });
    expect(inbox.data[0].body).toContain('was covered by evidence');
    const groupInbox = (await member.get('/api/v1/notifications')).json();
    expect(groupInbox.data[0].title).toContain('A.5.11');
    expect((await bystander.get('/api/v1/notifications')).json()).toEqual({ data: [], unread: 0 });

    // Read marks: one's own only.
    expect((await bystander.post(`/api/v1/notifications/${inbox.data[0].id}/read`)).statusCode).toBe(404);
    expect((await owner.post(`/api/v1/notifications/${inbox.data[0].id}/read`)).statusCode).toBe(204);
    expect((await owner.get('/api/v1/notifications?unread=true')).json()).toEqual({ data: [], unread: 0 });
    expect((await member.post('/api/v1/notifications/read-all')).statusCode).toBe(204);
    expect((await member.get('/api/v1/notifications')).json().unread).toBe(0);
  });
});
