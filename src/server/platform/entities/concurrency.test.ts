import { describe, expect, it } from 'vitest';
import { auditEntries, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

describe('optimistic concurrency', () => {
  it('accepts the first of two edits based on the same version and answers the second 409 with the newer record', async () => {
    const { client: alice } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { client: bob } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);

    const first = await alice.patch(`/api/v1/users/${person.id}`, { jobTitle: 'From Alice', version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);

    const second = await bob.patch(`/api/v1/users/${person.id}`, { jobTitle: 'From Bob', version: 1 });
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json().current).toMatchObject({ id: person.id, version: 2, jobTitle: 'From Alice' });

    // `current` is the record as the API presents it, ready to replace the client's stale copy.
    const {
      abilities: _a,
      links: _l,
      tags: _t,
      attachments: _f,
      ...stored
    } = (await alice.get(`/api/v1/users/${person.id}`)).json();
    expect(stored).toMatchObject({ jobTitle: 'From Alice', version: 2 });
    expect(second.json().current).toEqual(stored);
  });

  it('answers 428 when no version is sent, and changes nothing', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const response = await client.patch(`/api/v1/users/${person.id}`, { jobTitle: 'Unversioned' });
    expect(response.statusCode).toBe(428);
    expect(response.json().errors).toEqual([{ path: 'version', message: 'is required' }]);
    expect((await client.get(`/api/v1/users/${person.id}`)).json()).toMatchObject({
      jobTitle: null,
      version: 1,
    });
  });

  it('takes the version from If-Match, and hands out the current one as ETag', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const read = await client.get(`/api/v1/users/${person.id}`);
    expect(read.headers.etag).toBe('"1"');

    const updated = await client.patch(
      `/api/v1/users/${person.id}`,
      { jobTitle: 'Tagged' },
      { 'if-match': '"1"' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe('"2"');

    const weak = await client.patch(
      `/api/v1/users/${person.id}`,
      { jobTitle: 'Weak' },
      { 'if-match': 'W/"2"' },
    );
    expect(weak.statusCode).toBe(200);

    const stale = await client.patch(
      `/api/v1/users/${person.id}`,
      { jobTitle: 'Stale' },
      { 'if-match': '"2"' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current.jobTitle).toBe('Weak');

    const garbage = await client.patch(
      `/api/v1/users/${person.id}`,
      { jobTitle: 'X' },
      { 'if-match': 'banana' },
    );
    expect(garbage.statusCode).toBe(400);
  });

  it('checks the version on archive too', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t, { loginEnabled: false });
    await client.patch(`/api/v1/users/${person.id}`, { jobTitle: 'Moved on', version: 1 });
    const stale = await client.post(`/api/v1/users/${person.id}/archive`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await client.get(`/api/v1/users/${person.id}`)).json().isArchived).toBe(false);
  });

  it('lets exactly one of two truly concurrent edits of the same version win', async () => {
    const { client: alice } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { client: bob } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { client: admin } = await signedIn(t, { role: 'admin' });
    for (let round = 0; round < 3; round++) {
      const person = await buildUser(t);
      const responses = await Promise.all([
        alice.patch(`/api/v1/users/${person.id}`, { jobTitle: 'Alice', version: 1 }),
        bob.patch(`/api/v1/users/${person.id}`, { jobTitle: 'Bob', version: 1 }),
      ]);
      const statuses = responses.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 409]);
      const winner = responses.find((r) => r.statusCode === 200)!.json();
      const loser = responses.find((r) => r.statusCode === 409)!.json();
      expect(loser.current).toMatchObject({ version: 2, jobTitle: winner.jobTitle });
      const stored = (await alice.get(`/api/v1/users/${person.id}`)).json();
      expect(stored).toMatchObject({ version: 2, jobTitle: winner.jobTitle });
      expect(await auditEntries(admin, { entityId: person.id, action: 'UPDATE' })).toHaveLength(1);
    }
  });
});
