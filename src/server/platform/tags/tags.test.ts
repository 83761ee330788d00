import { describe, expect, it } from 'vitest';
import { auditEntries, buildGroup, buildTag, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

const names = (response: { json(): { data: Array<{ name: string }> } }) =>
  response.json().data.map((tag) => tag.name);

describe('tags', () => {
  it('sets and replaces the tags of a record, changing only the difference', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const [alpha, beta, gamma] = [
      await buildTag(t, { name: `alpha-${person.id.slice(-6)}` }),
      await buildTag(t, { name: `beta-${person.id.slice(-6)}` }),
      await buildTag(t, { name: `gamma-${person.id.slice(-6)}` }),
    ];
    const first = await client.put(`/api/v1/users/${person.id}/tags`, { tagIds: [beta!.id, alpha!.id] });
    expect(first.statusCode).toBe(200);
    expect(names(first)).toEqual([alpha!.name, beta!.name]);

    const replaced = await client.put(`/api/v1/users/${person.id}/tags`, { tagIds: [gamma!.id, beta!.id] });
    expect(names(replaced)).toEqual([beta!.name, gamma!.name]);
    expect(
      (await client.get(`/api/v1/users/${person.id}`)).json().tags.map((tag: { id: string }) => tag.id),
    ).toEqual([beta!.id, gamma!.id]);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const changes = await auditEntries(admin, { entityType: 'entity_tag' });
    const mine = changes.filter((e) => e.changes.entityId === person.id);
    const label = (id: unknown) => [alpha, beta, gamma].find((tag) => tag!.id === id)!.name.split('-')[0];
    // beta stayed through the replacement: inserted once, never deleted.
    expect(mine.map((e) => `${e.action} ${label(e.changes.tagId)}`).sort()).toEqual([
      'DELETE alpha',
      'INSERT alpha',
      'INSERT beta',
      'INSERT gamma',
    ]);

    const cleared = await client.put(`/api/v1/users/${person.id}/tags`, { tagIds: [] });
    expect(cleared.json().data).toEqual([]);
  });

  it('refuses unknown and archived tags, keeping the current ones', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { client: curator } = await signedIn(t, { grants: { settings: 'write' } });
    const person = await buildUser(t);
    const kept = await buildTag(t);
    const retired = await buildTag(t);
    await client.put(`/api/v1/users/${person.id}/tags`, { tagIds: [kept.id] });
    expect((await curator.post(`/api/v1/tags/${retired.id}/archive`)).statusCode).toBe(200);
    const refused = await client.put(`/api/v1/users/${person.id}/tags`, { tagIds: [kept.id, retired.id] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].path).toBe('tagIds');
    expect(
      (await client.get(`/api/v1/users/${person.id}`)).json().tags.map((tag: { id: string }) => tag.id),
    ).toEqual([kept.id]);
  });

  it('needs write access to the tagged record, and to settings to curate the vocabulary', async () => {
    const { client: reader } = await signedIn(t, { grants: { hr_people: 'read' } });
    const person = await buildUser(t);
    const group = await buildGroup(t);
    const tag = await buildTag(t);
    expect((await reader.put(`/api/v1/users/${person.id}/tags`, { tagIds: [tag.id] })).statusCode).toBe(403);
    const { client: hrWriter } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await hrWriter.put(`/api/v1/groups/${group.id}/tags`, { tagIds: [tag.id] })).statusCode).toBe(
      403,
    );
    // Everyone signed in reads the vocabulary; only settings writers change it.
    const { client: nobody } = await signedIn(t);
    expect((await nobody.get('/api/v1/tags')).statusCode).toBe(200);
    expect((await nobody.post('/api/v1/tags', { name: 'mine' })).statusCode).toBe(403);
    const { client: curator } = await signedIn(t, { grants: { settings: 'write' } });
    const created = await curator.post('/api/v1/tags', {
      name: `critical-${tag.id.slice(-6)}`,
      color: '#ff0000',
    });
    expect(created.statusCode).toBe(201);
    const duplicate = await curator.post('/api/v1/tags', { name: created.json().name.toUpperCase() });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors[0].path).toBe('name');
  });
});
