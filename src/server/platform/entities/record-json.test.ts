import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { integer, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCustomField, buildUser, signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';
import { entityColumns } from '../../db/columns';
import { entityDefinitions } from '../../entities';
import { recordSourceOf } from './record-json';
import { defineEntity, type EntityDefinition } from './registry';

const t = sharedTestContext();
const unique = () => randomUUID().slice(0, 8);

/**
 * Every record a list page returns (written by PostgreSQL) must be exactly what the record's own
 * route returns (written by `toRecord` and the serialiser), field for field.
 */
async function expectListedAsFetched(client: Client, def: EntityDefinition, query: string) {
  const listed = await client.get(`/api/v1/${def.path}?pageSize=100&${query}`);
  expect(listed.statusCode).toBe(200);
  const page = listed.json() as { data: Array<Record<string, unknown>>; total: number };
  expect(page.data.length).toBeGreaterThan(0);
  for (const record of page.data) {
    const fetched = (await client.get(`/api/v1/${def.path}/${record.id}`)).json();
    const { abilities: _a, links: _l, tags: _t, attachments: _f, ...own } = fetched;
    expect(record).toStrictEqual(own);
    expect(Object.keys(record)).toEqual(Object.keys(own));
  }
  return page;
}

const withSqlRecord = entityDefinitions.filter((def) => def.sqlRecord);

describe('records written by PostgreSQL', () => {
  it('are declared by the hot lists', () => {
    expect(withSqlRecord.map((def) => def.entityType).sort()).toEqual(['asset', 'user']);
  });

  it('list assets exactly as their own route shows them: nulls, amounts, dates, clamped warranty ends, custom fields', async () => {
    const { client } = await signedIn(t, { grants: { core_inventory: 'write', hr_people: 'read' } });
    const field = await buildCustomField(t, { entityType: 'asset', fieldType: 'number' });
    const category = `Json ${unique()}`;
    const holder = await buildUser(t, {});
    const full = await client.post('/api/v1/assets', {
      name: 'Ünïcode "quoted" \\ laptop\nsecond line',
      assetTag: `J-${unique()}`,
      serialNumber: `SN-${unique()}`,
      category,
      purchaseDate: '2024-01-31',
      warrantyMonths: 13,
      cost: 1234.5,
      currency: 'eur',
      usefulLifeMonths: 36,
      salvageValue: 0.1,
      expectedEndOfLife: '2028-12-31',
      critical: true,
      comments: 'Tab\there, emoji 🚀',
      customFields: { [field.key]: 12.25 },
    });
    expect(full.statusCode).toBe(201);
    const bare = await client.post('/api/v1/assets', { name: 'Bare', assetTag: `J-${unique()}`, category });
    expect(bare.statusCode).toBe(201);
    const out = await client.post(`/api/v1/assets/${bare.json().id}/check-out`, { userId: holder.id });
    expect(out.statusCode).toBe(200);

    const page = await expectListedAsFetched(
      client,
      withSqlRecord.find((d) => d.entityType === 'asset')!,
      `category=${encodeURIComponent(category)}&sort=name`,
    );
    expect(page.total).toBe(2);
    expect(page.data.map((a) => a.name)).toEqual(['Bare', full.json().name]);
    expect(page.data[1]).toMatchObject({ warrantyEnd: '2025-02-28', cost: '1234.50', salvageValue: '0.10' });
    expect(page.data[0]).toMatchObject({
      status: 'in_use',
      holderId: holder.id,
      purchaseDate: null,
      warrantyEnd: null,
    });

    const descending = (
      await client.get(`/api/v1/assets?category=${encodeURIComponent(category)}&sort=-name`)
    ).json();
    expect(descending.data.map((a: { name: string }) => a.name)).toEqual([full.json().name, 'Bare']);
    const beyond = (
      await client.get(`/api/v1/assets?category=${encodeURIComponent(category)}&page=9`)
    ).json();
    expect(beyond).toEqual({ data: [], page: 9, pageSize: 25, total: 2 });
    const none = (await client.get(`/api/v1/assets?category=nothing-${unique()}`)).json();
    expect(none).toEqual({ data: [], page: 1, pageSize: 25, total: 0 });
  });

  it('list people exactly as their own route shows them, and never their secrets', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const department = `Json ${unique()}`;
    await buildUser(t, { department, startDate: '2020-02-29', endDate: null, jobTitle: null });
    await buildUser(t, { department, startDate: null, loginEnabled: true, role: 'admin' });
    const page = await expectListedAsFetched(
      client,
      withSqlRecord.find((d) => d.entityType === 'user')!,
      `department=${encodeURIComponent(department)}`,
    );
    expect(page.total).toBe(2);
    const body = JSON.stringify(page);
    expect(body).not.toMatch(/password|totp|argon/i);
  });

  it('refuse, when the routes are built, a declaration that does not fit the record', () => {
    const widgets = pgTable('widgets_json_test', {
      ...entityColumns(),
      name: text('name').notNull(),
      price: numeric('price'),
      count: integer('count'),
    });
    const declare = (record: z.ZodObject, computed?: Record<string, ReturnType<typeof sql>>) =>
      defineEntity({
        table: widgets,
        entityType: 'widget',
        path: 'widgets',
        labels: { singular: 'Widget', plural: 'Widgets' },
        module: 'core_inventory',
        record,
        create: z.object({}),
        update: z.object({}),
        toRecord: (row) => row as never,
        label: (row) => row.name,
        list: { sortable: {}, defaultSort: 'name', searchable: [], filters: {} },
        features: {
          archivable: false,
          customFields: false,
          linkable: false,
          tagged: false,
          attachments: false,
          hardDelete: false,
        },
        sqlRecord: computed ? { computed } : {},
      }) as unknown as EntityDefinition;
    expect(() => recordSourceOf(declare(z.object({ id: z.uuid(), label: z.string() })))).toThrow(
      /"label" is neither a column nor a computed field/,
    );
    expect(() => recordSourceOf(declare(z.object({ price: z.number() })))).toThrow(
      /"price" is a PgNumeric column but its field is number/,
    );
    expect(() => recordSourceOf(declare(z.object({ count: z.string() })))).toThrow(/is a PgInteger column/);
    expect(() =>
      recordSourceOf(
        declare(z.object({ name: z.string() }), { name: sql`upper(${widgets.name}) || ${'x'}` }),
      ),
    ).toThrow(/must not take parameters/);
    const fine = recordSourceOf(
      declare(z.object({ id: z.uuid(), shout: z.string(), count: z.number().nullable() }), {
        shout: sql`upper(${widgets.name})`,
      }),
    );
    expect(fine).toBeDefined();
  });
});
