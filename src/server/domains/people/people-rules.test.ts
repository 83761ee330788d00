import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildGroup, buildUser, signedIn } from '../../../../test/factories';
import { createTestContext, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

const newPerson = () => {
  const unique = randomUUID().slice(0, 8);
  return { name: `Person ${unique}`, email: `people-${unique}@example.test` };
};

describe('managers', () => {
  it('refuses a management loop, however long, and a person managing themselves', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const top = await buildUser(t);
    const middle = await buildUser(t, { managerId: top.id });
    const bottom = await buildUser(t, { managerId: middle.id });
    const loop = await client.patch(`/api/v1/users/${top.id}`, { version: 1, managerId: bottom.id });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().errors).toEqual([
      { path: 'managerId', message: 'would create a loop in the org chart' },
    ]);
    const shortLoop = await client.patch(`/api/v1/users/${top.id}`, { version: 1, managerId: middle.id });
    expect(shortLoop.statusCode).toBe(422);
    const self = await client.patch(`/api/v1/users/${top.id}`, { version: 1, managerId: top.id });
    expect(self.statusCode).toBe(422);
    expect(self.json().errors[0].path).toBe('managerId');
    expect((await client.get(`/api/v1/users/${top.id}`)).json()).toMatchObject({
      managerId: null,
      version: 1,
    });
    // Moving someone sideways is fine.
    const sideways = await client.patch(`/api/v1/users/${bottom.id}`, { version: 1, managerId: top.id });
    expect(sideways.statusCode).toBe(200);
  });

  it('refuses an archived manager', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const gone = await buildUser(t, { isArchived: true });
    const response = await client.post('/api/v1/users', { ...newPerson(), managerId: gone.id });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ path: 'managerId', message: 'is archived' }]);
  });

  it('refuses an end date before the start date', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t, { startDate: '2024-05-01' });
    const response = await client.patch(`/api/v1/users/${person.id}`, { version: 1, endDate: '2024-04-30' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].path).toBe('endDate');
  });
});

describe('privileged fields', () => {
  it('lets only administrators set role and loginEnabled', async () => {
    const { client: hr } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await hr.post('/api/v1/users', { ...newPerson(), loginEnabled: true })).statusCode).toBe(403);
    expect((await hr.post('/api/v1/users', { ...newPerson(), role: 'auditor' })).statusCode).toBe(403);
    const person = await buildUser(t);
    // Sending the current values is not a change, and is allowed.
    const same = await hr.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      role: 'member',
      loginEnabled: true,
    });
    expect(same.statusCode).toBe(200);
    expect((await hr.patch(`/api/v1/users/${person.id}`, { version: 1, role: 'auditor' })).statusCode).toBe(
      403,
    );

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const promoted = await admin.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      role: 'auditor',
      loginEnabled: false,
    });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'auditor', loginEnabled: false });
  });

  it('lets nobody archive themselves', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await client.post(`/api/v1/users/${user.id}/archive`)).statusCode).toBe(403);
  });
});

describe('the last administrator', () => {
  it('cannot be demoted, disabled or archived', async () => {
    // Its own database: the rule counts every administrator there is.
    const own = await createTestContext();
    try {
      const { client: admin, user: root } = await signedIn(own, { role: 'admin' });
      const { client: hr } = await signedIn(own, { grants: { hr_people: 'write' } });
      const demote = await admin.patch(`/api/v1/users/${root.id}`, { version: 1, role: 'member' });
      expect(demote.statusCode).toBe(422);
      expect(demote.json().errors).toEqual([
        { path: 'role', message: 'the last administrator must keep access' },
      ]);
      const disable = await admin.patch(`/api/v1/users/${root.id}`, { version: 1, loginEnabled: false });
      expect(disable.statusCode).toBe(422);
      expect(disable.json().errors[0].path).toBe('loginEnabled');
      // Archiving an administrator is itself an administrator's business (and they cannot archive themselves).
      const archive = await hr.post(`/api/v1/users/${root.id}/archive`);
      expect(archive.statusCode).toBe(403);
      expect((await admin.get(`/api/v1/users/${root.id}`)).json()).toMatchObject({
        role: 'admin',
        isArchived: false,
      });

      // With a second administrator, stepping down is allowed.
      await buildUser(own, { role: 'admin' });
      expect((await admin.patch(`/api/v1/users/${root.id}`, { version: 1, role: 'member' })).statusCode).toBe(
        200,
      );
    } finally {
      await own.close();
    }
  });
});

