import { describe, expect, it } from 'vitest';
import { buildGroup, buildUser, signedIn } from './factories';
import { Client, sharedTestContext } from './harness';

const t = sharedTestContext();

const newPerson = () => {
  const unique = Math.random().toString(36).slice(2, 10);
  return { name: `Person ${unique}`, email: `rbac-${unique}@example.test` };
};

describe('module grants', () => {
  it('refuses a member without grants', async () => {
    const { client } = await signedIn(t);
    expect((await client.get('/api/v1/users')).statusCode).toBe(403);
    expect((await client.post('/api/v1/users', newPerson())).statusCode).toBe(403);
  });

  it('lets a read grant list and read but not create, update or archive', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const other = await buildUser(t);
    const list = await client.get('/api/v1/users');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThan(0);
    const detail = await client.get(`/api/v1/users/${other.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().abilities).toEqual({ update: false, archive: false, restore: false, delete: false });
    expect((await client.post('/api/v1/users', newPerson())).statusCode).toBe(403);
    expect((await client.patch(`/api/v1/users/${other.id}`, { jobTitle: 'X', version: 1 })).statusCode).toBe(
      403,
    );
    expect((await client.post(`/api/v1/users/${other.id}/archive`)).statusCode).toBe(403);
  });

  it('lets a write grant create and update', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const created = await client.post('/api/v1/users', newPerson());
    expect(created.statusCode).toBe(201);
    expect(created.json().abilities).toMatchObject({ update: true, archive: true, delete: false });
    const updated = await client.patch(`/api/v1/users/${created.json().id}`, {
      jobTitle: 'Engineer',
      version: 1,
    });
    expect(updated.statusCode).toBe(200);
  });

  it('keeps grants per module: write on HR gives nothing in administration', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await client.get('/api/v1/groups')).statusCode).toBe(403);
    expect((await client.get('/api/v1/audit-log')).statusCode).toBe(403);
  });

  it('grants through a group, and the strongest of user and group grants wins', async () => {
    const user = await buildUser(t, { grants: { hr_people: 'read' } });
    await buildGroup(t, { members: [user.id], grants: { hr_people: 'write' } });
    await buildGroup(t, { members: [user.id], grants: { hr_people: 'read', settings: 'read' } });
    const client = new Client(t.app);
    expect((await client.login(user.email, user.password)).statusCode).toBe(200);
    const session = await client.get('/api/v1/auth/session');
    expect(session.json().access).toMatchObject({
      hr_people: 'write',
      settings: 'read',
      administration: 'none',
    });
    expect((await client.post('/api/v1/users', newPerson())).statusCode).toBe(201);
  });

  it('takes effect at once when an administrator changes a grant', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const { client, user } = await signedIn(t);
    expect((await client.get('/api/v1/users')).statusCode).toBe(403);
    const put = await admin.put(`/api/v1/access-grants/user/${user.id}`, { grants: { hr_people: 'read' } });
    expect(put.statusCode).toBe(200);
    expect(put.json().grants.hr_people).toBe('read');
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    await admin.put(`/api/v1/access-grants/user/${user.id}`, { grants: { hr_people: 'none' } });
    expect((await client.get('/api/v1/users')).statusCode).toBe(403);
  });

  it('reports a user’s own grants and their effective access', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const user = await buildUser(t, { grants: { finance: 'read' } });
    await buildGroup(t, { members: [user.id], grants: { finance: 'write' } });
    const response = await admin.get(`/api/v1/access-grants/user/${user.id}`);
    expect(response.json().grants.finance).toBe('read');
    expect(response.json().effective.finance).toBe('write');
  });
});

describe('roles', () => {
  it('lets an auditor read everything and write nothing, whatever their grants', async () => {
    const { client } = await signedIn(t, { role: 'auditor', grants: { hr_people: 'write' } });
    const target = await buildUser(t);
    for (const url of ['/api/v1/users', '/api/v1/groups', '/api/v1/audit-log', '/api/v1/org-chart']) {
      expect((await client.get(url)).statusCode, url).toBe(200);
    }
    expect((await client.post('/api/v1/users', newPerson())).statusCode).toBe(403);
    expect((await client.post('/api/v1/groups', { name: `Auditors ${Date.now()}` })).statusCode).toBe(403);
    expect((await client.patch(`/api/v1/users/${target.id}`, { jobTitle: 'X', version: 1 })).statusCode).toBe(
      403,
    );
    expect((await client.get('/api/v1/audit-log/verify')).statusCode).toBe(403);
  });

  it('lets an administrator do everything, including the admin-only routes', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const target = await buildUser(t);
    const group = await buildGroup(t);
    expect((await client.post('/api/v1/users', newPerson())).statusCode).toBe(201);
    expect((await client.get('/api/v1/audit-log/verify')).statusCode).toBe(200);
    expect(
      (await client.put(`/api/v1/access-grants/user/${target.id}`, { grants: { finance: 'read' } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await client.post(`/api/v1/users/${target.id}/password`, { password: 'a fresh long passphrase' }))
        .statusCode,
    ).toBe(204);
    expect((await client.delete(`/api/v1/groups/${group.id}`)).statusCode).toBe(204);
  });

  it('keeps the admin-only routes from a member with write access to administration', async () => {
    const { client } = await signedIn(t, { grants: { administration: 'write', hr_people: 'write' } });
    const target = await buildUser(t);
    const group = await buildGroup(t);
    const refusals = [
      await client.delete(`/api/v1/groups/${group.id}`),
      await client.put(`/api/v1/access-grants/user/${target.id}`, { grants: { finance: 'write' } }),
      await client.put(`/api/v1/access-grants/group/${group.id}`, { grants: { administration: 'write' } }),
      await client.get('/api/v1/audit-log/verify'),
      await client.post(`/api/v1/users/${target.id}/password`, { password: 'a fresh long passphrase' }),
      await client.post(`/api/v1/users/${target.id}/unlock`),
      await client.get(`/api/v1/users/${target.id}/login`),
    ];
    for (const response of refusals) {
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    // The group is still there: the refusal changed nothing.
    expect((await client.get(`/api/v1/groups/${group.id}`)).statusCode).toBe(200);
    // …while the module-level writes are allowed.
    expect(
      (await client.patch(`/api/v1/groups/${group.id}`, { description: 'ok', version: 1 })).statusCode,
    ).toBe(200);
  });

  it('does not let a member with HR write make someone an administrator', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const created = await client.post('/api/v1/users', { ...newPerson(), role: 'admin' });
    expect(created.statusCode).toBe(403);
    const target = await buildUser(t);
    const patched = await client.patch(`/api/v1/users/${target.id}`, { role: 'admin', version: 1 });
    expect(patched.statusCode).toBe(403);
    const enabled = await client.patch(`/api/v1/users/${target.id}`, { loginEnabled: false, version: 1 });
    expect(enabled.statusCode).toBe(403);
  });
});

describe('the audit log', () => {
  it('is open to administrators and auditors only, whatever the grants, since it spans every module', async () => {
    const { client: reader } = await signedIn(t, { grants: { administration: 'write' } });
    expect((await reader.get('/api/v1/audit-log')).statusCode).toBe(403);
    const { client: auditor } = await signedIn(t, { role: 'auditor' });
    expect((await auditor.get('/api/v1/audit-log')).statusCode).toBe(200);
    const { client: admin } = await signedIn(t, { role: 'admin' });
    expect((await admin.get('/api/v1/audit-log')).statusCode).toBe(200);
  });
});
