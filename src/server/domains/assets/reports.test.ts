import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import type { Client } from '../../../../test/harness';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

const unique = () => randomUUID().slice(0, 8);

async function writer(): Promise<Client> {
  return (await signedIn(t, { grants: { core_inventory: 'write' } })).client;
}

async function create(
  client: Client,
  path: string,
  body: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  const response = await client.post(`/api/v1/${path}`, body);
  if (response.statusCode !== 201) throw new Error(`${path}: ${response.body}`);
  return response.json();
}

const asset = (client: Client, fields: Record<string, unknown> = {}) =>
  create(client, 'assets', { name: `Asset ${unique()}`, assetTag: `R-${unique()}`, ...fields });
const peripheral = (client: Client, fields: Record<string, unknown> = {}) =>
  create(client, 'peripherals', { name: `Monitor ${unique()}`, type: 'monitor', ...fields });

/** A day `days` after today (UTC), as YYYY-MM-DD. */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function csvLines(body: string): string[] {
  return body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
}

describe('overdue returns', () => {
  it('lists open assignments past their expected date, most overdue first, with their holder', async () => {
    const client = await writer();
    const person = await buildUser(t, { loginEnabled: false, name: `Late Person ${unique()}` });
    const store = await create(client, 'locations', { name: `Store ${unique()}` });
    const laptop = await asset(client);
    const printer = await asset(client);
    const undated = await asset(client);
    const returned = await asset(client);
    const host = await asset(client);
    const monitor = await peripheral(client);
    await client.post(`/api/v1/assets/${laptop.id}/check-out`, {
      userId: person.id,
      expectedReturnDate: day(5),
    });
    await client.post(`/api/v1/assets/${printer.id}/check-out`, {
      locationId: store.id,
      expectedReturnDate: day(20),
    });
    await client.post(`/api/v1/assets/${undated.id}/check-out`, { userId: person.id });
    await client.post(`/api/v1/assets/${returned.id}/check-out`, {
      userId: person.id,
      expectedReturnDate: day(1),
    });
    await client.post(`/api/v1/assets/${returned.id}/check-in`, {});
    const out = await client.post(`/api/v1/peripherals/${monitor.id}/check-out`, {
      userId: person.id,
      assetId: host.id,
      expectedReturnDate: day(2),
    });
    expect(out.statusCode).toBe(200);

    const asOf = day(10);
    const response = await client.get(`/api/v1/reports/overdue-returns?asOf=${asOf}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ page: 1, pageSize: 50, total: 2 });
    expect(body.data).toEqual([
      expect.objectContaining({
        itemType: 'peripheral',
        itemId: monitor.id,
        userId: person.id,
        userName: person.name,
        assetId: host.id,
        expectedReturnDate: day(2),
        daysOverdue: 8,
      }),
      expect.objectContaining({
        itemType: 'asset',
        itemId: laptop.id,
        userName: person.name,
        locationId: null,
        assetId: null,
        expectedReturnDate: day(5),
        daysOverdue: 5,
      }),
    ]);
    expect(new Date(body.data[0].checkedOutAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Later, the printer held by the store is overdue too; pages hold the rest.
    const later = (
      await client.get(`/api/v1/reports/overdue-returns?asOf=${day(30)}&pageSize=2&page=2`)
    ).json();
    expect(later).toMatchObject({
      total: 3,
      data: [{ itemId: printer.id, locationName: store.name, daysOverdue: 10 }],
    });

    const csv = await client.get(`/api/v1/reports/overdue-returns?asOf=${asOf}`, { accept: 'text/csv' });
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="overdue-returns-${asOf}.csv"`);
    const lines = csvLines(csv.body);
    expect(lines[0]).toBe(
      'itemType,itemId,itemName,itemCode,assignmentId,userId,userName,locationId,locationName,assetId,assetName,checkedOutAt,expectedReturnDate,daysOverdue',
    );
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([monitor.id, laptop.id]);

    const { client: outsider } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await outsider.get('/api/v1/reports/overdue-returns')).statusCode).toBe(403);
  });
});

