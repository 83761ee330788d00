import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();
const tag = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function setup() {
  const { client, user } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const site = (await client.post('/api/v1/locations', { name: tag('Site') })).json();
  const elsewhere = (await client.post('/api/v1/locations', { name: tag('Elsewhere') })).json();
  const make = async (name: string, body: Record<string, unknown> = {}) =>
    (
      await client.post('/api/v1/assets', { name, assetTag: tag(name.slice(0, 3).toUpperCase()), ...body })
    ).json();
  const laptop = await make('Laptop', { locationId: site.id });
  const screen = await make('Screen', { locationId: site.id });
  const phone = await make('Phone', { locationId: site.id });
  const server = await make('Server', { locationId: site.id, virtual: true });
  const stray = await make('Stray', { locationId: elsewhere.id });
  const gone = await make('Gone', { locationId: site.id, status: 'awaiting_disposal' });
  await client.post('/api/v1/disposals', { assetId: gone.id, disposedOn: '2025-01-15', method: 'recycled' });
  return { client, user, site, laptop, screen, phone, server, stray, gone };
}

describe('inventory campaigns', () => {
  it('list every asset expected at the location, and scanning verifies, damages or finds unexpected', async () => {
    const { client, site, laptop, screen, phone, stray } = await setup();
    const started = await client.post('/api/v1/asset-inventories', { name: 'Q4 count', locationId: site.id });
    expect(started.statusCode).toBe(201);
    const inventory = started.json();
    expect(inventory).toMatchObject({ status: 'open', summary: null, locationId: site.id });

    // Virtual and disposed assets are not expected on a shelf.
    const items = (await client.get(`/api/v1/asset-inventories/${inventory.id}/items`)).json();
    expect(items.total).toBe(3);
    expect(items.data.map((i: { assetId: string }) => i.assetId).sort()).toEqual(
      [laptop.id, screen.id, phone.id].sort(),
    );
    expect(items.data.every((i: { result: string }) => i.result === 'pending')).toBe(true);

    const scan = await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, {
      assetTag: laptop.assetTag.toLowerCase(),
    });
    expect(scan.statusCode).toBe(200);
    expect(scan.json().item).toMatchObject({ assetId: laptop.id, result: 'verified', expected: true });
    expect(scan.json().progress).toMatchObject({ expected: 3, pending: 2, verified: 1 });

    const damaged = await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, {
      assetTag: screen.assetTag,
      result: 'damaged',
      notes: 'cracked bezel',
    });
    expect(damaged.json().item).toMatchObject({ result: 'damaged', notes: 'cracked bezel' });

    const found = await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, {
      assetTag: stray.assetTag,
    });
    expect(found.json().item).toMatchObject({
      assetId: stray.id,
      expected: false,
      result: 'found_unexpected',
    });
    expect(found.json().progress).toMatchObject({ expected: 3, pending: 1, foundUnexpected: 1 });

    const unknown = await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, {
      assetTag: 'NOPE-404',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([{ path: 'assetTag', message: 'no asset has the tag NOPE-404' }]);
    const blank = await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, { assetTag: '  ' });
    expect(blank.json().errors[0].path).toBe('assetTag');

    // Who checked and when is on each item.
    const verified = (
      await client.get(`/api/v1/asset-inventories/${inventory.id}/items?result=verified`)
    ).json().data;
    expect(verified).toHaveLength(1);
    expect(verified[0].checkedAt).not.toBeNull();
    expect(verified[0].checkedByName).toBeTruthy();
  });

  it('closing freezes the discrepancy summary, counts unchecked items missing, and can flag them', async () => {
    const { client, site, laptop, screen, phone, stray } = await setup();
    const inventory = (
      await client.post('/api/v1/asset-inventories', { name: 'Year end', locationId: site.id })
    ).json();
    await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, { assetTag: laptop.assetTag });
    await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, { assetTag: stray.assetTag });
    const items = (
      await client.get(`/api/v1/asset-inventories/${inventory.id}/items?q=${screen.assetTag}`)
    ).json().data;
    const marked = await client.post(`/api/v1/asset-inventories/${inventory.id}/items/${items[0].id}/mark`, {
      result: 'missing',
      notes: 'not in the cupboard',
    });
    expect(marked.json().item.result).toBe('missing');
    const strayItem = (
      await client.get(`/api/v1/asset-inventories/${inventory.id}/items?result=found_unexpected`)
    ).json().data[0];
    const unmark = await client.post(`/api/v1/asset-inventories/${inventory.id}/items/${strayItem.id}/mark`, {
      result: 'missing',
    });
    expect(unmark.statusCode).toBe(422);

    const closed = await client.post(`/api/v1/asset-inventories/${inventory.id}/close`, {
      flagMissing: true,
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      summary: { expected: 3, verified: 1, missing: 2, damaged: 0, foundUnexpected: 1, unchecked: 1 },
    });
    expect(closed.json().closedAt).not.toBeNull();

    // The missing ones (marked, and never checked) carry the Missing tag; the verified one does not.
    for (const [asset, flagged] of [
      [screen, true],
      [phone, true],
      [laptop, false],
    ] as const) {
      const detail = (await client.get(`/api/v1/assets/${asset.id}`)).json();
      expect(detail.tags.map((x: { name: string }) => x.name).includes('Missing')).toBe(flagged);
    }

    // Frozen: no scan, no mark, no edit, no second close.
    expect(
      (await client.post(`/api/v1/asset-inventories/${inventory.id}/scan`, { assetTag: phone.assetTag }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await client.post(`/api/v1/asset-inventories/${inventory.id}/items/${items[0].id}/mark`, {
          result: 'verified',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await client.patch(`/api/v1/asset-inventories/${inventory.id}`, { name: 'Renamed', version: 2 }))
        .statusCode,
    ).toBe(409);
    expect((await client.post(`/api/v1/asset-inventories/${inventory.id}/close`, {})).statusCode).toBe(409);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityId: inventory.id });
    expect(trail.map((e) => e.action)).toEqual(['INSERT', 'UPDATE']);
    expect(trail[1]!.changes).toMatchObject({ status: { old: 'open', new: 'closed' } });
  });

  it('a campaign over every location expects assets wherever they are; readers cannot scan', async () => {
    const { client, laptop, stray } = await setup();
    const everywhere = (await client.post('/api/v1/asset-inventories', { name: 'Everything' })).json();
    expect(everywhere.locationId).toBeNull();
    for (const asset of [laptop, stray]) {
      const scan = await client.post(`/api/v1/asset-inventories/${everywhere.id}/scan`, {
        assetTag: asset.assetTag,
      });
      expect(scan.json().item.expected).toBe(true);
    }
    const { client: readOnly } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await readOnly.get(`/api/v1/asset-inventories/${everywhere.id}/items`)).statusCode).toBe(200);
    expect(
      (await readOnly.post(`/api/v1/asset-inventories/${everywhere.id}/scan`, { assetTag: laptop.assetTag }))
        .statusCode,
    ).toBe(403);
    const bad = await client.post('/api/v1/asset-inventories', { name: 'Nowhere', locationId: randomUUID() });
    expect(bad.json().errors).toEqual([{ path: 'locationId', message: 'does not exist' }]);
  });
});
