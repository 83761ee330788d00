import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();
const tag = () => randomUUID().slice(0, 8);

async function setup() {
  const { client } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const person = await buildUser(t, { loginEnabled: false });
  const asset = (await client.post('/api/v1/assets', { name: 'Laptop', assetTag: `P-${tag()}` })).json();
  const dock = (
    await client.post('/api/v1/peripherals', { name: 'USB-C dock', type: 'dock', serialNumber: `D-${tag()}` })
  ).json();
  return { client, person, asset, dock };
}

describe('peripherals', () => {
  it('are records with the assets’ rules: unique serial, status transitions, cost needs a currency', async () => {
    const { client, dock } = await setup();
    expect(dock).toMatchObject({ status: 'in_stock', holderId: null, assetId: null, version: 1 });
    const same = await client.post('/api/v1/peripherals', {
      name: 'Another dock',
      type: 'dock',
      serialNumber: dock.serialNumber.toLowerCase(),
    });
    expect(same.statusCode).toBe(409);
    expect(same.json().errors[0].path).toBe('serialNumber');
    const inUse = await client.patch(`/api/v1/peripherals/${dock.id}`, { status: 'in_use', version: 1 });
    expect(inUse.json().errors).toEqual([
      { path: 'status', message: 'a peripheral is put in use by checking it out' },
    ]);
    const cost = await client.patch(`/api/v1/peripherals/${dock.id}`, { cost: '120.00', version: 1 });
    expect(cost.json().errors).toEqual([{ path: 'currency', message: 'is required with a cost' }]);
    const dated = await client.patch(`/api/v1/peripherals/${dock.id}`, {
      purchaseDate: '2024-01-31',
      warrantyMonths: 1,
      version: 1,
    });
    expect(dated.json()).toMatchObject({ warrantyEnd: '2024-02-29', version: 2 });
  });

  it('check out to a person, onto an asset, or to a location, and back in, with their history', async () => {
    const { client, person, asset, dock } = await setup();
    const neither = await client.post(`/api/v1/peripherals/${dock.id}/check-out`, {});
    expect(neither.statusCode).toBe(422);
    const mixed = await client.post(`/api/v1/peripherals/${dock.id}/check-out`, {
      userId: person.id,
      locationId: (await client.post('/api/v1/locations', { name: `Store ${tag()}` })).json().id,
    });
    expect(mixed.json().errors[0].path).toBe('locationId');

    const mounted = await client.post(`/api/v1/peripherals/${dock.id}/check-out`, {
      assetId: asset.id,
      notes: 'on the desk',
    });
    expect(mounted.json()).toMatchObject({ status: 'in_use', assetId: asset.id, holderId: null });
    expect(
      (await client.post(`/api/v1/peripherals/${dock.id}/check-out`, { userId: person.id })).statusCode,
    ).toBe(409);
    const back = await client.post(`/api/v1/peripherals/${dock.id}/check-in`, { notes: 'fine' });
    expect(back.json()).toMatchObject({ status: 'in_stock', assetId: null, holderId: null });
    const toPerson = await client.post(`/api/v1/peripherals/${dock.id}/check-out`, { userId: person.id });
    expect(toPerson.json()).toMatchObject({ holderId: person.id });

    const history = (await client.get(`/api/v1/peripherals/${dock.id}/assignments`)).json().data;
    expect(
      history.map((h: { userId: string | null; assetId: string | null }) => [h.userId, h.assetId]),
    ).toEqual([
      [person.id, null],
      [null, asset.id],
    ]);
    expect(history[1]).toMatchObject({ checkoutNotes: 'on the desk', checkinNotes: 'fine' });
    // An archived or disposed peripheral cannot go out; one in use cannot be archived.
    expect((await client.post(`/api/v1/peripherals/${dock.id}/archive`, {})).statusCode).toBe(422);
  });

  it('go out and come back together with their asset, all or nothing', async () => {
    const { client, person, asset, dock } = await setup();
    const mouse = (await client.post('/api/v1/peripherals', { name: 'Mouse', type: 'mouse' })).json();
    const broken = (
      await client.post('/api/v1/peripherals', { name: 'Headset', type: 'headset', status: 'in_repair' })
    ).json();

    const refused = await client.post(`/api/v1/assets/${asset.id}/check-out`, {
      userId: person.id,
      peripheralIds: [dock.id, broken.id],
    });
    expect(refused.statusCode).toBe(422);
    // Nothing moved: the asset and the dock are still in stock.
    expect((await client.get(`/api/v1/assets/${asset.id}`)).json().status).toBe('in_stock');
    expect((await client.get(`/api/v1/peripherals/${dock.id}`)).json().status).toBe('in_stock');

    const out = await client.post(`/api/v1/assets/${asset.id}/check-out`, {
      userId: person.id,
      peripheralIds: [dock.id, mouse.id],
      expectedReturnDate: '2999-12-31',
    });
    expect(out.statusCode).toBe(200);
    const held = (await client.get(`/api/v1/peripherals?holderId=${person.id}`)).json().data;
    expect(held.map((p: { id: string }) => p.id).sort()).toEqual([dock.id, mouse.id].sort());
    expect(held.every((p: { assetId: string }) => p.assetId === asset.id)).toBe(true);

    const back = await client.post(`/api/v1/assets/${asset.id}/check-in`, {
      withPeripherals: true,
      notes: 'ok',
    });
    expect(back.statusCode).toBe(200);
    expect((await client.get(`/api/v1/peripherals?holderId=${person.id}`)).json().total).toBe(0);
    expect((await client.get(`/api/v1/peripherals/${mouse.id}`)).json()).toMatchObject({
      status: 'in_stock',
      assetId: null,
    });
  });

  it('a leaver’s return checks in their peripherals with their assets', async () => {
    const { client, person, asset, dock } = await setup();
    await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
    await client.post(`/api/v1/peripherals/${dock.id}/check-out`, { userId: person.id });
    const software = (await client.post('/api/v1/software', { name: `Editor ${tag()}` })).json();
    const licence = (
      await client.post('/api/v1/licenses', { softwareId: software.id, name: 'Team plan', seats: 2 })
    ).json();
    expect(
      (await client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: person.id })).statusCode,
    ).toBe(201);
    // The custody statement lists all three kinds before the return.
    const statement = await client.get(`/api/v1/users/${person.id}/custody-statement.csv`);
    expect(statement.statusCode).toBe(200);
    expect(statement.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = statement.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('kind,reference,name,serialNumber,since,expectedReturnDate');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      `asset,${asset.assetTag},Laptop`,
      `licence seat,${software.name},Team plan`,
      'peripheral,dock,USB-C dock',
    ]);
    expect((await client.get(`/api/v1/users/${randomUUID()}/custody-statement.csv`)).statusCode).toBe(404);
    const returned = await client.post(`/api/v1/users/${person.id}/check-in-all`, { notes: 'leaver' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json().data.map((a: { id: string }) => a.id)).toEqual([asset.id]);
    expect(returned.json().peripherals.map((p: { id: string }) => p.id)).toEqual([dock.id]);
    expect(returned.json().licenseSeatsReleased).toBe(1);
    expect((await client.get(`/api/v1/users/${person.id}/license-seats`)).json().data).toEqual([]);
    const after = await client.get(`/api/v1/users/${person.id}/custody-statement.csv`);
    expect(
      after.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityId: dock.id });
    expect(trail.map((e) => e.action)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
  });
});