describe('warranties and end of life', () => {
  it('lists warranties ending within N days (month ends clamped), expired ones on request', async () => {
    const client = await writer();
    // Far in the past, so that no other test's items fall in these windows.
    const leap = await asset(client, { purchaseDate: '1991-01-31', warrantyMonths: 13 }); // ends 1992-02-29
    const later = await asset(client, { purchaseDate: '1991-03-10', warrantyMonths: 12 }); // ends 1992-03-10
    const dock = await peripheral(client, { purchaseDate: '1990-02-25', warrantyMonths: 24 }); // 1992-02-25
    const archived = await asset(client, { purchaseDate: '1991-01-31', warrantyMonths: 13 });
    await client.post(`/api/v1/assets/${archived.id}/archive`, {});

    const soon = (await client.get('/api/v1/reports/warranties?asOf=1992-02-20&days=9')).json();
    expect(soon.data.map((r: { itemId: string }) => r.itemId)).toEqual([dock.id, leap.id]);
    expect(soon.data[1]).toMatchObject({
      itemType: 'asset',
      purchaseDate: '1991-01-31',
      warrantyMonths: 13,
      warrantyEnd: '1992-02-29',
      daysLeft: 9,
    });
    expect(soon.data[0]).toMatchObject({ itemType: 'peripheral', warrantyEnd: '1992-02-25', daysLeft: 5 });

    const current = (await client.get('/api/v1/reports/warranties?asOf=1992-03-01&days=30')).json();
    expect(current.data.map((r: { itemId: string }) => r.itemId)).toEqual([later.id]);
    const withExpired = (
      await client.get('/api/v1/reports/warranties?asOf=1992-03-01&days=30&includeExpired=true')
    ).json();
    const mine = withExpired.data.filter((r: { itemId: string }) =>
      [leap.id, later.id, dock.id].includes(r.itemId),
    );
    expect(mine.map((r: { itemId: string; daysLeft: number }) => [r.itemId, r.daysLeft])).toEqual([
      [dock.id, -5],
      [leap.id, -1],
      [later.id, 9],
    ]);

    const csv = await client.get('/api/v1/reports/warranties?asOf=1992-02-20&days=9', { accept: 'text/csv' });
    expect(csvLines(csv.body)).toHaveLength(3);
    const bad = await client.get('/api/v1/reports/warranties?days=-1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('days');
  });

  it('lists assets reaching their end of life within N days, past ones on request', async () => {
    const client = await writer();
    const holder = await buildUser(t, { loginEnabled: false });
    const due = await asset(client, { expectedEndOfLife: '1995-06-10' });
    const past = await asset(client, { expectedEndOfLife: '1995-05-01' });
    const far = await asset(client, { expectedEndOfLife: '1996-01-01' });
    await client.post(`/api/v1/assets/${due.id}/check-out`, { userId: holder.id });

    const body = (await client.get('/api/v1/reports/end-of-life?asOf=1995-06-01&days=30')).json();
    expect(body.data).toEqual([
      expect.objectContaining({
        assetId: due.id,
        expectedEndOfLife: '1995-06-10',
        daysLeft: 9,
        holderId: holder.id,
      }),
    ]);
    expect(body.data[0].holderName).toBe(holder.name);
    const withPast = (
      await client.get('/api/v1/reports/end-of-life?asOf=1995-06-01&days=30&includeOverdue=true')
    ).json();
    const ids = withPast.data.map((r: { assetId: string }) => r.assetId);
    expect(ids.indexOf(past.id)).toBeLessThan(ids.indexOf(due.id));
    expect(ids).not.toContain(far.id);
    expect(withPast.data.find((r: { assetId: string }) => r.assetId === past.id).daysLeft).toBe(-31);
  });
});

describe('the asset tree', () => {
  it('expands location → assets → peripherals one level and one page at a time', async () => {
    const client = await writer();
    const tag = unique();
    const office = await create(client, 'locations', { name: `Office ${tag}` });
    const closed = await create(client, 'locations', { name: `Closed ${tag}` });
    const empty = await create(client, 'locations', { name: `Empty ${tag}` });
    const emptyArchived = await create(client, 'locations', { name: `Gone ${tag}` });
    const workstation = await asset(client, { name: `B workstation ${tag}`, locationId: office.id });
    const spare = await asset(client, { name: `A spare ${tag}`, locationId: office.id });
    await asset(client, { name: `Old ${tag}`, locationId: closed.id });
    const nowhere = await asset(client, { name: `Nowhere ${tag}` });
    await client.post(`/api/v1/locations/${closed.id}/archive`, {});
    await client.post(`/api/v1/locations/${emptyArchived.id}/archive`, {});
    const screen = await peripheral(client, { name: `Screen ${tag}` });
    await client.post(`/api/v1/peripherals/${screen.id}/check-out`, { assetId: workstation.id });

    const top = (await client.get('/api/v1/reports/asset-tree?pageSize=200')).json();
    const mine = top.data.filter((l: { name: string }) => l.name.endsWith(tag));
    expect(
      mine.map((l: { name: string; assetCount: number; isArchived: boolean }) => [
        l.name,
        l.assetCount,
        l.isArchived,
      ]),
    ).toEqual([
      [`Closed ${tag}`, 1, true],
      [`Empty ${tag}`, 0, false],
      [`Office ${tag}`, 2, false],
    ]);
    expect(mine.map((l: { id: string }) => l.id)).not.toContain(emptyArchived.id);
    expect(top.unlocatedAssetCount).toBeGreaterThanOrEqual(1);
    expect(mine.find((l: { id: string }) => l.id === empty.id)).toBeDefined();

    const first = (
      await client.get(`/api/v1/reports/asset-tree/assets?locationId=${office.id}&pageSize=1`)
    ).json();
    expect(first).toMatchObject({ total: 2, data: [{ id: spare.id, peripheralCount: 0 }] });
    const second = (
      await client.get(`/api/v1/reports/asset-tree/assets?locationId=${office.id}&pageSize=1&page=2`)
    ).json();
    expect(second.data).toEqual([expect.objectContaining({ id: workstation.id, peripheralCount: 1 })]);
    const unlocated = (
      await client.get('/api/v1/reports/asset-tree/assets?locationId=none&pageSize=200')
    ).json();
    expect(unlocated.data.map((a: { id: string }) => a.id)).toContain(nowhere.id);
    expect(unlocated.total).toBe(top.unlocatedAssetCount);
    const mounted = (
      await client.get(`/api/v1/reports/asset-tree/peripherals?assetId=${workstation.id}`)
    ).json();
    expect(mounted.data).toEqual([
      expect.objectContaining({ id: screen.id, type: 'monitor', status: 'in_use' }),
    ]);

    expect(
      (await client.get(`/api/v1/reports/asset-tree/assets?locationId=${randomUUID()}`)).statusCode,
    ).toBe(404);
    expect(
      (await client.get(`/api/v1/reports/asset-tree/peripherals?assetId=${randomUUID()}`)).statusCode,
    ).toBe(404);
    const bad = await client.get('/api/v1/reports/asset-tree/assets?locationId=somewhere');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('locationId');

    const csv = await client.get('/api/v1/reports/asset-tree', { accept: 'text/csv' });
    const lines = csvLines(csv.body);
    expect(lines[0]).toBe(
      'location,assetTag,assetName,assetStatus,assetId,peripheralName,peripheralType,peripheralSerialNumber,peripheralStatus,peripheralId',
    );
    expect(lines.filter((line) => line.includes(tag))).toEqual([
      expect.stringMatching(new RegExp(`^Closed ${tag},.*,Old ${tag},in_stock,`)),
      expect.stringMatching(new RegExp(`^Office ${tag},.*,A spare ${tag},in_stock,[^,]+,,,,,$`)),
      expect.stringMatching(
        new RegExp(`^Office ${tag},.*,B workstation ${tag},in_stock,[^,]+,Screen ${tag},monitor,,in_use,`),
      ),
      expect.stringMatching(new RegExp(`^,.*,Nowhere ${tag},`)),
    ]);
  });
});

describe('the reports in the OpenAPI document', () => {
  it('describes each report with its JSON rows and its CSV form', async () => {
    const client = await writer();
    const document = (await client.get('/api/openapi.json')).json();
    for (const path of ['overdue-returns', 'warranties', 'end-of-life', 'depreciation', 'asset-tree']) {
      const content = document.paths[`/api/v1/reports/${path}`].get.responses['200'].content;
      expect(Object.keys(content).sort()).toEqual(['application/json', 'text/csv']);
    }
    expect(document.paths['/api/v1/assets/{id}/history'].get.summary).toBe(
      "The asset's timeline, newest first",
    );
    expect(document.paths['/api/v1/assets/{id}/audit-trail']).toBeDefined();
  });
});
