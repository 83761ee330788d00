import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { warrantyEnd } from './assets.schemas';

const t = sharedTestContext();
const unique = () => randomUUID().slice(0, 8);

async function inventoryClient() {
  return (await signedIn(t, { grants: { core_inventory: 'write' } })).client;
}

async function model(client: Awaited<ReturnType<typeof inventoryClient>>) {
  const brand = (await client.post('/api/v1/brands', { name: `Brand ${unique()}` })).json();
  return (
    await client.post('/api/v1/asset-models', {
      brandId: brand.id,
      name: 'Latitude 7440',
      category: 'Laptop',
    })
  ).json();
}

describe('assets', () => {
  it('registers an asset with its model and location, deriving the warranty end', async () => {
    const client = await inventoryClient();
    const location = (
      await client.post('/api/v1/locations', { name: `Madrid ${unique()}`, country: 'es' })
    ).json();
    expect(location.country).toBe('ES');
    const laptop = await model(client);
    const tag = `A-${unique()}`;
    const created = await client.post('/api/v1/assets', {
      name: 'Finance laptop',
      assetTag: tag,
      serialNumber: `SN-${unique()}`,
      modelId: laptop.id,
      locationId: location.id,
      purchaseDate: '2024-01-31',
      warrantyMonths: 13,
      cost: 1234.5,
      currency: 'eur',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'in_stock',
      holderId: null,
      cost: '1234.50',
      currency: 'EUR',
      warrantyEnd: '2025-02-28',
      modelId: laptop.id,
      locationId: location.id,
    });
    const byTag = await client.get(`/api/v1/assets?q=${encodeURIComponent(tag.toLowerCase())}`);
    expect(byTag.json().data.map((a: { id: string }) => a.id)).toEqual([created.json().id]);
    const atLocation = await client.get(`/api/v1/assets?locationId=${location.id}`);
    expect(atLocation.json().total).toBe(1);
  });

  it('keeps asset tags and serial numbers unique, whatever their case', async () => {
    const client = await inventoryClient();
    const tag = `DUP-${unique()}`;
    expect((await client.post('/api/v1/assets', { name: 'One', assetTag: tag })).statusCode).toBe(201);
    const again = await client.post('/api/v1/assets', { name: 'Two', assetTag: tag.toLowerCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].path).toBe('assetTag');
  });

  it('enforces the status rules: in use only by check-out, disposed and sold are final', async () => {
    const client = await inventoryClient();
    const direct = await client.post('/api/v1/assets', {
      name: 'X',
      assetTag: `S-${unique()}`,
      status: 'in_use',
    });
    expect(direct.statusCode).toBe(422);
    expect(direct.json().errors).toEqual([
      { path: 'status', message: 'an asset is put in use by checking it out' },
    ]);
    const asset = (await client.post('/api/v1/assets', { name: 'Y', assetTag: `S-${unique()}` })).json();
    const step = async (status: string, version: number) =>
      client.patch(`/api/v1/assets/${asset.id}`, { status, version });
    const sold = await step('sold', 1);
    expect(sold.statusCode).toBe(422);
    expect(sold.json().errors[0].message).toBe('an asset is disposed of or sold by recording its disposal');
    expect((await step('awaiting_disposal', 1)).statusCode).toBe(200);
    const direct2 = await step('disposed', 2);
    expect(direct2.json().errors[0].message).toBe(
      'an asset is disposed of or sold by recording its disposal',
    );
    const disposal = await client.post('/api/v1/disposals', {
      assetId: asset.id,
      disposedOn: '2025-01-15',
      method: 'recycled',
    });
    expect(disposal.statusCode).toBe(201);
    const back = await step('in_stock', 3);
    expect(back.statusCode).toBe(422);
    expect(back.json().errors[0].message).toBe('a disposed asset keeps its status');
  });

  it('refuses unknown or archived references, a cost without currency and a salvage above cost', async () => {
    const client = await inventoryClient();
    const location = (await client.post('/api/v1/locations', { name: `Closed ${unique()}` })).json();
    expect((await client.post(`/api/v1/locations/${location.id}/archive`, { version: 1 })).statusCode).toBe(
      200,
    );
    const response = await client.post('/api/v1/assets', {
      name: 'Z',
      assetTag: `R-${unique()}`,
      modelId: randomUUID(),
      locationId: location.id,
      cost: '100',
      salvageValue: '150.00',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        { path: 'modelId', message: 'does not exist' },
        { path: 'locationId', message: 'is archived' },
        { path: 'currency', message: 'is required with a cost' },
        { path: 'salvageValue', message: 'cannot exceed the cost' },
      ]),
    );
    const amount = await client.post('/api/v1/assets', {
      name: 'Z',
      assetTag: `R-${unique()}`,
      cost: '12.345',
    });
    expect(amount.statusCode).toBe(400);
    expect(amount.json().errors[0].path).toBe('cost');
  });

  it('is read-only to a reader of the inventory module, and hidden from others', async () => {
    const { client: reader } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await reader.get('/api/v1/assets')).statusCode).toBe(200);
    expect((await reader.post('/api/v1/assets', { name: 'No', assetTag: `N-${unique()}` })).statusCode).toBe(
      403,
    );
    const { client: stranger } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await stranger.get('/api/v1/assets')).statusCode).toBe(403);
    expect((await stranger.get('/api/v1/meta/entities/asset')).statusCode).toBe(404);
  });

  it('describes its references, so the screens can offer pickers', async () => {
    const client = await inventoryClient();
    const meta = (await client.get('/api/v1/meta/entities/asset')).json();
    const field = (name: string) => meta.fields.find((f: { name: string }) => f.name === name);
    expect(field('locationId')).toMatchObject({ kind: 'uuid', reference: 'location', creatable: true });
    expect(field('holderId')).toMatchObject({ reference: 'user', creatable: false, updatable: false });
    expect(field('status').values).toContain('awaiting_disposal');
  });

  it('computes the warranty end from the purchase date, clamped to the month', () => {
    expect(warrantyEnd('2024-01-31', 1)).toBe('2024-02-29');
    expect(warrantyEnd('2024-03-15', 24)).toBe('2026-03-15');
    expect(warrantyEnd('2024-03-15', 0)).toBe('2024-03-15');
    expect(warrantyEnd(null, 12)).toBeNull();
    expect(warrantyEnd('2024-03-15', null)).toBeNull();
  });
});
