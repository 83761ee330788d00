import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTag, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

/**
 * Routes an external auditor reaches: their own session, profile and preferences, the metadata and
 * vocabularies every signed-in person reads (entity descriptions, tags, custom field definitions),
 * search (which returns only what they may read: nothing), and their audits.
 */
const REACHABLE = new Set([
  'GET /api/v1/auth/session',
  'GET /api/v1/me/two-factor',
  'GET /api/v1/me/api-tokens',
  'GET /api/v1/me/sessions',
  'GET /api/v1/notifications',
  'GET /api/v1/meta/entities',
  'GET /api/v1/meta/entities/:type',
  'GET /api/v1/organization',
  'GET /api/v1/imports',
  'GET /api/v1/search',
  'GET /api/v1/me/preferences/list-columns/:listKey',
  'GET /api/v1/custom-fields',
  'GET /api/v1/custom-fields/export.csv',
  'GET /api/v1/custom-fields/:id',
  'GET /api/v1/saved-views',
  'GET /api/v1/tags',
  'GET /api/v1/tags/:id',
  'GET /api/v1/tags/export.csv',
  'GET /api/v1/audits',
  'GET /api/v1/audits/export.csv',
  'GET /api/v1/audits/:id',
  'GET /api/v1/audits/:id/items',
  'GET /api/v1/audits/:id/participants',
  'GET /api/v1/audits/:id/export',
  'GET /api/v1/audits/:id/evidence/:evidenceId/file',
  'GET /api/v1/audits/:id/items/:itemId/comments',
  'GET /api/v1/audits/:id/requests',
  'GET /api/v1/audits/:id/findings',
  'GET /api/v1/audits/:id/assessment-results',
]);

async function setup() {
  const { client: admin } = await signedIn(t, { role: 'admin' });
  const framework = (await admin.post('/api/v1/frameworks', { name: `External ${randomUUID()}` })).json();
  const control = (
    await admin.post('/api/v1/controls', { frameworkId: framework.id, refId: 'E-1', title: 'Access reviews' })
  ).json();
  const location = (
    await admin.post('/api/v1/locations', { name: `Vault ${randomUUID().slice(0, 6)}` })
  ).json();
  await admin.post('/api/v1/compliance-links', {
    controlId: control.id,
    linkableType: 'location',
    linkableId: location.id,
    justification: 'Reviewed quarterly',
  });
  const audit = (opens: string) =>
    admin.post('/api/v1/audits', {
      name: opens,
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    });
  const theirs = (await audit('Opened to the auditor')).json();
  const other = (await audit('Not theirs')).json();
  const email = `auditor-${randomUUID().slice(0, 8)}@audit-firm.example`;
  const invited = await admin.post(`/api/v1/audits/${theirs.id}/auditors`, { email, name: 'Ada Auditor' });
  expect(invited.statusCode, invited.body).toBe(201);
  expect(invited.json().data).toMatchObject({ email, role: 'auditor', external: true });
  const password = 'a-long-password-for-the-auditor';
  const set = await admin.post(`/api/v1/users/${invited.json().data.userId}/password`, { password });
  expect(set.statusCode).toBe(204);
  const auditor = new Client(t.app);
  expect((await auditor.login(email, password)).statusCode).toBe(200);
  return {
    admin,
    auditor,
    theirs,
    other,
    location,
    framework,
    auditorId: invited.json().data.userId as string,
  };
}

