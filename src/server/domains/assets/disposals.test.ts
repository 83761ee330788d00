import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();
const unique = () => randomUUID().slice(0, 8);

async function setup() {
  const { client, user } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const asset = (
    await client.post('/api/v1/assets', { name: 'Old laptop', assetTag: `D-${unique()}` })
  ).json();
  return { client, user, asset };
}

type Client = Awaited<ReturnType<typeof setup>>['client'];

function dispose(client: Client, body: Record<string, unknown>) {
  return client.post('/api/v1/disposals', { disposedOn: '2025-03-01', method: 'recycled', ...body });
}

const statusOf = async (client: Client, path: string) => (await client.get(path)).json().status;

describe('disposals', () => {
  it('records how an asset left, which sets its status: disposed, or sold when sold', async () => {
    const { client, asset } = await setup();
    const created = await dispose(client, {
      assetId: asset.id,
      wipeMethod: 'NIST 800-88 purge',
      partner: 'GreenIT Recycling',
      notes: 'battery swollen',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      title: 'Recycled on 2025-03-01',
      assetId: asset.id,
      peripheralId: null,
      wipeMethod: 'NIST 800-88 purge',
      attachments: [],
    });
    expect(created.json()).not.toHaveProperty('reason');
    expect(await statusOf(client, `/api/v1/assets/${asset.id}`)).toBe('disposed');

    const other = (await client.post('/api/v1/assets', { name: 'Phone', assetTag: `D-${unique()}` })).json();
    const sold = await dispose(client, { assetId: other.id, method: 'sold', proceeds: 120, currency: 'eur' });
    expect(sold.json()).toMatchObject({ proceeds: '120.00', currency: 'EUR' });
    expect(await statusOf(client, `/api/v1/assets/${other.id}`)).toBe('sold');

    // Both writes in one transaction, each audited.
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityId: other.id });
    expect(trail.at(-1)!.changes).toMatchObject({ status: { old: 'in_stock', new: 'sold' } });
    // And a disposed asset cannot go out again.
    const person = await buildUser(t, { loginEnabled: false });
    const out = await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
    expect(out.statusCode).toBe(422);
    expect(out.json().errors[0].path).toBe('status');
  });

  it('is refused while the item is checked out, changing nothing, and allowed once it is back', async () => {
    const { client, asset } = await setup();
    const person = await buildUser(t, { loginEnabled: false });
    await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
    const refused = await dispose(client, { assetId: asset.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('check it in first');
    expect(refused.json().errors).toEqual([
      { path: 'assetId', message: 'is checked out: check it in first' },
    ]);
    expect(await statusOf(client, `/api/v1/assets/${asset.id}`)).toBe('in_use');
    expect((await client.get(`/api/v1/disposals?assetId=${asset.id}`)).json().total).toBe(0);

    await client.post(`/api/v1/assets/${asset.id}/check-in`, {});
    expect((await dispose(client, { assetId: asset.id })).statusCode).toBe(201);
  });

  it('is one per item (409 naming it), and the only way an asset becomes disposed or sold', async () => {
    const { client, asset } = await setup();
    const first = await dispose(client, { assetId: asset.id });
    const again = await dispose(client, { assetId: asset.id, method: 'donated' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ path: 'assetId', message: 'already has a disposal record' }]);
    expect(again.json().detail).toContain(first.json().id);

    // Only a disposal record disposes of or sells an asset: an edit cannot, so none escapes a record.
    const marked = (await client.post('/api/v1/assets', { name: 'X', assetTag: `D-${unique()}` })).json();
    await client.patch(`/api/v1/assets/${marked.id}`, { status: 'awaiting_disposal', version: 1 });
    const sold = await client.patch(`/api/v1/assets/${marked.id}`, { status: 'sold', version: 2 });
    expect(sold.statusCode).toBe(422);
    expect(sold.json().errors).toEqual([
      { path: 'status', message: 'an asset is disposed of or sold by recording its disposal' },
    ]);
    expect((await dispose(client, { assetId: marked.id, method: 'sold' })).statusCode).toBe(201);
    const late = await dispose(client, { assetId: marked.id });
    expect(late.statusCode).toBe(409);
  });

  it('checks its values: exactly one item, no future date, proceeds with a currency', async () => {
    const { client, asset } = await setup();
    const neither = await dispose(client, {});
    expect(neither.statusCode).toBe(422);
    expect(neither.json().errors[0].path).toBe('assetId');
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const response = await dispose(client, { assetId: asset.id, disposedOn: future, proceeds: '10' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { path: 'disposedOn', message: 'cannot be in the future' },
      { path: 'currency', message: 'is required with proceeds' },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await dispose(client, { assetId: asset.id, disposedOn: today })).statusCode).toBe(201);
  });

  it('needs a reason for every edit, and keeps each edit with its reason, old and new values', async () => {
    const { client, user, asset } = await setup();
    const disposal = (
      await dispose(client, { assetId: asset.id, method: 'sold', proceeds: '50', currency: 'EUR' })
    ).json();
    const url = `/api/v1/disposals/${disposal.id}`;

    const silent = await client.patch(url, { partner: 'Buyer Ltd', version: 1 });
    expect(silent.statusCode).toBe(422);
    expect(silent.json().errors).toEqual([
      { path: 'reason', message: 'is required: say why the disposal record is changed' },
    ]);
    expect((await client.patch(url, { partner: 'Buyer Ltd', reason: '   ', version: 1 })).statusCode).toBe(
      422,
    );
    expect((await client.patch(url, { reason: 'x'.repeat(2001), version: 1 })).statusCode).toBe(400);

    const edited = await client.patch(url, {
      method: 'recycled',
      proceeds: '50.00',
      partner: 'GreenIT',
      reason: 'the buyer withdrew; recycled instead',
      version: 1,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ method: 'recycled', partner: 'GreenIT', version: 2 });
    // The item follows the method across the sold line.
    expect(await statusOf(client, `/api/v1/assets/${asset.id}`)).toBe('disposed');

    // A stale edit is refused and leaves no trace in the history.
    expect((await client.patch(url, { notes: 'late', reason: 'typo', version: 1 })).statusCode).toBe(409);
    // An edit that changes nothing records nothing.
    expect(
      (await client.patch(url, { partner: 'GreenIT', reason: 'no-op', version: 2 })).json().version,
    ).toBe(2);
    await client.patch(url, { notes: 'certificate received', reason: 'paperwork', version: 2 });

    const edits = (await client.get(`${url}/edits`)).json();
    expect(edits.total).toBe(2);
    expect(edits.data.map((e: { reason: string }) => e.reason)).toEqual([
      'paperwork',
      'the buyer withdrew; recycled instead',
    ]);
    // Proceeds of "50.00" were already 50.00: only real changes are kept.
    expect(edits.data[1].changes).toEqual({
      method: { old: 'sold', new: 'recycled' },
      partner: { old: null, new: 'GreenIT' },
    });
    expect(edits.data[1].changedBy).toBe(user.id);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityType: 'disposal_history' });
    const entry = trail.find((e) => e.entityId === edits.data[1].id);
    expect(entry).toMatchObject({ action: 'INSERT' });
    expect(entry!.changes).toMatchObject({
      reason: 'the buyer withdrew; recycled instead',
      disposalId: disposal.id,
    });
    const disposalTrail = await auditEntries(admin, { entityId: disposal.id });
    expect(disposalTrail.map((e) => e.action)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
  });

  it('is a fact: neither archived nor deleted, and its reason is asked by the edit form', async () => {
    const { client, asset } = await setup();
    const disposal = (await dispose(client, { assetId: asset.id })).json();
    expect((await client.post(`/api/v1/disposals/${disposal.id}/archive`, {})).statusCode).toBe(404);
    const { client: admin } = await signedIn(t, { role: 'admin' });
    expect((await admin.delete(`/api/v1/disposals/${disposal.id}`)).statusCode).toBe(404);
    const meta = (await client.get('/api/v1/meta/entities/disposal')).json();
    const reason = meta.fields.find((f: { name: string }) => f.name === 'reason');
    expect(reason).toMatchObject({ creatable: false, updatable: true, maxLength: 2000 });
    expect(meta.fields.find((f: { name: string }) => f.name === 'assetId')).toMatchObject({
      reference: 'asset',
      creatable: true,
      updatable: false,
    });
    expect(meta.features).toMatchObject({ archivable: false, hardDelete: false, attachments: true });
  });

  it('works for peripherals: refused while checked out, with its asset or alone', async () => {
    const { client, asset } = await setup();
    const dock = (
      await client.post('/api/v1/peripherals', { name: 'Dock', type: 'dock', serialNumber: `DK-${unique()}` })
    ).json();
    await client.post(`/api/v1/peripherals/${dock.id}/check-out`, { assetId: asset.id });
    const assetWithDock = await dispose(client, { assetId: asset.id });
    expect(assetWithDock.statusCode).toBe(409);
    expect(assetWithDock.json().detail).toContain('check it in first');
    const dockOut = await dispose(client, { peripheralId: dock.id });
    expect(dockOut.statusCode).toBe(409);
    expect(dockOut.json().errors).toEqual([
      { path: 'peripheralId', message: 'is checked out: check it in first' },
    ]);

    await client.post(`/api/v1/peripherals/${dock.id}/check-in`, {});
    expect(
      (await dispose(client, { peripheralId: dock.id, method: 'sold', proceeds: 5, currency: 'EUR' }))
        .statusCode,
    ).toBe(201);
    expect(await statusOf(client, `/api/v1/peripherals/${dock.id}`)).toBe('sold');
    const again = await dispose(client, { peripheralId: dock.id });
    expect(again.json().errors).toEqual([{ path: 'peripheralId', message: 'already has a disposal record' }]);
    expect((await dispose(client, { assetId: asset.id })).statusCode).toBe(201);
  });

  it('is read by inventory readers, edits included, and written only by writers', async () => {
    const { client, asset } = await setup();
    const disposal = (await dispose(client, { assetId: asset.id })).json();
    const { client: reader } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await reader.get(`/api/v1/disposals/${disposal.id}/edits`)).statusCode).toBe(200);
    expect(
      (await reader.patch(`/api/v1/disposals/${disposal.id}`, { notes: 'x', reason: 'y', version: 1 }))
        .statusCode,
    ).toBe(403);
    const { client: stranger } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await stranger.get(`/api/v1/disposals/${disposal.id}/edits`)).statusCode).toBe(403);
    expect((await client.get(`/api/v1/disposals/${randomUUID()}/edits`)).statusCode).toBe(404);
  });
});
