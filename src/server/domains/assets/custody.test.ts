import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

async function setup() {
  const { client } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const person = await buildUser(t, { loginEnabled: false });
  const asset = (
    await client.post('/api/v1/assets', { name: 'Laptop', assetTag: `C-${randomUUID().slice(0, 8)}` })
  ).json();
  return { client, person, asset };
}

describe('custody', () => {
  it('checks an asset out to a person and back in, keeping the assignment history and audit', async () => {
    const { client, person, asset } = await setup();
    const out = await client.post(`/api/v1/assets/${asset.id}/check-out`, {
      userId: person.id,
      expectedReturnDate: '2999-01-31',
      notes: 'for the audit season',
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({ status: 'in_use', holderId: person.id, version: 2 });
    const held = await client.get(`/api/v1/assets?holderId=${person.id}`);
    expect(held.json().data.map((a: { id: string }) => a.id)).toEqual([asset.id]);

    const twice = await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
    expect(twice.statusCode).toBe(409);
    // In use only through custody: an edit cannot take it out of use, nor archive it.
    const edit = await client.patch(`/api/v1/assets/${asset.id}`, { status: 'in_repair', version: 2 });
    expect(edit.json().errors[0]).toEqual({
      path: 'status',
      message: 'check the asset in before changing its status',
    });
    expect((await client.post(`/api/v1/assets/${asset.id}/archive`, { version: 2 })).statusCode).toBe(422);

    const back = await client.post(`/api/v1/assets/${asset.id}/check-in`, { notes: 'scratched lid' });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'in_stock', holderId: null });
    expect((await client.post(`/api/v1/assets/${asset.id}/check-in`, {})).statusCode).toBe(409);

    const history = (await client.get(`/api/v1/assets/${asset.id}/assignments`)).json().data;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      userId: person.id,
      expectedReturnDate: '2999-01-31',
      checkoutNotes: 'for the audit season',
      checkinNotes: 'scratched lid',
    });
    expect(history[0].checkedInAt).not.toBeNull();

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityId: asset.id });
    expect(trail.map((e) => e.action)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
    expect(trail[1]!.changes).toMatchObject({
      status: { old: 'in_stock', new: 'in_use' },
      holderId: { new: person.id },
    });
  });

  it('checks out to a location, which becomes where the asset is', async () => {
    const { client, asset } = await setup();
    const location = (
      await client.post('/api/v1/locations', { name: `Store ${randomUUID().slice(0, 6)}` })
    ).json();
    const out = await client.post(`/api/v1/assets/${asset.id}/check-out`, { locationId: location.id });
    expect(out.json()).toMatchObject({ status: 'in_use', holderId: null, locationId: location.id });
  });

  it('refuses what custody does not allow, changing nothing', async () => {
    const { client, person, asset } = await setup();
    const archived = await buildUser(t, { loginEnabled: false, isArchived: true });
    const both = await client.post(`/api/v1/assets/${asset.id}/check-out`, {});
    expect(both.statusCode).toBe(422);
    expect(both.json().errors[0].path).toBe('userId');
    const gone = await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: archived.id });
    expect(gone.json().errors).toEqual([{ path: 'userId', message: 'is archived' }]);
    const past = await client.post(`/api/v1/assets/${asset.id}/check-out`, {
      userId: person.id,
      expectedReturnDate: '2000-01-01',
    });
    expect(past.json().errors).toEqual([{ path: 'expectedReturnDate', message: 'cannot be in the past' }]);
    const stale = await client.post(`/api/v1/assets/${asset.id}/check-out`, {
      userId: person.id,
      version: 7,
    });
    expect(stale.statusCode).toBe(409);
    const disposal = await client.post('/api/v1/disposals', {
      assetId: asset.id,
      disposedOn: '2025-01-15',
      method: 'recycled',
    });
    expect(disposal.statusCode).toBe(201);
    const disposed = await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
    expect(disposed.statusCode).toBe(422);
    expect(disposed.json().errors[0].message).toBe(
      'an asset disposed cannot be checked out; only one in stock can',
    );
    expect((await client.get(`/api/v1/assets/${asset.id}/assignments`)).json().data).toEqual([]);

    const { client: reader } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await reader.post(`/api/v1/assets/${asset.id}/check-in`, {})).statusCode).toBe(403);
    expect((await reader.get(`/api/v1/assets/${asset.id}/assignments`)).statusCode).toBe(200);
    expect((await reader.get(`/api/v1/assets/${randomUUID()}/assignments`)).statusCode).toBe(404);
  });

  it('checks in everything a leaver holds at once, and nothing for someone who holds nothing', async () => {
    const { client, person, asset } = await setup();
    const second = (
      await client.post('/api/v1/assets', { name: 'Phone', assetTag: `C-${randomUUID().slice(0, 8)}` })
    ).json();
    for (const id of [asset.id, second.id]) {
      expect((await client.post(`/api/v1/assets/${id}/check-out`, { userId: person.id })).statusCode).toBe(
        200,
      );
    }
    const { client: reader } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await reader.post(`/api/v1/users/${person.id}/check-in-all`, {})).statusCode).toBe(403);

    const returned = await client.post(`/api/v1/users/${person.id}/check-in-all`, { notes: 'leaver' });
    expect(returned.statusCode).toBe(200);
    expect(
      returned
        .json()
        .data.map((a: { id: string }) => a.id)
        .sort(),
    ).toEqual([asset.id, second.id].sort());
    expect(returned.json().data.every((a: { status: string }) => a.status === 'in_stock')).toBe(true);
    expect((await client.get(`/api/v1/assets?holderId=${person.id}`)).json().total).toBe(0);
    const history = (await client.get(`/api/v1/assets/${second.id}/assignments`)).json().data;
    expect(history[0].checkinNotes).toBe('leaver');

    expect((await client.post(`/api/v1/users/${person.id}/check-in-all`, {})).json().data).toEqual([]);
    expect((await client.post(`/api/v1/users/${randomUUID()}/check-in-all`, {})).statusCode).toBe(404);
  });
});
