import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../test/factories';
import { sharedTestContext } from '../../../test/harness';
import { assets } from '../domains/assets/assets.table';
import { licenses } from '../domains/assets/software.table';
import { users } from '../domains/people/users.table';
import { organizationSettings } from '../platform/organization/organization.table';
import { queryRows } from './client';
import { jsonRowOf, rowFromJson } from './json-rows';

const t = sharedTestContext();

describe('rows carried as JSON', () => {
  it('decode to what Drizzle reads: timestamps, dates, numerics with their scale, JSON, arrays', async () => {
    const { client, user } = await signedIn(t, { role: 'admin' });
    const created = await client.post('/api/v1/assets', {
      name: 'Carried',
      assetTag: `JSON-${Date.now()}`,
      purchaseDate: '2024-02-29',
      cost: '1234.50',
      currency: 'EUR',
      warrantyMonths: 36,
      salvageValue: '100.00',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const current = (await client.get('/api/v1/organization')).json() as { version: number };
    const organization = await client.put('/api/v1/organization', {
      version: current.version,
      displayName: 'Carried Ltd',
      legalName: 'Carried Limited',
      taxId: 'GB123456789',
      primaryDomain: 'carried.example',
      emailDomains: ['carried.example', 'carried-pay.example'],
      defaultCurrency: 'gbp',
      timeZone: 'Europe/London',
      riskImpactLevels: 5,
      riskLikelihoodLevels: 5,
      riskAppetiteMediumFrom: 25,
      riskAppetiteHighFrom: 50,
      riskAppetiteCriticalFrom: 75,
    });
    expect(organization.statusCode, organization.body).toBe(200);
    const [settings] = await t.database.db.select().from(organizationSettings);
    expect(settings!.emailDomains).toEqual(['carried.example', 'carried-pay.example']);
    for (const [table, key] of [
      [assets, id],
      [users, user.id],
      [organizationSettings, settings!.id],
    ] as const) {
      const [read] = await t.database.db.select().from(table).where(eq(table.id, key));
      const [carried] = await queryRows<{ row: Record<string, unknown> }>(
        t.database.db,
        sql`select ${jsonRowOf(table)} as row from ${table} where ${eq(table.id, key)}`,
      );
      const decoded = rowFromJson(table, carried!.row);
      for (const [field, value] of Object.entries(decoded)) {
        expect(value, field).toEqual((read as Record<string, unknown>)[field]);
      }
    }
  });

  it('leave out the fields named secret, from the SQL itself', () => {
    const { sql: text } = new PgDialect().sqlToQuery(jsonRowOf(licenses, ['keyCiphertext']));
    expect(text).not.toContain('key_ciphertext');
    expect(text).toContain('"seats"');
    const row = rowFromJson(licenses, { key_ciphertext: 'v1:secret', seats: 3 }, ['keyCiphertext']);
    expect(row).not.toHaveProperty('keyCiphertext');
    expect(row.seats).toBe(3);
    expect(new PgDialect().sqlToQuery(jsonRowOf(licenses)).sql).toContain('key_ciphertext');
  });
});
