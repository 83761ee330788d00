import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

const newPerson = () => {
  const unique = randomUUID().slice(0, 8);
  return { name: `Audited ${unique}`, email: `audited-${unique}@example.test` };
};

describe('audit rows of the generic write path', () => {
  it('records an INSERT with the whole record, the actor, the session and the request', async () => {
    const { client, user: admin } = await signedIn(t, { role: 'admin' });
    const person = newPerson();
    const created = await client.post(
      '/api/v1/users',
      { ...person, department: 'Finance' },
      {
        'x-request-id': 'req-audit-insert-1',
      },
    );
    expect(created.statusCode).toBe(201);
    const entries = await auditEntries(client, { entityId: created.json().id });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'INSERT',
      entityType: 'user',
      entityLabel: person.name,
      actorId: admin.id,
      actorLabel: admin.email,
      authMethod: 'session',
      ip: client.ip,
      userAgent: client.userAgent,
      requestId: 'req-audit-insert-1',
    });
    expect(entries[0]!.changes).toMatchObject({
      id: created.json().id,
      name: person.name,
      email: person.email,
      department: 'Finance',
      jobTitle: null,
      role: 'member',
      isArchived: false,
      customFields: {},
    });
  });

  it('records writes by the system as such, without a user', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const person = await buildUser(t);
    const [insert] = await auditEntries(client, { entityId: person.id, entityType: 'user' });
    expect(insert).toMatchObject({
      action: 'INSERT',
      authMethod: 'system',
      actorId: null,
      actorLabel: 'test',
    });
    expect(insert).toMatchObject({ ip: null, userAgent: null, requestId: null });
  });

  it('records an UPDATE with old and new values of the changed fields only', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const person = await buildUser(t, { department: 'Sales' });
    const updated = await client.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      department: 'Marketing',
      jobTitle: 'Lead',
      name: person.name,
    });
    expect(updated.statusCode).toBe(200);
    const entries = await auditEntries(client, { entityId: person.id, action: 'UPDATE' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.changes).toEqual({
      department: { old: 'Sales', new: 'Marketing' },
      jobTitle: { old: null, new: 'Lead' },
    });
  });

  it('writes nothing and keeps the version on a PATCH that changes nothing', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const person = await buildUser(t, { department: 'Sales' });
    const same = await client.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      department: 'Sales',
      name: person.name,
      email: person.email.toUpperCase(),
    });
    expect(same.statusCode).toBe(200);
    expect(same.json().version).toBe(1);
    expect(await auditEntries(client, { entityId: person.id })).toHaveLength(1);
  });

  it('records ARCHIVE and RESTORE', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const person = await buildUser(t);
    expect((await client.post(`/api/v1/users/${person.id}/archive`, { version: 1 })).statusCode).toBe(200);
    expect((await client.post(`/api/v1/users/${person.id}/restore`, { version: 2 })).statusCode).toBe(200);
    const entries = await auditEntries(client, { entityId: person.id });
    expect(entries.map((e) => e.action)).toEqual(['INSERT', 'ARCHIVE', 'RESTORE']);
    expect(entries[1]!.changes).toEqual({ isArchived: { old: false, new: true } });
    expect(entries[2]!.changes).toEqual({ isArchived: { old: true, new: false } });
  });

  it('records a group’s hard delete with the whole record, and each membership, link, tag and grant it took along', async () => {
    const { client, user: admin } = await signedIn(t, { role: 'admin' });
    const member = await buildUser(t);
    const group = (
      await client.post('/api/v1/groups', { name: `Doomed ${randomUUID().slice(0, 8)}` })
    ).json();
    await client.post(`/api/v1/groups/${group.id}/members`, { userId: member.id });
    const link = (
      await client.post(`/api/v1/users/${member.id}/links`, { targetType: 'group', targetId: group.id })
    ).json();
    const tag = (await client.post('/api/v1/tags', { name: `t-${randomUUID().slice(0, 8)}` })).json();
    await client.put(`/api/v1/groups/${group.id}/tags`, { tagIds: [tag.id] });
    await client.put(`/api/v1/access-grants/group/${group.id}`, { grants: { finance: 'read' } });

    const deleted = await client.delete(`/api/v1/groups/${group.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await client.get(`/api/v1/groups/${group.id}`)).statusCode).toBe(404);
    expect((await client.get(`/api/v1/users/${member.id}/groups`)).json().data).toEqual([]);
    expect((await client.get(`/api/v1/users/${member.id}/links`)).json().data).toEqual([]);

    const deletes = await auditEntries(client, { action: 'DELETE', actorId: admin.id });
    const groupDelete = deletes.find((e) => e.entityType === 'group');
    expect(groupDelete).toMatchObject({ entityId: group.id, authMethod: 'session' });
    expect(groupDelete!.changes).toMatchObject({ id: group.id, name: group.name, isArchived: false });
    expect(deletes.map((e) => e.entityType).sort()).toEqual(
      ['access_grant', 'entity_tag', 'group', 'group_member', 'link'].sort(),
    );
    expect(deletes.find((e) => e.entityType === 'link')!.entityId).toBe(link.id);
    expect(deletes.find((e) => e.entityType === 'group_member')!.changes).toMatchObject({
      groupId: group.id,
      userId: member.id,
    });
  });
});

describe('the audit log is append-only and all-or-nothing', () => {
  it('refuses UPDATE and DELETE of audit rows, even straight to the database', async () => {
    await buildUser(t);
    await expect(t.database.db.execute(sql`update audit_log set entity_label = 'forged'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`truncate audit_log cascade`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_seal`)).rejects.toThrow();
    const [row] = (
      (await t.database.db.execute(
        sql`select count(*)::int as n from audit_log where entity_label = 'forged'`,
      )) as unknown as {
        rows: Array<{ n: number }>;
      }
    ).rows;
    expect(row?.n).toBe(0);
  });

  it('leaves neither the record nor an audit row when a create fails in its validation hook', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const before = await countAuditRows();
    const person = newPerson();
    const refused = await client.post('/api/v1/users', { ...person, managerId: randomUUID() });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([{ path: 'managerId', message: 'does not exist' }]);
    expect((await client.get(`/api/v1/users?q=${encodeURIComponent(person.email)}`)).json().total).toBe(0);
    expect(await countAuditRows()).toBe(before);
  });

  it('rolls back every dependent removal when a group delete fails at the last step', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const member = await buildUser(t);
    const group = (await client.post('/api/v1/groups', { name: `Kept ${randomUUID().slice(0, 8)}` })).json();
    await client.post(`/api/v1/groups/${group.id}/members`, { userId: member.id });
    await client.post(`/api/v1/groups/${group.id}/links`, { url: 'https://example.com/runbook' });
    const before = await countAuditRows();

    const stale = await client.delete(`/api/v1/groups/${group.id}`, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(409);
    expect((await client.get(`/api/v1/groups/${group.id}/members`)).json().data).toHaveLength(1);
    expect((await client.get(`/api/v1/groups/${group.id}/links`)).json().data).toHaveLength(1);
    expect(await countAuditRows()).toBe(before);
  });
});

describe('searching the audit log', () => {
  it('filters by entity type, entity, actor, action and time', async () => {
    const { client: actor, user } = await signedIn(t, { role: 'admin' });
    const { client: reader } = await signedIn(t, { role: 'auditor' });
    const start = new Date(Date.now() - 1000).toISOString();
    const created = (await actor.post('/api/v1/users', newPerson())).json();
    await actor.patch(`/api/v1/users/${created.id}`, { jobTitle: 'Clerk', version: 1 });
    await actor.post(`/api/v1/users/${created.id}/archive`);
    const end = new Date(Date.now() + 1000).toISOString();

    const byEntity = await auditEntries(reader, { entityId: created.id });
    expect(byEntity.map((e) => e.action)).toEqual(['INSERT', 'UPDATE', 'ARCHIVE']);
    const byActor = await auditEntries(reader, { actorId: user.id, entityType: 'user' });
    expect(byActor.map((e) => e.entityId)).toEqual([created.id, created.id, created.id]);
    expect(await auditEntries(reader, { actorId: user.id, entityType: 'group' })).toEqual([]);
    const updatesAndArchives = await auditEntries(reader, { entityId: created.id, action: 'UPDATE,ARCHIVE' });
    expect(updatesAndArchives.map((e) => e.action)).toEqual(['UPDATE', 'ARCHIVE']);
    expect(await auditEntries(reader, { entityId: created.id, from: start, to: end })).toHaveLength(3);
    expect(await auditEntries(reader, { entityId: created.id, from: end })).toHaveLength(0);
    expect(await auditEntries(reader, { entityId: created.id, to: start })).toHaveLength(0);
    const today = byEntity[0]!.occurredAt.slice(0, 10);
    expect(await auditEntries(reader, { entityId: created.id, from: today, to: today })).toHaveLength(3);

    const bad = await reader.get('/api/v1/audit-log?action=EXPLODE');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('action');
  });

  it('lists the record types the log holds, to administrators and auditors only', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const tag = await admin.post('/api/v1/tags', { name: `audited-${randomUUID().slice(0, 8)}` });
    expect(tag.statusCode).toBe(201);
    const { client: auditor } = await signedIn(t, { role: 'auditor' });
    const types = (await auditor.get('/api/v1/audit-log/entity-types')).json().data as string[];
    expect(types).toEqual(expect.arrayContaining(['tag', 'user', 'session']));
    expect(types).toEqual([...types].sort());
    expect(new Set(types).size).toBe(types.length);
    const { client: member } = await signedIn(t, { grants: { administration: 'write' } });
    expect((await member.get('/api/v1/audit-log/entity-types')).statusCode).toBe(403);
  });

  it('pages with totals', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const person = await buildUser(t);
    for (const title of ['A', 'B', 'C', 'D']) {
      const current = (await client.get(`/api/v1/users/${person.id}`)).json();
      await client.patch(`/api/v1/users/${person.id}`, { jobTitle: title, version: current.version });
    }
    const page = await client.get(`/api/v1/audit-log?entityId=${person.id}&pageSize=2&page=2`);
    expect(page.json()).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.json().data).toHaveLength(2);
  });

  it('shows a record’s history to whoever may read the record', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const person = await buildUser(t);
    const history = await client.get(`/api/v1/users/${person.id}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.json().data.map((e: { action: string }) => e.action)).toEqual(['INSERT']);
    expect((await client.get('/api/v1/audit-log')).statusCode).toBe(403);
  });
});

async function countAuditRows(): Promise<number> {
  const result = (await t.database.db.execute(sql`select count(*)::int as n from audit_log`)) as unknown as {
    rows: Array<{ n: number }>;
  };
  return result.rows[0]!.n;
}
