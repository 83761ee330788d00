import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildGroup, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

interface Link {
  id: string;
  direction: 'outgoing' | 'incoming';
  relation: string;
  otherType: string | null;
  otherId: string | null;
  otherLabel: string | null;
  url: string | null;
}

describe('links', () => {
  it('links a user to a group and lists the link from both ends', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write', administration: 'read' } });
    const person = await buildUser(t);
    const group = await buildGroup(t);
    const created = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'group',
      targetId: group.id,
      relation: 'owns',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      direction: 'outgoing',
      relation: 'owns',
      otherType: 'group',
      otherId: group.id,
      otherLabel: group.name,
      url: null,
    });

    const fromUser: Link[] = (await client.get(`/api/v1/users/${person.id}`)).json().links;
    expect(fromUser).toEqual([expect.objectContaining({ id: created.json().id, direction: 'outgoing' })]);
    const fromGroup: Link[] = (await client.get(`/api/v1/groups/${group.id}`)).json().links;
    expect(fromGroup).toEqual([
      expect.objectContaining({
        id: created.json().id,
        direction: 'incoming',
        otherType: 'user',
        otherId: person.id,
        otherLabel: person.name,
      }),
    ]);
    expect((await client.get(`/api/v1/groups/${group.id}/links`)).json().data).toEqual(fromGroup);
  });

  it('links to a URL, but only an http(s) one', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const created = await client.post(`/api/v1/users/${person.id}/links`, {
      url: 'https://wiki.example.com/people/onboarding',
      description: 'Onboarding notes',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      url: 'https://wiki.example.com/people/onboarding',
      otherType: null,
    });
    const script = await client.post(`/api/v1/users/${person.id}/links`, { url: 'javascript:alert(1)' });
    expect(script.statusCode).toBe(400);
    expect(script.json().errors[0].path).toBe('url');
    const both = await client.post(`/api/v1/users/${person.id}/links`, {
      url: 'https://example.com',
      targetType: 'user',
      targetId: randomUUID(),
    });
    expect(both.statusCode).toBe(422);
  });

  it('refuses a nonexistent target, an unknown type and a link to itself with 422', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const missing = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'user',
      targetId: randomUUID(),
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([{ path: 'targetId', message: 'does not exist' }]);
    const unknownType = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'spaceship',
      targetId: randomUUID(),
    });
    expect(unknownType.statusCode).toBe(422);
    expect(unknownType.json().errors[0].path).toBe('targetType');
    const self = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'user',
      targetId: person.id,
    });
    expect(self.statusCode).toBe(422);
    expect(self.json().errors[0].path).toBe('targetId');
    expect((await client.get(`/api/v1/users/${person.id}/links`)).json().data).toEqual([]);
  });

  it('refuses a link to a record the actor cannot read with 403, without revealing whether it exists', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const group = await buildGroup(t);
    const real = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'group',
      targetId: group.id,
    });
    const imaginary = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'group',
      targetId: randomUUID(),
    });
    expect(real.statusCode).toBe(403);
    expect(imaginary.statusCode).toBe(403);
    expect((await client.get(`/api/v1/users/${person.id}/links`)).json().data).toEqual([]);
  });

  it('hides links whose other end the reader may not open', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const person = await buildUser(t);
    const group = await buildGroup(t);
    await admin.post(`/api/v1/users/${person.id}/links`, { targetType: 'group', targetId: group.id });
    await admin.post(`/api/v1/users/${person.id}/links`, { url: 'https://example.com/visible' });
    const { client: hrReader } = await signedIn(t, { grants: { hr_people: 'read' } });
    const links: Link[] = (await hrReader.get(`/api/v1/users/${person.id}`)).json().links;
    expect(links.map((l) => l.url)).toEqual(['https://example.com/visible']);
  });

  it('removes a link from either end, audited, and only a link of that record', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const alice = await buildUser(t);
    const bob = await buildUser(t);
    const carol = await buildUser(t);
    const link = (
      await client.post(`/api/v1/users/${alice.id}/links`, { targetType: 'user', targetId: bob.id })
    ).json();
    expect((await client.delete(`/api/v1/users/${carol.id}/links/${link.id}`)).statusCode).toBe(404);
    expect((await client.delete(`/api/v1/users/${bob.id}/links/${link.id}`)).statusCode).toBe(204);
    expect((await client.get(`/api/v1/users/${alice.id}/links`)).json().data).toEqual([]);
    const entries = await auditEntries(client, { entityId: link.id });
    expect(entries.map((e) => e.action)).toEqual(['INSERT', 'DELETE']);
    expect(entries[1]!.changes).toMatchObject({ sourceId: alice.id, targetId: bob.id, targetType: 'user' });
  });
});
