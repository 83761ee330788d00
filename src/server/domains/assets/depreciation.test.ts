import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import type { Client } from '../../../../test/harness';
import { sharedTestContext } from '../../../../test/harness';
import { type AuditedTable, insertRecord } from '../../platform/audit/write';
import { inTransaction } from '../../platform/http/context';
import { disposals } from './disposals.table';

const t = sharedTestContext();

interface Row {
  assetId: string;
  monthsElapsed: number;
  accumulatedDepreciation: string;
  bookValue: string;
  fullyDepreciated: boolean;
  [key: string]: unknown;
}

async function writer(): Promise<Client> {
  return (await signedIn(t, { grants: { core_inventory: 'write' } })).client;
}

async function buildAsset(client: Client, fields: Record<string, unknown>): Promise<{ id: string }> {
  const response = await client.post('/api/v1/assets', {
    name: 'Server',
    assetTag: `D-${randomUUID().slice(0, 8)}`,
    currency: 'EUR',
    ...fields,
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json();
}

/** The report's row for `assetId` as of `asOf` (undefined when the asset is not on the books). */
async function rowFor(client: Client, assetId: string, asOf: string): Promise<Row | undefined> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const response = await client.get(`/api/v1/reports/depreciation?asOf=${asOf}&pageSize=200&page=${page}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    rows.push(...body.data);
    if (page * 200 >= body.total) break;
  }
  return rows.find((row) => row.assetId === assetId);
}

const value = (row: Row | undefined) =>
  row && [row.monthsElapsed, row.accumulatedDepreciation, row.bookValue, row.fullyDepreciated];

describe('depreciation report: straight line, whole months, cents rounded half-up', () => {
  it('leaves out an asset before its purchase date and values it at cost on that day', async () => {
    const client = await writer();
    const asset = await buildAsset(client, {
      purchaseDate: '2024-01-15',
      cost: '1000.00',
      salvageValue: '100.00',
      usefulLifeMonths: 36,
    });
    expect(await rowFor(client, asset.id, '2024-01-14')).toBeUndefined();
    expect(value(await rowFor(client, asset.id, '2024-01-15'))).toEqual([0, '0.00', '1000.00', false]);
  });

  it('counts a month only once its day is reached, mid-life', async () => {
    const client = await writer();
    const asset = await buildAsset(client, {
      purchaseDate: '2024-01-15',
      cost: '1000.00',
      salvageValue: '100.00',
      usefulLifeMonths: 36,
    });
    // (1000 − 100) × 5 / 36 = 125; the sixth month is reached on 15 July.
    expect(value(await rowFor(client, asset.id, '2024-07-14'))).toEqual([5, '125.00', '875.00', false]);
    expect(value(await rowFor(client, asset.id, '2024-07-15'))).toEqual([6, '150.00', '850.00', false]);
    const row = await rowFor(client, asset.id, '2024-07-15');
    expect(row).toMatchObject({
      cost: '1000.00',
      salvageValue: '100.00',
      usefulLifeMonths: 36,
      purchaseDate: '2024-01-15',
      depreciationEnd: '2027-01-15',
      currency: 'EUR',
    });
  });

  it('adds months to a month-end purchase as the calendar does (31 January + 1 month = 29 February)', async () => {
    const client = await writer();
    const asset = await buildAsset(client, {
      purchaseDate: '2024-01-31',
      cost: '1200.00',
      usefulLifeMonths: 12,
    });
    expect(value(await rowFor(client, asset.id, '2024-02-28'))).toEqual([0, '0.00', '1200.00', false]);
    expect(value(await rowFor(client, asset.id, '2024-02-29'))).toEqual([1, '100.00', '1100.00', false]);
    expect(value(await rowFor(client, asset.id, '2024-03-30'))).toEqual([1, '100.00', '1100.00', false]);
    expect(value(await rowFor(client, asset.id, '2024-03-31'))).toEqual([2, '200.00', '1000.00', false]);
  });

  it('rounds each amount half-up to cents', async () => {
    const client = await writer();
    const half = await buildAsset(client, {
      purchaseDate: '2020-01-15',
      cost: '1000.01',
      usefulLifeMonths: 2,
    });
    // 1000.01 / 2 = 500.005 → 500.01 depreciated, 500.00 left.
    expect(value(await rowFor(client, half.id, '2020-02-15'))).toEqual([1, '500.01', '500.00', false]);
    const thirds = await buildAsset(client, {
      purchaseDate: '2020-01-15',
      cost: '100.00',
      usefulLifeMonths: 3,
    });
    expect(value(await rowFor(client, thirds.id, '2020-02-15'))).toEqual([1, '33.33', '66.67', false]);
    expect(value(await rowFor(client, thirds.id, '2020-03-15'))).toEqual([2, '66.67', '33.33', false]);
    expect(value(await rowFor(client, thirds.id, '2020-04-15'))).toEqual([3, '100.00', '0.00', true]);
  });

  it('is worth exactly its salvage value from the end of its life on, and stays there', async () => {
    const client = await writer();
    const salvaged = await buildAsset(client, {
      purchaseDate: '2024-01-31',
      cost: '999.99',
      salvageValue: '50.00',
      usefulLifeMonths: 7,
    });
    // Its life ends on 31 August 2024.
    expect(value(await rowFor(client, salvaged.id, '2024-08-30'))).toEqual([6, '814.28', '185.71', false]);
    expect(value(await rowFor(client, salvaged.id, '2024-08-31'))).toEqual([7, '949.99', '50.00', true]);
    expect(value(await rowFor(client, salvaged.id, '2031-05-01'))).toEqual([7, '949.99', '50.00', true]);
    const scrap = await buildAsset(client, {
      purchaseDate: '2024-01-31',
      cost: '999.99',
      usefulLifeMonths: 7,
    });
    expect(value(await rowFor(client, scrap.id, '2031-05-01'))).toEqual([7, '999.99', '0.00', true]);
  });

  it('takes an asset off the books from its disposal date, and counts those it cannot depreciate', async () => {
    const client = await writer();
    const asset = await buildAsset(client, {
      purchaseDate: '2023-01-01',
      cost: '600.00',
      usefulLifeMonths: 6,
    });
    const disposalAudit: AuditedTable<typeof disposals> = {
      table: disposals,
      entityType: 'disposal',
      label: (row) => row.method,
    };
    await inTransaction(t.system, (tx) =>
      insertRecord(tx, disposalAudit, { assetId: asset.id, disposedOn: '2023-03-10', method: 'recycled' }),
    );
    expect(value(await rowFor(client, asset.id, '2023-03-09'))).toEqual([2, '200.00', '400.00', false]);
    expect(await rowFor(client, asset.id, '2023-03-10')).toBeUndefined();

    const before = (await client.get('/api/v1/reports/depreciation?asOf=2023-06-01')).json().totals
      .notDepreciable;
    const noLife = await buildAsset(client, { purchaseDate: '2023-01-01', cost: '600.00' });
    await buildAsset(client, { purchaseDate: '2023-01-01', usefulLifeMonths: 12, currency: null });
    const after = (await client.get('/api/v1/reports/depreciation?asOf=2023-06-01')).json();
    expect(after.totals.notDepreciable).toBe(before + 2);
    expect(await rowFor(client, noLife.id, '2023-06-01')).toBeUndefined();
  });

  it('totals by currency, category and location without ever adding two currencies', async () => {
    const client = await writer();
    const category = `Racks ${randomUUID().slice(0, 6)}`;
    const location = (
      await client.post('/api/v1/locations', { name: `DC ${randomUUID().slice(0, 6)}` })
    ).json();
    const common = { purchaseDate: '1999-01-01', usefulLifeMonths: 10, category, locationId: location.id };
    await buildAsset(client, { ...common, cost: '1000.00', currency: 'SEK' });
    await buildAsset(client, { ...common, cost: '500.00', salvageValue: '100.00', currency: 'SEK' });
    await buildAsset(client, { ...common, cost: '300.00', currency: 'NOK' });
    // 1999-06-01: five months of ten.
    const body = (await client.get('/api/v1/reports/depreciation?asOf=1999-06-01&pageSize=1')).json();
    expect(body.data).toHaveLength(1);
    expect(body.asOf).toBe('1999-06-01');
    const sek = { count: 2, cost: '1500.00', accumulatedDepreciation: '700.00', bookValue: '800.00' };
    const nok = { count: 1, cost: '300.00', accumulatedDepreciation: '150.00', bookValue: '150.00' };
    expect(body.totals.byCategory.filter((r: { category: string }) => r.category === category)).toEqual([
      { category, currency: 'NOK', ...nok },
      { category, currency: 'SEK', ...sek },
    ]);
    expect(
      body.totals.byLocation.filter((r: { locationId: string }) => r.locationId === location.id),
    ).toEqual([
      { locationId: location.id, locationName: location.name, currency: 'NOK', ...nok },
      { locationId: location.id, locationName: location.name, currency: 'SEK', ...sek },
    ]);
    expect(body.totals.byCurrency.find((r: { currency: string }) => r.currency === 'SEK')).toEqual({
      currency: 'SEK',
      ...sek,
    });
  });

  it('exports every row as CSV when asked, and refuses a malformed date', async () => {
    const client = await writer();
    const asset = await buildAsset(client, {
      name: '=Storage, cmd',
      purchaseDate: '2010-01-01',
      cost: '120.00',
      usefulLifeMonths: 12,
    });
    const csv = await client.get('/api/v1/reports/depreciation?asOf=2010-04-01&pageSize=1', {
      accept: 'text/csv',
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="depreciation-2010-04-01.csv"');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'assetId,assetTag,name,category,locationId,locationName,purchaseDate,currency,cost,salvageValue,usefulLifeMonths,monthsElapsed,depreciationEnd,accumulatedDepreciation,bookValue,fullyDepreciated',
    );
    const total = (await client.get('/api/v1/reports/depreciation?asOf=2010-04-01')).json().total;
    expect(lines).toHaveLength(total + 1);
    const line = lines.find((l) => l.startsWith(asset.id));
    expect(line).toContain(
      `,"'=Storage, cmd",,,,2010-01-01,EUR,120.00,0.00,12,3,2011-01-01,30.00,90.00,false`,
    );

    const bad = await client.get('/api/v1/reports/depreciation?asOf=2010-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('asOf');
    const { client: outsider } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await outsider.get('/api/v1/reports/depreciation')).statusCode).toBe(403);
  });
});
