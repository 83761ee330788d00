import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCustomField, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

const uniqueKey = () => `k_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

describe('custom field definitions', () => {
  it('are created, read, updated, archived and restored by administration writers', async () => {
    const { client } = await signedIn(t, { grants: { administration: 'write' } });
    const key = uniqueKey();
    const created = await client.post('/api/v1/custom-fields', {
      entityType: 'user',
      key,
      label: 'Shirt size',
      fieldType: 'select',
      options: ['S', 'M', 'L'],
    });
    expect(created.statusCode).toBe(201);
    const field = created.json();
    expect(field).toMatchObject({
      key,
      label: 'Shirt size',
      options: ['S', 'M', 'L'],
      required: false,
      version: 1,
    });

    const listed = await client.get('/api/v1/custom-fields?entityType=user&pageSize=200');
    expect(listed.json().data.map((f: { key: string }) => f.key)).toContain(key);
    expect((await client.get(`/api/v1/custom-fields/${field.id}`)).json().label).toBe('Shirt size');

    const updated = await client.patch(`/api/v1/custom-fields/${field.id}`, {
      version: 1,
      label: 'T-shirt size',
      options: ['S', 'M', 'L', 'XL'],
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      label: 'T-shirt size',
      options: ['S', 'M', 'L', 'XL'],
      version: 2,
    });

    // Key and type are fixed once values exist under them.
    const retype = await client.patch(`/api/v1/custom-fields/${field.id}`, { version: 2, fieldType: 'text' });
    expect(retype.statusCode).toBe(400);
    expect(retype.json().errors[0].path).toBe('fieldType');

    expect((await client.post(`/api/v1/custom-fields/${field.id}/archive`)).json().isArchived).toBe(true);
    expect((await client.post(`/api/v1/custom-fields/${field.id}/restore`)).json().isArchived).toBe(false);
  });

  it('are readable by everyone signed in, but changed only with administration write', async () => {
    const field = await buildCustomField(t);
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    expect((await client.get(`/api/v1/custom-fields/${field.id}`)).statusCode).toBe(200);
    const refused = await client.post('/api/v1/custom-fields', {
      entityType: 'user',
      key: uniqueKey(),
      label: 'Sneaky',
      fieldType: 'text',
    });
    expect(refused.statusCode).toBe(403);
    expect(
      (await client.patch(`/api/v1/custom-fields/${field.id}`, { version: 1, label: 'X' })).statusCode,
    ).toBe(403);
  });

  it('refuses a bad key, a duplicate key, a select without options and an unknown record type', async () => {
    const { client } = await signedIn(t, { grants: { administration: 'write' } });
    const base = { entityType: 'user', label: 'Field', fieldType: 'text' };
    const badKey = await client.post('/api/v1/custom-fields', { ...base, key: 'Bad Key!' });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors[0].path).toBe('key');

    const key = uniqueKey();
    expect((await client.post('/api/v1/custom-fields', { ...base, key })).statusCode).toBe(201);
    const duplicate = await client.post('/api/v1/custom-fields', { ...base, key });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors[0].path).toBe('key');

    const noOptions = await client.post('/api/v1/custom-fields', {
      ...base,
      key: uniqueKey(),
      fieldType: 'select',
    });
    expect(noOptions.statusCode).toBe(422);
    expect(noOptions.json().errors[0].path).toBe('options');

    const badType = await client.post('/api/v1/custom-fields', {
      ...base,
      key: uniqueKey(),
      entityType: 'spaceship',
    });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().errors[0].path).toBe('entityType');
  });

  it('stop applying once archived, while the values already stored are kept', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const field = await buildCustomField(t, { fieldType: 'number' });
    const person = await buildUser(t);
    const set = await client.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      customFields: { [field.key]: 7 },
    });
    expect(set.json().customFields).toEqual({ [field.key]: 7 });
    await client.post(`/api/v1/custom-fields/${field.id}/archive`);
    const refused = await client.patch(`/api/v1/users/${person.id}`, {
      version: 2,
      customFields: { [field.key]: 8 },
    });
    expect(refused.statusCode).toBe(422);
    const renamed = await client.patch(`/api/v1/users/${person.id}`, { version: 2, name: 'Still Seven' });
    expect(renamed.json().customFields).toEqual({ [field.key]: 7 });
  });

  it('clears a value when sent null, and filters lists by value with cf.<key>=', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const field = await buildCustomField(t, { fieldType: 'select', options: ['north', 'south'] });
    const flag = await buildCustomField(t, { fieldType: 'boolean' });
    const [north1, north2, south] = [await buildUser(t), await buildUser(t), await buildUser(t)];
    for (const [person, region] of [
      [north1!, 'north'],
      [north2!, 'north'],
      [south!, 'south'],
    ] as const) {
      const response = await client.patch(`/api/v1/users/${person.id}`, {
        version: 1,
        customFields: { [field.key]: region, [flag.key]: region === 'south' },
      });
      expect(response.statusCode).toBe(200);
    }
    const north = await client.get(`/api/v1/users?cf.${field.key}=north`);
    expect(north.json().total).toBe(2);
    expect(
      north
        .json()
        .data.map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual([north1!.id, north2!.id].sort());
    const flagged = await client.get(`/api/v1/users?cf.${flag.key}=true`);
    expect(flagged.json().data.map((u: { id: string }) => u.id)).toEqual([south!.id]);

    const cleared = await client.patch(`/api/v1/users/${north2!.id}`, {
      version: 2,
      customFields: { [field.key]: null },
    });
    expect(cleared.json().customFields).toEqual({ [flag.key]: false });
    expect((await client.get(`/api/v1/users?cf.${field.key}=north`)).json().total).toBe(1);
  });
});
