import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildCustomField, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { insertRecord } from '../audit/write';
import { inTransaction } from '../http/context';
import { writeGrants } from '../rbac/grants.service';
import { MAX_SHARED_VIEWS_LISTED, MAX_VIEWS_PER_OWNER } from './saved-views.schemas';
import { savedViewAudit } from './saved-views.service';

const t = sharedTestContext();

const state = (query: Record<string, string> = { sort: '-name', employmentStatus: 'active' }) => ({
  query,
  columns: ['email', 'department'],
});

async function hrReader() {
  return signedIn(t, { grants: { hr_people: 'read' } });
}

async function saveView(
  client: Awaited<ReturnType<typeof hrReader>>['client'],
  body: Record<string, unknown> = {},
) {
  const response = await client.post('/api/v1/saved-views', {
    entityType: 'user',
    name: `View ${randomUUID().slice(0, 8)}`,
    state: state(),
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const names = (response: { json(): { data: Array<{ name: string }> } }) =>
  response.json().data.map((view) => view.name);

describe('saved views', () => {
  it('lists my own views and the shared ones, never somebody else’s private views', async () => {
    const { client: owner, user } = await hrReader();
    const { client: colleague } = await hrReader();
    const mine = await saveView(owner, { name: 'b mine' });
    const shared = await saveView(owner, { name: 'a shared', shared: true });
    expect(mine).toMatchObject({
      entityType: 'user',
      name: 'b mine',
      shared: false,
      ownerId: user.id,
      mine: true,
      state: state(),
      abilities: { update: true, delete: true },
      version: 1,
    });

    const ownList = await owner.get('/api/v1/saved-views?entityType=user');
    expect(names(ownList)).toEqual(expect.arrayContaining(['a shared', 'b mine']));
    const theirs = await colleague.get('/api/v1/saved-views?entityType=user');
    expect(names(theirs)).toContain('a shared');
    expect(names(theirs)).not.toContain('b mine');
    const seenShared = theirs.json().data.find((v: { id: string }) => v.id === shared.id);
    expect(seenShared).toMatchObject({ mine: false, abilities: { update: false, delete: false } });

    expect((await colleague.get(`/api/v1/saved-views/${shared.id}`)).statusCode).toBe(200);
    // A private view is unknown to others, not merely forbidden.
    expect((await colleague.get(`/api/v1/saved-views/${mine.id}`)).statusCode).toBe(404);
    // Views are per record type.
    expect(names(await owner.get('/api/v1/saved-views?entityType=tag'))).not.toContain('b mine');
  });

  it('lets only the owner or an administrator change or delete a view, with versions and audit', async () => {
    const { client: owner, user } = await hrReader();
    const { client: colleague } = await hrReader();
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const view = await saveView(owner, { shared: true });

    const refused = await colleague.patch(`/api/v1/saved-views/${view.id}`, { name: 'mine now', version: 1 });
    expect(refused.statusCode).toBe(403);
    expect((await colleague.delete(`/api/v1/saved-views/${view.id}`)).statusCode).toBe(403);
    const privateView = await saveView(owner);
    expect(
      (await colleague.patch(`/api/v1/saved-views/${privateView.id}`, { name: 'x', version: 1 })).statusCode,
    ).toBe(404);

    expect((await owner.patch(`/api/v1/saved-views/${view.id}`, { name: 'no version' })).statusCode).toBe(
      428,
    );
    const renamed = await owner.patch(`/api/v1/saved-views/${view.id}`, {
      name: 'Renamed',
      shared: false,
      state: state({ q: 'ada' }),
      version: 1,
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'Renamed',
      shared: false,
      version: 2,
      state: state({ q: 'ada' }),
    });
    const stale = await owner.patch(
      `/api/v1/saved-views/${view.id}`,
      { name: 'Stale' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(409);

    // Administrators may tidy up anyone's views, private ones included.
    const byAdmin = await admin.patch(`/api/v1/saved-views/${privateView.id}`, { shared: true, version: 1 });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json()).toMatchObject({ mine: false, abilities: { update: true, delete: true } });
    expect((await admin.delete(`/api/v1/saved-views/${privateView.id}`)).statusCode).toBe(204);
    expect((await owner.delete(`/api/v1/saved-views/${view.id}`, { 'if-match': '"1"' })).statusCode).toBe(
      409,
    );
    expect((await owner.delete(`/api/v1/saved-views/${view.id}`)).statusCode).toBe(204);
    expect((await owner.get(`/api/v1/saved-views/${view.id}`)).statusCode).toBe(404);

    const audit = await auditEntries(admin, { entityType: 'saved_view', entityId: view.id });
    expect(audit.map((entry) => `${entry.action} ${entry.actorId === user.id ? 'owner' : 'other'}`)).toEqual([
      'INSERT owner',
      'UPDATE owner',
      'DELETE owner',
    ]);
  });

  it('refuses lists of a record type the caller cannot read, and hides such views (404)', async () => {
    const { client: nobody } = await signedIn(t);
    const listed = await nobody.get('/api/v1/saved-views?entityType=user');
    expect(listed.statusCode).toBe(403);
    const created = await nobody.post('/api/v1/saved-views', {
      entityType: 'user',
      name: 'x',
      state: state(),
    });
    expect(created.statusCode).toBe(403);

    const { client: owner } = await hrReader();
    const shared = await saveView(owner, { shared: true });
    // A shared view of a type the caller cannot read is unknown to them, like a private view.
    for (const response of [
      await nobody.get(`/api/v1/saved-views/${shared.id}`),
      await nobody.patch(`/api/v1/saved-views/${shared.id}`, { name: 'x', version: 1 }),
      await nobody.delete(`/api/v1/saved-views/${shared.id}`),
    ]) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.body).not.toMatch(/people|users/i);
    }
    expect((await owner.get(`/api/v1/saved-views/${shared.id}`)).json().version).toBe(1);
    // Vocabularies everyone reads are fine.
    expect((await nobody.get('/api/v1/saved-views?entityType=tag')).statusCode).toBe(200);
  });

  it('lets an owner who lost access to the type delete their view, and nothing else', async () => {
    const { client: owner, user } = await hrReader();
    const view = await saveView(owner);
    await inTransaction(t.system, (tx) =>
      writeGrants(tx, { type: 'user', id: user.id }, { hr_people: 'none' }),
    );

    expect((await owner.get(`/api/v1/saved-views/${view.id}`)).statusCode).toBe(404);
    expect((await owner.patch(`/api/v1/saved-views/${view.id}`, { name: 'y', version: 1 })).statusCode).toBe(
      404,
    );
    expect((await owner.delete(`/api/v1/saved-views/${view.id}`)).statusCode).toBe(204);
  });

  it('lists all my views but only the most recently updated views others share, at most the cap', async () => {
    const { client: me, user } = await hrReader();
    const mine = [
      await saveView(me, { name: 'zz mine' }),
      await saveView(me, { name: 'zz mine shared', shared: true }),
    ];
    // Seeded through the write path in one transaction: more shared views than one list answers,
    // from two people (each keeps at most MAX_VIEWS_PER_OWNER).
    const owners = [await buildUser(t), await buildUser(t)];
    const seeded = MAX_SHARED_VIEWS_LISTED + 3;
    const others = await inTransaction(t.system, async (tx) => {
      const rows = [];
      for (let i = 0; i < seeded; i++) {
        rows.push(
          await insertRecord(tx, savedViewAudit, {
            entityType: 'user',
            ownerId: owners[Math.floor((i * owners.length) / seeded)]!.id,
            name: `shared ${String(i).padStart(4, '0')}`,
            shared: true,
            state: state(),
          }),
        );
      }
      return rows;
    });
    expect(seeded).toBeLessThanOrEqual(owners.length * MAX_VIEWS_PER_OWNER);

    const listed = await me.get('/api/v1/saved-views?entityType=user');
    expect(listed.statusCode).toBe(200);
    const views: Array<{ id: string; name: string; ownerId: string }> = listed.json().data;
    expect(views.filter((view) => view.ownerId === user.id).map((view) => view.id)).toEqual(
      mine.map((view) => view.id),
    );
    const othersListed = views.filter((view) => view.ownerId !== user.id);
    expect(othersListed).toHaveLength(MAX_SHARED_VIEWS_LISTED);
    // Seeded in one transaction (same updated_at), so the newest are the last inserted.
    expect(othersListed.map((view) => view.id).sort()).toEqual(
      others
        .slice(-MAX_SHARED_VIEWS_LISTED)
        .map((view) => view.id)
        .sort(),
    );
    expect(views.map((view) => view.name)).toEqual(
      [...views.map((view) => view.name)].sort((a, b) => a.localeCompare(b)),
    );

    // Updating an old shared view brings it back into the list.
    const oldest = others[0]!;
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const touched = await admin.patch(`/api/v1/saved-views/${oldest.id}`, {
      name: 'shared again',
      version: 1,
    });
    expect(touched.statusCode, touched.body).toBe(200);
    const again: Array<{ id: string }> = (await me.get('/api/v1/saved-views?entityType=user')).json().data;
    expect(again.map((view) => view.id)).toContain(oldest.id);
    expect(again).toHaveLength(mine.length + MAX_SHARED_VIEWS_LISTED);
  });

  it('checks the state against the list it restores, and its size, naming the field', async () => {
    const { client } = await hrReader();
    const field = await buildCustomField(t, { fieldType: 'text' });
    const post = (body: Record<string, unknown>) =>
      client.post('/api/v1/saved-views', { entityType: 'user', name: `v-${randomUUID()}`, ...body });

    const withCustom = await post({ state: { query: { [`cf.${field.key}`]: 'x', role: 'admin,member' } } });
    expect(withCustom.statusCode).toBe(201);

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ state: { query: { sort: 'password' } } }, 'state.query.sort'],
      [{ state: { query: { nonsense: '1' } } }, 'state.query.nonsense'],
      [{ state: { query: { 'cf.missing': '1' } } }, 'state.query.cf.missing'],
      [{ state: { query: { employmentStatus: 'retired' } } }, 'state.query.employmentStatus'],
      [{ state: { query: {}, columns: ['a', 'a'] } }, 'state.columns'],
      [{ state: { query: {}, extra: true } }, 'state.extra'],
      [{ state: { query: {} }, entityType: 'spaceship' }, 'entityType'],
      [{ state: { query: {} }, name: '' }, 'name'],
      [
        {
          state: {
            query: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'v'.repeat(500)])),
          },
        },
        'state',
      ],
    ];
    for (const [body, path] of cases) {
      const response = await post(body);
      expect(response.statusCode, `${path}: ${response.body}`).toBe(400);
      expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('keeps names unique per owner and record type, case-insensitively', async () => {
    const { client } = await hrReader();
    const { client: other } = await hrReader();
    await saveView(client, { name: 'Leavers' });
    const duplicate = await client.post('/api/v1/saved-views', {
      entityType: 'user',
      name: 'LEAVERS',
      state: state(),
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors[0].path).toBe('name');
    await saveView(other, { name: 'Leavers' });
  });
});