describe('external auditors', () => {
  it('see the audits they are invited to, their frozen evidence included, and record results on them', async () => {
    const s = await setup();
    const list = (await s.auditor.get('/api/v1/audits')).json();
    expect(list.data.map((a: { id: string }) => a.id)).toEqual([s.theirs.id]);
    expect(list.total).toBe(1);
    expect((await s.auditor.get(`/api/v1/audits/${s.theirs.id}`)).statusCode).toBe(200);
    const items = (await s.auditor.get(`/api/v1/audits/${s.theirs.id}/items`)).json().data;
    const item = items.find((i: { refId: string }) => i.refId === 'E-1');
    expect(item.evidence[0]).toMatchObject({
      displayName: s.location.name,
      justification: 'Reviewed quarterly',
    });
    const graded = await s.auditor.patch(`/api/v1/audits/${s.theirs.id}/items/${item.id}`, {
      result: 'minor_nonconformity',
      auditorComment: 'Q2 review missing',
      version: item.version,
    });
    expect(graded.statusCode).toBe(200);
    const pack = await s.auditor.get(`/api/v1/audits/${s.theirs.id}/export`);
    expect(pack.statusCode).toBe(200);

    // Everything they looked at is in the audit log, with who they are.
    const trail = (
      await s.admin.get(`/api/v1/audit-log?entityType=audit&entityId=${s.theirs.id}&actorId=${s.auditorId}`)
    ).json().data as Array<{ action: string }>;
    expect(trail.map((e) => e.action).sort()).toEqual(['EXPORT', 'VIEW']);
  });

  it('cannot reach any other record through the API', async () => {
    const s = await setup();
    // Another audit: as if it did not exist.
    for (const url of [
      `/api/v1/audits/${s.other.id}`,
      `/api/v1/audits/${s.other.id}/items`,
      `/api/v1/audits/${s.other.id}/participants`,
      `/api/v1/audits/${s.other.id}/export`,
    ]) {
      expect((await s.auditor.get(url)).statusCode, url).toBe(404);
    }
    expect((await s.auditor.post(`/api/v1/audits/${s.theirs.id}/lock`, { reason: 'mine' })).statusCode).toBe(
      403,
    );
    expect((await s.auditor.post(`/api/v1/audits/${s.theirs.id}/clone`)).statusCode).toBe(403);
    expect(
      (await s.auditor.patch(`/api/v1/audits/${s.theirs.id}`, { name: 'x', version: 1 })).statusCode,
    ).toBe(403);
    expect((await s.auditor.post('/api/v1/audits', {})).statusCode).toBe(403);

    // Every other GET route of the application, with real ids where it takes one.
    const ids: Record<string, string> = {
      id: s.location.id,
      type: 'location',
      key: 'list-columns:location',
      evidenceId: randomUUID(),
    };
    const refused: string[] = [];
    const open: string[] = [];
    for (const route of t.app.registeredRoutes) {
      if (route.method !== 'GET' || !route.url.startsWith('/api/v1/')) continue;
      const key = `${route.method} ${route.url}`;
      if (REACHABLE.has(key)) continue;
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? randomUUID());
      const status = (await s.auditor.get(url)).statusCode;
      if (status === 403 || status === 404) refused.push(key);
      else open.push(`${key} → ${status}`);
    }
    expect(open).toEqual([]);
    expect(refused.length).toBeGreaterThan(40);

    // What they can reach reveals nothing of the organisation's records.
    const search = (await s.auditor.get(`/api/v1/search?q=${encodeURIComponent(s.location.name)}`)).json();
    expect(JSON.stringify(search)).not.toContain(s.location.id);
    expect((await s.auditor.get(`/api/v1/locations/${s.location.id}`)).statusCode).toBe(403);
  });

  it('see the frozen audit only: not the tags, attachments or links the organisation keeps around it', async () => {
    const s = await setup();
    const base = `/api/v1/audits/${s.theirs.id}`;
    const tag = await buildTag(t, { name: `board-pack-${randomUUID().slice(0, 6)}` });
    expect((await s.admin.put(`${base}/tags`, { tagIds: [tag.id] })).statusCode).toBe(200);
    const file = await s.admin.upload(`${base}/attachments`, {
      filename: 'negotiation-notes.txt',
      content: 'what we will not show the auditor',
    });
    expect(file.statusCode).toBe(201);
    const url = await s.admin.post(`${base}/links`, { url: 'https://wiki.example.com/internal/audit-prep' });
    expect(url.statusCode).toBe(201);
    expect(
      (await s.admin.post(`${base}/links`, { targetType: 'location', targetId: s.location.id })).statusCode,
    ).toBe(201);
    const ours = (await s.admin.get(base)).json();
    expect([ours.tags.length, ours.attachments.length, ours.links.length]).toEqual([1, 1, 2]);

    const detail = await s.auditor.get(base);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id: s.theirs.id, tags: [], attachments: [], links: [] });
    for (const leak of [tag.name, 'negotiation-notes', 'audit-prep', s.location.id]) {
      expect(detail.body).not.toContain(leak);
    }
    // The sub-resources answer as every other record of the organisation does: refused.
    for (const [method, path, body] of [
      ['GET', `${base}/links`],
      ['GET', `${base}/attachments`],
      ['GET', `${base}/attachments/${file.json().id}/download`],
      ['PUT', `${base}/tags`, { tagIds: [] }],
      ['POST', `${base}/links`, { url: 'https://auditor.example/notes' }],
      ['DELETE', `${base}/links/${url.json().id}`],
      ['DELETE', `${base}/attachments/${file.json().id}`],
    ] as const) {
      expect((await s.auditor.request(method, path, body)).statusCode, `${method} ${path}`).toBe(403);
    }
    expect(
      (await s.auditor.upload(`${base}/attachments`, { filename: 'mine.txt', content: 'x' })).statusCode,
    ).toBe(403);
    expect((await s.admin.get(base)).json().attachments).toHaveLength(1);
  });

  it('are invited by administrators only, never onto an internal account, and lose access when removed', async () => {
    const s = await setup();
    const { client: lead, user } = await signedIn(t, { grants: { compliance: 'write' } });
    expect(
      (await lead.post(`/api/v1/audits/${s.other.id}/auditors`, { email: 'x@audit.example', name: 'X' }))
        .statusCode,
    ).toBe(403);
    const internal = await s.admin.post(`/api/v1/audits/${s.other.id}/auditors`, {
      email: user.email,
      name: user.name,
    });
    expect(internal.statusCode).toBe(409);
    expect(internal.json().errors).toEqual([{ path: 'email', message: 'belongs to an internal account' }]);

    const team = await lead.post(`/api/v1/audits/${s.theirs.id}/participants`, { userId: user.id });
    expect(team.statusCode).toBe(201);
    expect(team.json().data.map((p: { role: string; external: boolean }) => [p.role, p.external])).toEqual([
      ['auditor', true],
      ['participant', false],
    ]);
    expect(
      (await s.admin.delete(`/api/v1/audits/${s.theirs.id}/participants/${s.auditorId}`)).statusCode,
    ).toBe(204);
    expect((await s.auditor.get(`/api/v1/audits/${s.theirs.id}`)).statusCode).toBe(404);
    expect((await s.auditor.get('/api/v1/audits')).json().total).toBe(0);
  });
});