describe('group membership', () => {
  it('adds and removes members, audited, and shows groups on the person', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const group = await buildGroup(t);
    const person = await buildUser(t);
    const added = await client.post(`/api/v1/groups/${group.id}/members`, { userId: person.id });
    expect(added.statusCode).toBe(200);
    expect(added.json().data.map((m: { id: string }) => m.id)).toEqual([person.id]);
    // Adding again changes nothing.
    expect(
      (await client.post(`/api/v1/groups/${group.id}/members`, { userId: person.id })).json().data,
    ).toHaveLength(1);
    expect((await client.get(`/api/v1/users/${person.id}/groups`)).json().data).toEqual([
      { id: group.id, name: group.name },
    ]);

    expect((await client.delete(`/api/v1/groups/${group.id}/members/${person.id}`)).statusCode).toBe(204);
    expect((await client.get(`/api/v1/groups/${group.id}/members`)).json().data).toEqual([]);
    expect((await client.delete(`/api/v1/groups/${group.id}/members/${person.id}`)).statusCode).toBe(404);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const entries = await auditEntries(admin, { entityType: 'group_member' });
    const mine = entries.filter((e) => e.changes.userId === person.id);
    expect(mine.map((e) => e.action)).toEqual(['INSERT', 'DELETE']);
  });

  it('refuses archived people and archived groups, and anyone but an administrator', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const archivedPerson = await buildUser(t, { isArchived: true });
    const group = await buildGroup(t);
    const refused = await client.post(`/api/v1/groups/${group.id}/members`, { userId: archivedPerson.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].path).toBe('userId');
    expect(
      (await client.post(`/api/v1/groups/${group.id}/members`, { userId: randomUUID() })).statusCode,
    ).toBe(422);

    const person = await buildUser(t);
    await client.post(`/api/v1/groups/${group.id}/archive`);
    expect((await client.post(`/api/v1/groups/${group.id}/members`, { userId: person.id })).statusCode).toBe(
      409,
    );

    const { client: hr } = await signedIn(t, { grants: { hr_people: 'write' } });
    const open = await buildGroup(t);
    expect((await hr.post(`/api/v1/groups/${open.id}/members`, { userId: person.id })).statusCode).toBe(403);
  });

  it('cannot be used to escalate: an administration writer cannot join a powerful group', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const { client: writer, user } = await signedIn(t, { grants: { administration: 'write' } });
    const powerful = (
      await admin.post('/api/v1/groups', { name: `Finance ${randomUUID().slice(0, 6)}` })
    ).json();
    await admin.put(`/api/v1/access-grants/group/${powerful.id}`, { grants: { finance: 'write' } });
    expect((await writer.post(`/api/v1/groups/${powerful.id}/members`, { userId: user.id })).statusCode).toBe(
      403,
    );
    expect((await writer.get('/api/v1/auth/session')).json().access.finance).toBe('none');
  });

  it('grants nothing through an archived group', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const { client: member, user } = await signedIn(t);
    const group = (await admin.post('/api/v1/groups', { name: `Ops ${randomUUID().slice(0, 6)}` })).json();
    await admin.put(`/api/v1/access-grants/group/${group.id}`, { grants: { operations: 'write' } });
    await admin.post(`/api/v1/groups/${group.id}/members`, { userId: user.id });
    expect((await member.get('/api/v1/auth/session')).json().access.operations).toBe('write');
    await admin.post(`/api/v1/groups/${group.id}/archive`);
    expect((await member.get('/api/v1/auth/session')).json().access.operations).toBe('none');
  });
});

describe('an administrator setting a password', () => {
  it("signs out the person's sessions, but keeps the administrator's own when it is their own password", async () => {
    const { client: admin, user: adminUser } = await signedIn(t, { role: 'admin' });
    const { client: other, user: otherUser } = await signedIn(t);
    expect(
      (await admin.post(`/api/v1/users/${otherUser.id}/password`, { password: 'a brand new passphrase' }))
        .statusCode,
    ).toBe(204);
    expect((await other.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect(
      (await admin.post(`/api/v1/users/${adminUser.id}/password`, { password: 'my own new passphrase' }))
        .statusCode,
    ).toBe(204);
    expect((await admin.get('/api/v1/auth/session')).statusCode).toBe(200);
  });
});

describe('accounts are an administrator’s business', () => {
  it('lets an HR writer archive, restore and re-address directory entries, but not people who sign in', async () => {
    const { client: hr } = await signedIn(t, { grants: { hr_people: 'write' } });
    const directoryOnly = await buildUser(t, { loginEnabled: false });
    const withLogin = await buildUser(t);
    const archived = await hr.post(`/api/v1/users/${directoryOnly.id}/archive`);
    expect(archived.statusCode).toBe(200);
    expect((await hr.post(`/api/v1/users/${directoryOnly.id}/restore`)).statusCode).toBe(200);

    expect((await hr.post(`/api/v1/users/${withLogin.id}/archive`)).statusCode).toBe(403);
    const renamed = await hr.patch(`/api/v1/users/${withLogin.id}`, {
      email: `moved-${randomUUID().slice(0, 6)}@example.test`,
      version: withLogin.version,
    });
    expect(renamed.statusCode).toBe(403);
    // Other fields of the same person remain HR's to edit.
    const titled = await hr.patch(`/api/v1/users/${withLogin.id}`, {
      jobTitle: 'Analyst',
      version: withLogin.version,
    });
    expect(titled.statusCode).toBe(200);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    expect((await admin.post(`/api/v1/users/${withLogin.id}/archive`)).statusCode).toBe(200);
    expect((await hr.post(`/api/v1/users/${withLogin.id}/restore`)).statusCode).toBe(403);
    expect((await admin.post(`/api/v1/users/${withLogin.id}/restore`)).statusCode).toBe(200);
  });
});
