import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTag, signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

/** An audit with a tag, a link and an attachment, then locked by its team. */
async function lockedAudit() {
  const { client: admin } = await signedIn(t, { role: 'admin' });
  const { client: team } = await signedIn(t, { grants: { compliance: 'write', core_inventory: 'write' } });
  const framework = (await admin.post('/api/v1/frameworks', { name: `Locked ${randomUUID()}` })).json();
  await admin.post('/api/v1/controls', { frameworkId: framework.id, refId: 'L-1', title: 'Backups' });
  const audit = (
    await team.post('/api/v1/audits', {
      name: 'Locked audit',
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    })
  ).json();
  const base = `/api/v1/audits/${audit.id}`;
  const [kept, extra] = [await buildTag(t), await buildTag(t)];
  expect((await team.put(`${base}/tags`, { tagIds: [kept.id] })).statusCode).toBe(200);
  const link = await team.post(`${base}/links`, { url: 'https://wiki.example.com/audit-plan' });
  expect(link.statusCode).toBe(201);
  const file = await team.upload(`${base}/attachments`, { filename: 'plan.txt', content: 'the plan' });
  expect(file.statusCode, file.body).toBe(201);
  const location = (
    await team.post('/api/v1/locations', { name: `Archive ${randomUUID().slice(0, 6)}` })
  ).json();
  const incoming = await team.post(`/api/v1/locations/${location.id}/links`, {
    targetType: 'audit',
    targetId: audit.id,
  });
  expect(incoming.statusCode, incoming.body).toBe(201);
  const locked = await team.post(`${base}/lock`, { reason: 'Report sent to the board' });
  expect(locked.statusCode).toBe(200);
  return {
    admin,
    team,
    audit,
    base,
    location,
    kept,
    extra,
    link: link.json(),
    file: file.json(),
    incoming: incoming.json(),
  };
}

async function expectLocked(response: Awaited<ReturnType<Client['get']>>) {
  expect(response.statusCode, response.body).toBe(409);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json().detail).toContain('Report sent to the board');
}

describe('a locked audit', () => {
  it('refuses every change around it too: tags, links from either end, attachments', async () => {
    const s = await lockedAudit();
    await expectLocked(await s.team.put(`${s.base}/tags`, { tagIds: [s.kept.id, s.extra.id] }));
    await expectLocked(await s.team.put(`${s.base}/tags`, { tagIds: [] }));
    await expectLocked(await s.team.post(`${s.base}/links`, { url: 'https://wiki.example.com/late' }));
    await expectLocked(await s.team.delete(`${s.base}/links/${s.link.id}`));
    // From the other end: a location linked to the audit, or unlinked from it.
    await expectLocked(
      await s.team.post(`/api/v1/locations/${s.location.id}/links`, {
        targetType: 'audit',
        targetId: s.audit.id,
      }),
    );
    await expectLocked(await s.team.delete(`/api/v1/locations/${s.location.id}/links/${s.incoming.id}`));
    await expectLocked(
      await s.team.upload(`${s.base}/attachments`, { filename: 'late.txt', content: 'late' }),
    );
    await expectLocked(await s.team.delete(`${s.base}/attachments/${s.file.id}`));
    // Not even an administrator changes it without unlocking first.
    await expectLocked(await s.admin.put(`${s.base}/tags`, { tagIds: [] }));

    // Nothing moved.
    const detail = (await s.team.get(s.base)).json();
    expect(detail.tags.map((tag: { id: string }) => tag.id)).toEqual([s.kept.id]);
    expect(detail.links.map((link: { id: string }) => link.id).sort()).toEqual(
      [s.link.id, s.incoming.id].sort(),
    );
    expect(detail.attachments.map((file: { id: string }) => file.id)).toEqual([s.file.id]);

    // Unlocked, the same changes go through.
    expect(
      (await s.admin.post(`${s.base}/unlock`, { reason: 'Board asked for the minutes' })).statusCode,
    ).toBe(200);
    expect((await s.team.put(`${s.base}/tags`, { tagIds: [s.kept.id, s.extra.id] })).statusCode).toBe(200);
    expect(
      (await s.team.delete(`/api/v1/locations/${s.location.id}/links/${s.incoming.id}`)).statusCode,
    ).toBe(204);
    expect((await s.team.delete(`${s.base}/attachments/${s.file.id}`)).statusCode).toBe(204);
  });

  it('keeps its lock reason from someone who may not read audits', async () => {
    const s = await lockedAudit();
    const { client: stores } = await signedIn(t, { grants: { core_inventory: 'write' } });
    const linking = await stores.post(`/api/v1/locations/${s.location.id}/links`, {
      targetType: 'audit',
      targetId: s.audit.id,
    });
    expect(linking.statusCode).toBe(403);
    const unlinking = await stores.delete(`/api/v1/locations/${s.location.id}/links/${s.incoming.id}`);
    expect(unlinking.statusCode).toBe(409);
    expect(unlinking.body).not.toContain('Report sent to the board');
    expect((await s.team.get(s.base)).json().links).toHaveLength(2);
  });

  it('leaves the records around it free to link to each other', async () => {
    const s = await lockedAudit();
    const other = (
      await s.team.post('/api/v1/locations', { name: `Free ${randomUUID().slice(0, 6)}` })
    ).json();
    const linked = await s.team.post(`/api/v1/locations/${s.location.id}/links`, {
      targetType: 'location',
      targetId: other.id,
    });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(
      (await s.team.delete(`/api/v1/locations/${s.location.id}/links/${linked.json().id}`)).statusCode,
    ).toBe(204);
  });
});
