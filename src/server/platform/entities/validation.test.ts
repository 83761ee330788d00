import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCustomField, buildUser, signedIn } from '../../../../test/factories';
import { type Client, createTestContext, type TestContext } from '../../../../test/harness';

let t: TestContext;
let client: Client;
beforeAll(async () => {
  t = await createTestContext();
  // A writer of HR records; each test builds the records it needs.
  ({ client } = await signedIn(t, { grants: { hr_people: 'write' } }));
});
afterAll(async () => {
  await t.close();
});

const newPerson = () => {
  const unique = randomUUID().slice(0, 8);
  return { name: `Valid ${unique}`, email: `valid-${unique}@example.test` };
};

/** Asserts a problem+json answer with `status` whose errors name `path`. */
function expectFieldProblem(response: LightMyRequestResponse, status: number, path: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const body = response.json();
  expect(body.status).toBe(status);
  expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('bad input answers 4xx problem+json naming the field', () => {
  it('refuses an invalid e-mail address', async () => {
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), email: 'not-an-email' }),
      400,
      'email',
    );
  });

  it('refuses over-long and empty strings', async () => {
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), name: 'x'.repeat(201) }),
      400,
      'name',
    );
    expectFieldProblem(await client.post('/api/v1/users', { ...newPerson(), name: '   ' }), 400, 'name');
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), department: 'd'.repeat(101) }),
      400,
      'department',
    );
    // Exactly at the limit is fine.
    expect((await client.post('/api/v1/users', { ...newPerson(), name: 'x'.repeat(200) })).statusCode).toBe(
      201,
    );
  });

  it('refuses unknown fields, naming each one', async () => {
    const response = await client.post('/api/v1/users', { ...newPerson(), salary: 1, isAdmin: true });
    expectFieldProblem(response, 400, 'salary');
    expectFieldProblem(response, 400, 'isAdmin');
    const person = await buildUser(t);
    expectFieldProblem(
      await client.patch(`/api/v1/users/${person.id}`, { version: 1, createdBy: randomUUID() }),
      400,
      'createdBy',
    );
  });

  it('refuses wrong types and bad enum values', async () => {
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), hideFromOrgChart: 'yes' }),
      400,
      'hideFromOrgChart',
    );
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), employmentStatus: 'retired' }),
      400,
      'employmentStatus',
    );
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), startDate: '2023-02-30' }),
      400,
      'startDate',
    );
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), managerId: 'boss' }),
      400,
      'managerId',
    );
  });

  it('refuses an invalid id in the path', async () => {
    expectFieldProblem(await client.get('/api/v1/users/not-a-uuid'), 400, 'id');
    expectFieldProblem(await client.patch('/api/v1/users/123', { version: 1 }), 400, 'id');
    const missing = await client.get(`/api/v1/users/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a bad sort field, an unknown query parameter and paging out of range', async () => {
    expectFieldProblem(await client.get('/api/v1/users?sort=passwordHash'), 400, 'sort');
    expectFieldProblem(await client.get('/api/v1/users?sort=-nonsense'), 400, 'sort');
    expectFieldProblem(await client.get('/api/v1/users?colour=red'), 400, 'colour');
    expectFieldProblem(await client.get('/api/v1/users?pageSize=201'), 400, 'pageSize');
    expectFieldProblem(await client.get('/api/v1/users?page=0'), 400, 'page');
    expectFieldProblem(await client.get('/api/v1/users?employmentStatus=retired'), 400, 'employmentStatus');
    expectFieldProblem(await client.get('/api/v1/users?cf.unknown_field=1'), 400, 'cf.unknown_field');
    expectFieldProblem(await client.get(`/api/v1/users?q=${'q'.repeat(201)}`), 400, 'q');
    expect((await client.get('/api/v1/users?pageSize=200')).statusCode).toBe(200);
  });

  it('answers a duplicate e-mail, in any letter case, with 409 naming email', async () => {
    const existing = await buildUser(t);
    expectFieldProblem(
      await client.post('/api/v1/users', { name: 'Twin', email: existing.email.toUpperCase() }),
      409,
      'email',
    );
    // A directory entry: re-addressing people who sign in is an administrator's business.
    const other = await buildUser(t, { loginEnabled: false });
    const patched = await client.patch(`/api/v1/users/${other.id}`, { version: 1, email: existing.email });
    expectFieldProblem(patched, 409, 'email');
    expect((await client.get(`/api/v1/users/${other.id}`)).json()).toMatchObject({
      email: other.email,
      version: 1,
    });
  });

  it('refuses custom field values of the wrong type, and unknown custom fields, with 422', async () => {
    const number = await buildCustomField(t, { fieldType: 'number' });
    const select = await buildCustomField(t, { fieldType: 'select', options: ['red', 'green'] });
    const person = await buildUser(t);
    expectFieldProblem(
      await client.patch(`/api/v1/users/${person.id}`, {
        version: 1,
        customFields: { [number.key]: 'many' },
      }),
      422,
      `customFields.${number.key}`,
    );
    expectFieldProblem(
      await client.patch(`/api/v1/users/${person.id}`, {
        version: 1,
        customFields: { [select.key]: 'blue' },
      }),
      422,
      `customFields.${select.key}`,
    );
    expectFieldProblem(
      await client.post('/api/v1/users', { ...newPerson(), customFields: { no_such_field: 'x' } }),
      422,
      'customFields.no_such_field',
    );
    const ok = await client.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      customFields: { [number.key]: '42', [select.key]: 'green' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().customFields).toEqual({ [number.key]: 42, [select.key]: 'green' });
  });

  it('requires a required custom field with 422', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const required = await buildCustomField(t, { required: true, label: 'Cost centre' });
    try {
      const response = await client.post('/api/v1/users', newPerson());
      expectFieldProblem(response, 422, `customFields.${required.key}`);
      expect(response.json().detail).toContain('Cost centre');
      const created = await client.post('/api/v1/users', {
        ...newPerson(),
        customFields: { [required.key]: 'CC-1' },
      });
      expect(created.statusCode).toBe(201);
    } finally {
      // Archived definitions no longer apply; later tests create users freely.
      await admin.post(`/api/v1/custom-fields/${required.id}/archive`);
    }
    expect((await client.post('/api/v1/users', newPerson())).statusCode).toBe(201);
  });

  it('answers a malformed or mistyped body with 400, and a huge one with 413', async () => {
    const malformed = await client.raw('POST', '/api/v1/users', '{"name": "Broken",', {
      'content-type': 'application/json',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(
      (await client.raw('POST', '/api/v1/users', 'null', { 'content-type': 'application/json' })).statusCode,
    ).toBe(400);
    expect(
      (await client.raw('POST', '/api/v1/users', 'name=x', { 'content-type': 'text/plain' })).statusCode,
    ).toBe(400);
    const huge = await client.post('/api/v1/users', { ...newPerson(), name: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');
  });

  it('never answers 500 to text PostgreSQL cannot store', async () => {
    const person = await buildUser(t);
    const field = await buildCustomField(t);
    const responses = [
      await client.post('/api/v1/users', { ...newPerson(), name: 'Nul\u0000Byte' }),
      await client.get('/api/v1/users?q=nul%00byte'),
      await client.patch(`/api/v1/users/${person.id}`, {
        version: 1,
        customFields: { [field.key]: 'a\u0000b' },
      }),
      await client.post(`/api/v1/users/${person.id}/links`, {
        url: 'https://example.com',
        description: 'a\u0000b',
      }),
    ];
    for (const response of responses) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });
});
