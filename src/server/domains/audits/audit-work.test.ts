import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';
import { unzip } from '../../../../test/zip';

const t = sharedTestContext();

async function setup() {
  const { client: team, user: teamUser } = await signedIn(t, { role: 'admin' });
  const framework = (await team.post('/api/v1/frameworks', { name: `Work ${randomUUID()}` })).json();
  await team.post('/api/v1/controls', {
    frameworkId: framework.id,
    refId: 'W-1',
    title: 'Change management',
  });
  const audit = (
    await team.post('/api/v1/audits', {
      name: 'Worked audit',
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    })
  ).json();
  const item = (await team.get(`/api/v1/audits/${audit.id}/items`))
    .json()
    .data.find((i: { refId: string }) => i.refId === 'W-1');
  const email = `ext-${randomUUID().slice(0, 8)}@audit.example`;
  const invited = (
    await team.post(`/api/v1/audits/${audit.id}/auditors`, { email, name: 'Eve External' })
  ).json().data;
  await team.post(`/api/v1/users/${invited.userId}/password`, { password: 'external-auditor-password' });
  const auditor = new Client(t.app);
  await auditor.login(email, 'external-auditor-password');
  return { team, teamUser, auditor, audit, item };
}

describe('working an audit', () => {
  it('keeps two threads per control: one with the auditors, one the auditors never see', async () => {
    const s = await setup();
    const base = `/api/v1/audits/${s.audit.id}/items/${s.item.id}/comments`;
    expect((await s.auditor.post(base, { body: 'Where is the CAB record for March?' })).statusCode).toBe(201);
    expect(
      (await s.team.post(base, { audience: 'internal', body: 'March CAB was skipped, be careful' }))
        .statusCode,
    ).toBe(201);
    expect((await s.team.post(base, { body: 'Attached below.' })).statusCode).toBe(201);
    expect((await s.auditor.post(base, { audience: 'internal', body: 'peek' })).statusCode).toBe(403);

    const theirs = (await s.auditor.get(base)).json().data.map((c: { body: string }) => c.body);
    expect(theirs).toEqual(['Where is the CAB record for March?', 'Attached below.']);
    const ours = (await s.team.get(base)).json().data.map((c: { audience: string }) => c.audience);
    expect(ours).toEqual(['auditor', 'internal', 'auditor']);

    // The pack carries the thread with the auditors only.
    const pack = await unzip((await s.team.get(`/api/v1/audits/${s.audit.id}/export`)).rawPayload);
    const manifest = pack.get('manifest.json')!.toString();
    expect(manifest).toContain('Where is the CAB record for March?');
    expect(manifest).not.toContain('March CAB was skipped');
  });

  it('answers a request for more evidence with evidence frozen when it is added', async () => {
    const s = await setup();
    const asked = await s.auditor.post(`/api/v1/audits/${s.audit.id}/items/${s.item.id}/requests`, {
      body: 'Please add the change calendar',
    });
    expect(asked.statusCode).toBe(201);
    // The list names the control and who asked, so the screen needs no second lookup.
    expect((await s.team.get(`/api/v1/audits/${s.audit.id}/requests`)).json().data).toEqual([
      expect.objectContaining({ itemId: s.item.id, itemRefId: 'W-1', createdByName: 'Eve External' }),
    ]);
    const location = (
      await s.team.post('/api/v1/locations', { name: `Data room ${randomUUID().slice(0, 6)}` })
    ).json();
    const added = await s.team.post(`/api/v1/audits/${s.audit.id}/items/${s.item.id}/evidence`, {
      recordType: 'location',
      recordId: location.id,
      justification: 'Where the change calendar is kept',
    });
    expect(added.statusCode).toBe(201);
    const note = await s.team.post(`/api/v1/audits/${s.audit.id}/items/${s.item.id}/evidence`, {
      title: 'Change calendar 2026',
      note: 'Exported from the service desk on request.',
    });
    expect(note.statusCode).toBe(201);
    expect(
      (
        await s.auditor.post(`/api/v1/audits/${s.audit.id}/items/${s.item.id}/evidence`, {
          title: 'x',
          note: 'y',
        })
      ).statusCode,
    ).toBe(403);

    await s.team.patch(`/api/v1/locations/${location.id}`, {
      name: 'Renamed later',
      version: location.version,
    });
    const evidence = (await s.auditor.get(`/api/v1/audits/${s.audit.id}/items?pageSize=10`))
      .json()
      .data.find((i: { id: string }) => i.id === s.item.id).evidence;
    expect(evidence.map((e: { source: string; displayName: string }) => [e.source, e.displayName])).toEqual([
      ['added', location.name],
      ['added', 'Change calendar 2026'],
    ]);

    const request = asked.json().data;
    expect(
      (
        await s.auditor.patch(`/api/v1/audits/${s.audit.id}/requests/${request.id}`, {
          answer: 'mine',
          version: 1,
        })
      ).statusCode,
    ).toBe(403);
    const answered = await s.team.patch(`/api/v1/audits/${s.audit.id}/requests/${request.id}`, {
      status: 'answered',
      answer: 'Added the data room and the calendar.',
      version: 1,
    });
    expect(answered.json().data).toMatchObject({ status: 'answered', version: 2 });
    const closed = await s.auditor.patch(`/api/v1/audits/${s.audit.id}/requests/${request.id}`, {
      status: 'closed',
      version: 2,
    });
    expect(closed.json().data.status).toBe('closed');
  });

  it('tracks findings to closure, with a note, even after the audit closed; a lock stops everything', async () => {
    const s = await setup();
    const { client: ownerClient, user: owner } = await signedIn(t, { grants: { compliance: 'write' } });
    const created = await s.auditor.post(`/api/v1/audits/${s.audit.id}/findings`, {
      itemId: s.item.id,
      title: 'Emergency changes not reviewed',
      severity: 'high',
      ownerUserId: owner.id,
      dueDate: '2027-03-31',
    });
    expect(created.statusCode).toBe(201);
    await s.auditor.post(`/api/v1/audits/${s.audit.id}/findings`, {
      title: 'Minor wording',
      severity: 'low',
    });
    const list = (await s.team.get(`/api/v1/audits/${s.audit.id}/findings`)).json().data;
    expect(
      list.map((f: { severity: string; itemRefId: string | null; createdByName: string }) => [
        f.severity,
        f.itemRefId,
        f.createdByName,
      ]),
    ).toEqual([
      ['high', 'W-1', 'Eve External'],
      ['low', null, 'Eve External'],
    ]);

    const finding = created.json().data;
    const noNote = await ownerClient.patch(`/api/v1/audits/${s.audit.id}/findings/${finding.id}`, {
      status: 'closed',
      version: 1,
    });
    expect(noNote.json().errors).toEqual([
      { path: 'closureNote', message: 'is required to close a finding' },
    ]);

    const locked = await s.team.post(`/api/v1/audits/${s.audit.id}/lock`, { reason: 'Report issued' });
    expect(locked.statusCode).toBe(200);
    const whileLocked = await s.auditor.post(`/api/v1/audits/${s.audit.id}/items/${s.item.id}/comments`, {
      body: 'late',
    });
    expect(whileLocked.statusCode).toBe(409);
    await s.team.post(`/api/v1/audits/${s.audit.id}/unlock`, { reason: 'Follow-up of findings' });

    const closed = await ownerClient.patch(`/api/v1/audits/${s.audit.id}/findings/${finding.id}`, {
      status: 'closed',
      closureNote: 'Weekly review of emergency changes since February.',
      version: 1,
    });
    expect(closed.json().data).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    const pdf = await s.team.get(`/api/v1/audits/${s.audit.id}/export`);
    expect(pdf.statusCode).toBe(200);

    // The same results as an OSCAL assessment-results document.
    await s.auditor.patch(`/api/v1/audits/${s.audit.id}/items/${s.item.id}`, {
      result: 'minor_nonconformity',
      version: s.item.version,
    });
    const oscal = (await s.auditor.get(`/api/v1/audits/${s.audit.id}/assessment-results`)).json()[
      'assessment-results'
    ];
    expect(oscal.metadata['oscal-version']).toBe('1.1.2');
    const [result] = oscal.results;
    expect(result['reviewed-controls']['control-selections'][0]['include-controls']).toEqual([
      { 'control-id': 'w-1' },
    ]);
    expect(
      result.findings.map((f: { title: string; target: { status: { state: string } } }) => [
        f.title,
        f.target.status.state,
      ]),
    ).toEqual([
      ['W-1: minor nonconformity', 'not-satisfied'],
      ['Emergency changes not reviewed', 'not-satisfied'],
      ['Minor wording', 'not-satisfied'],
    ]);
    const again = (await s.team.get(`/api/v1/audits/${s.audit.id}/assessment-results`)).json()[
      'assessment-results'
    ];
    expect(again.uuid).toBe(oscal.uuid);
  });

  it('separates duties: auditors judge and raise findings, the team responds, the owner or an auditor closes', async () => {
    const s = await setup();
    const items = `/api/v1/audits/${s.audit.id}/items/${s.item.id}`;
    const findings = `/api/v1/audits/${s.audit.id}/findings`;
    const { client: member, user: memberUser } = await signedIn(t, { grants: { compliance: 'write' } });

    // The team, administrators included, does not grade its own work.
    for (const client of [s.team, member]) {
      const graded = await client.patch(items, { result: 'compliant', version: s.item.version });
      expect(graded.statusCode).toBe(403);
      expect(graded.json().detail).toContain('Only the auditors of this audit record results');
      const commented = await client.patch(items, { auditorComment: 'fine', version: s.item.version });
      expect(commented.statusCode).toBe(403);
      expect((await client.post(findings, { title: 'Self-found', severity: 'low' })).statusCode).toBe(403);
    }
    const graded = await s.auditor.patch(items, { result: 'observation', version: s.item.version });
    expect(graded.json().data).toMatchObject({ result: 'observation' });

    // The auditor raises a finding; the team responds with progress and a due date, not its substance.
    const raised = (await s.auditor.post(findings, { title: 'No CAB minutes', severity: 'medium' })).json()
      .data;
    const url = `${findings}/${raised.id}`;
    const reworded = await s.team.patch(url, { title: 'Minor: no CAB minutes', version: 1 });
    expect(reworded.statusCode).toBe(403);
    expect((await s.team.patch(url, { severity: 'low', version: 1 })).statusCode).toBe(403);
    const responded = await s.team.patch(url, {
      title: 'No CAB minutes',
      severity: 'medium',
      status: 'in_progress',
      dueDate: '2027-01-31',
      version: 1,
    });
    expect(responded.json().data).toMatchObject({ status: 'in_progress', dueDate: '2027-01-31', version: 2 });

    // Closing is for its owner or an auditor: a finding nobody owns gets an owner first.
    const unowned = await s.team.patch(url, { status: 'closed', closureNote: 'Done', version: 2 });
    expect(unowned.statusCode).toBe(403);
    expect(unowned.json().detail).toContain('give it an owner first');
    expect((await s.team.patch(url, { ownerUserId: memberUser.id, version: 2 })).statusCode).toBe(200);
    expect((await s.team.patch(url, { status: 'closed', closureNote: 'Done', version: 3 })).statusCode).toBe(
      403,
    );
    const closed = await member.patch(url, {
      status: 'closed',
      closureNote: 'CAB minutes since May.',
      version: 3,
    });
    expect(closed.json().data).toMatchObject({ status: 'closed', closureNote: 'CAB minutes since May.' });
    expect((await s.team.patch(url, { status: 'open', version: 4 })).statusCode).toBe(403);
    const reopened = await s.auditor.patch(url, { status: 'open', version: 4 });
    expect(reopened.json().data).toMatchObject({ status: 'open', closedAt: null });

    // An administrator who must grade adds themselves as an auditor: explicit, and in the audit log.
    const participants = `/api/v1/audits/${s.audit.id}/participants`;
    expect((await member.post(participants, { userId: memberUser.id, role: 'auditor' })).statusCode).toBe(
      403,
    );
    const joined = await s.team.post(participants, { userId: s.teamUser.id, role: 'auditor' });
    expect(joined.statusCode).toBe(201);
    expect(joined.json().data).toContainEqual(
      expect.objectContaining({ userId: s.teamUser.id, role: 'auditor', external: false }),
    );
    const item = (await s.team.get(`/api/v1/audits/${s.audit.id}/items`))
      .json()
      .data.find((i: { id: string }) => i.id === s.item.id);
    const regraded = await s.team.patch(items, { result: 'compliant', version: item.version });
    expect(regraded.json().data).toMatchObject({ result: 'compliant' });
    const trail = await auditEntries(s.team, { entityType: 'audit_participant', actorId: s.teamUser.id });
    expect(trail).toContainEqual(
      expect.objectContaining({
        action: 'INSERT',
        changes: expect.objectContaining({ userId: s.teamUser.id, role: 'auditor' }),
      }),
    );
  });
});
