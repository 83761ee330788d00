import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentAudit } from '../src/server/platform/attachments/attachments.service';
import { insertRecord } from '../src/server/platform/audit/write';
import { checkPasswordRules } from '../src/server/platform/auth/passwords';
import { inTransaction } from '../src/server/platform/http/context';
import { linkAudit } from '../src/server/platform/links/links.service';
import { buildCustomField, buildGroup, buildUser, signedIn } from './factories';
import { sharedTestContext } from './harness';

const t = sharedTestContext();

const NUL = '\u0000';

/** A UTC calendar day relative to today, as YYYY-MM-DD. */
function utcDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function errorsOf(body: string): Array<{ path: string; message: string }> {
  return (JSON.parse(body) as { errors?: Array<{ path: string; message: string }> }).errors ?? [];
}

describe('date filters', () => {
  it('filter timestamp columns by whole UTC days, with To including the named day', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const created = await client.post('/api/v1/org-chart-snapshots', { name: 'Date filter snapshot' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const today = utcDay();
    const ids = async (query: string) => {
      const response = await client.get(`/api/v1/org-chart-snapshots?pageSize=200&${query}`);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
      return (response.json().data as Array<{ id: string }>).map((s) => s.id);
    };
    expect(await ids('createdAtFrom=2024-01-01')).toContain(id);
    expect(await ids(`createdAtFrom=${today}`)).toContain(id);
    expect(await ids(`createdAtTo=${today}`)).toContain(id);
    expect(await ids(`createdAtFrom=${today}&createdAtTo=${today}`)).toContain(id);
    expect(await ids(`createdAtTo=${utcDay(-1)}`)).not.toContain(id);
    expect(await ids(`createdAtFrom=${utcDay(1)}`)).not.toContain(id);
  });

  it('keep comparing date columns as dates, both ends inclusive', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const person = await buildUser(t, { startDate: '2021-03-15', department: 'Date filter dept' });
    const ids = async (query: string) => {
      const response = await client.get(
        `/api/v1/users?pageSize=200&department=Date%20filter%20dept&${query}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      return (response.json().data as Array<{ id: string }>).map((u) => u.id);
    };
    expect(await ids('startDateFrom=2021-03-15&startDateTo=2021-03-15')).toEqual([person.id]);
    expect(await ids('startDateTo=2021-03-14')).toEqual([]);
    expect(await ids('startDateFrom=2021-03-16')).toEqual([]);
  });

  it('refuse impossible dates and years before 0001, naming the parameter', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    for (const [url, path] of [
      ['/api/v1/users?startDateFrom=0000-01-01', 'startDateFrom'],
      ['/api/v1/users?startDateTo=2024-02-31', 'startDateTo'],
      ['/api/v1/org-chart-snapshots?createdAtFrom=0000-06-01', 'createdAtFrom'],
      ['/api/v1/org-chart-snapshots?createdAtTo=2023-02-29', 'createdAtTo'],
    ] as const) {
      const response = await client.get(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(
        errorsOf(response.body).map((e) => e.path),
        url,
      ).toEqual([path]);
    }
  });
});

describe('NUL characters', () => {
  it('are refused in search, filters and unknown query parameters, naming the parameter', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read', administration: 'read' } });
    for (const [url, path] of [
      [`/api/v1/users?q=${encodeURIComponent(`ad${NUL}a`)}`, 'q'],
      [`/api/v1/groups?q=${encodeURIComponent(NUL)}`, 'q'],
      [`/api/v1/users?department=${encodeURIComponent(`IT${NUL}`)}`, 'department'],
      [`/api/v1/users?location=${encodeURIComponent(NUL)}`, 'location'],
      [`/api/v1/users?${encodeURIComponent('cf.shirt')}=${encodeURIComponent(`x${NUL}`)}`, 'cf.shirt'],
    ] as const) {
      const response = await client.get(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(errorsOf(response.body), url).toEqual([{ path, message: 'must not contain NUL characters' }]);
    }
  });

  it('are refused in every string field of a body, naming the field', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write', administration: 'write' } });
    const person = await buildUser(t);
    const group = await buildGroup(t);
    const cases: Array<[string, 'POST' | 'PATCH', unknown, string]> = [
      ['/api/v1/users', 'POST', { name: `Ada${NUL}`, email: 'nul-name@example.test' }, 'name'],
      [
        '/api/v1/users',
        'POST',
        { name: 'Ada', email: 'nul-dept@example.test', department: `R${NUL}D` },
        'department',
      ],
      [`/api/v1/users/${person.id}`, 'PATCH', { version: 1, jobTitle: NUL }, 'jobTitle'],
      [`/api/v1/users/${person.id}`, 'PATCH', { version: 1, location: `a${NUL}b` }, 'location'],
      [`/api/v1/users/${person.id}`, 'PATCH', { version: 1, username: `u${NUL}` }, 'username'],
      ['/api/v1/groups', 'POST', { name: `Ops${NUL}` }, 'name'],
      [`/api/v1/groups/${group.id}`, 'PATCH', { version: 1, description: `x${NUL}y` }, 'description'],
      ['/api/v1/org-chart-snapshots', 'POST', { name: 'Chart', notes: NUL }, 'notes'],
    ];
    for (const [url, method, body, path] of cases) {
      const response = await client.request(method, url, body);
      expect(response.statusCode, `${method} ${url} ${path}: ${response.body}`).toBe(400);
      expect(errorsOf(response.body), `${method} ${url} ${path}`).toEqual([
        { path, message: 'must not contain NUL characters' },
      ]);
    }
  });

  it('are refused in custom field values', async () => {
    const field = await buildCustomField(t);
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const response = await client.post('/api/v1/users', {
      name: 'Ada',
      email: 'nul-cf@example.test',
      customFields: { [field.key]: `a${NUL}` },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(errorsOf(response.body)).toEqual([
      { path: `customFields.${field.key}`, message: 'must not contain NUL characters' },
    ]);
  });
});

describe('body dates', () => {
  it('refuse impossible dates and years before 0001, naming the field', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    for (const [field, value] of [
      ['startDate', '0000-01-01'],
      ['startDate', '2024-02-31'],
      ['endDate', '2023-02-29'],
      ['endDate', '2024-13-01'],
    ] as const) {
      const response = await client.patch(`/api/v1/users/${person.id}`, { version: 1, [field]: value });
      expect(response.statusCode, `${field}=${value}: ${response.body}`).toBe(400);
      const errors = errorsOf(response.body);
      expect(errors.map((e) => e.path)).toEqual([field]);
      expect(errors[0]!.message).toMatch(/date/);
    }
    const leap = await client.patch(`/api/v1/users/${person.id}`, { version: 1, startDate: '2024-02-29' });
    expect(leap.statusCode, leap.body).toBe(200);
    const early = await client.patch(`/api/v1/users/${person.id}`, { version: 2, startDate: '0001-01-01' });
    expect(early.statusCode, early.body).toBe(200);
    expect(early.json().startDate).toBe('0001-01-01');
  });
});

describe('custom field values', () => {
  it('refuse impossible dates', async () => {
    const field = await buildCustomField(t, { fieldType: 'date' });
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    for (const value of ['2024-02-31', '2023-02-29', '0000-01-01', '2024-04-31']) {
      const response = await client.patch(`/api/v1/users/${person.id}`, {
        version: 1,
        customFields: { [field.key]: value },
      });
      expect(response.statusCode, `${value}: ${response.body}`).toBe(422);
      expect(errorsOf(response.body)).toEqual([
        { path: `customFields.${field.key}`, message: 'must be a date (YYYY-MM-DD)' },
      ]);
    }
    const ok = await client.patch(`/api/v1/users/${person.id}`, {
      version: 1,
      customFields: { [field.key]: '2024-02-29' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().customFields[field.key]).toBe('2024-02-29');
  });

  it('accept numbers and plain decimal strings only', async () => {
    const field = await buildCustomField(t, { fieldType: 'number' });
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    for (const value of ['0x10', '1e3', 'Infinity', '1.', '.5', '+1', '1_000', '0b1', '12abc']) {
      const response = await client.patch(`/api/v1/users/${person.id}`, {
        version: 1,
        customFields: { [field.key]: value },
      });
      expect(response.statusCode, `${value}: ${response.body}`).toBe(422);
      expect(errorsOf(response.body)).toEqual([
        { path: `customFields.${field.key}`, message: 'must be a number' },
      ]);
    }
    let version = 1;
    for (const [value, stored] of [
      ['42', 42],
      ['-3.25', -3.25],
      [' 7 ', 7],
      [1e3, 1000],
      [-0.5, -0.5],
    ] as const) {
      const response = await client.patch(`/api/v1/users/${person.id}`, {
        version,
        customFields: { [field.key]: value },
      });
      expect(response.statusCode, `${value}: ${response.body}`).toBe(200);
      expect(response.json().customFields[field.key]).toBe(stored);
      version = response.json().version;
    }
  });
});

describe('limits', () => {
  it('allow at most 200 links touching one record, in either direction', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const other = await buildUser(t);
    await inTransaction(t.system, async (tx) => {
      for (let i = 0; i < 199; i++) {
        await insertRecord(tx, linkAudit, {
          sourceType: 'user',
          sourceId: person.id,
          url: `https://example.com/${i}`,
          relation: 'related to',
        });
      }
    });
    const last = await client.post(`/api/v1/users/${person.id}/links`, { url: 'https://example.com/199' });
    expect(last.statusCode, last.body).toBe(201);

    const byUrl = await client.post(`/api/v1/users/${person.id}/links`, { url: 'https://example.com/200' });
    expect(byUrl.statusCode, byUrl.body).toBe(422);
    expect(errorsOf(byUrl.body)).toEqual([{ path: 'url', message: 'a record can have at most 200 links' }]);

    const outgoing = await client.post(`/api/v1/users/${person.id}/links`, {
      targetType: 'user',
      targetId: other.id,
    });
    expect(outgoing.statusCode, outgoing.body).toBe(422);
    expect(errorsOf(outgoing.body)).toEqual([
      { path: 'targetId', message: 'a record can have at most 200 links' },
    ]);

    // The full record is the target this time: the link would be its 201st all the same.
    const incoming = await client.post(`/api/v1/users/${other.id}/links`, {
      targetType: 'user',
      targetId: person.id,
    });
    expect(incoming.statusCode, incoming.body).toBe(422);
    expect(errorsOf(incoming.body)).toEqual([
      { path: 'targetId', message: 'a record can have at most 200 links' },
    ]);
    expect((await client.get(`/api/v1/users/${other.id}/links`)).json().data).toEqual([]);

    // Removing one makes room again.
    const links = (await client.get(`/api/v1/users/${person.id}/links`)).json().data as Array<{ id: string }>;
    expect(links).toHaveLength(200);
    expect((await client.delete(`/api/v1/users/${person.id}/links/${links[0]!.id}`)).statusCode).toBe(204);
    const again = await client.post(`/api/v1/users/${other.id}/links`, {
      targetType: 'user',
      targetId: person.id,
    });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('allow at most 100 attachments per record', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    await inTransaction(t.system, async (tx) => {
      for (let i = 0; i < 99; i++) {
        await insertRecord(tx, attachmentAudit, {
          entityType: 'user',
          entityId: person.id,
          filename: `file-${i}.txt`,
          contentType: 'text/plain',
          sha256: createHash('sha256').update(`placeholder ${i}`).digest('hex'),
          sizeBytes: 1,
        });
      }
    });
    const last = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'hundredth.txt',
      content: 'the hundredth',
    });
    expect(last.statusCode, last.body).toBe(201);
    const over = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'too-many.txt',
      content: 'one too many',
    });
    expect(over.statusCode, over.body).toBe(422);
    expect(errorsOf(over.body)).toEqual([
      { path: 'file', message: 'a record can have at most 100 attachments' },
    ]);
    expect((await client.get(`/api/v1/users/${person.id}/attachments`)).json().data).toHaveLength(100);
  });
});

describe('password rules', () => {
  it('refuse the e-mail name only when it is long enough to mean something', () => {
    const mentions = (password: string, email: string) =>
      checkPasswordRules(password, { email }).some((e) => e.message === 'must not contain your e-mail name');
    // Short local parts are letters every password contains.
    expect(mentions('a-long-passphrase', 'a@example.com')).toBe(false);
    expect(mentions('bob-was-here!', 'bob@example.com')).toBe(false);
    // Four characters and more are a name.
    expect(mentions('anna-was-here!', 'anna@example.com')).toBe(true);
    expect(mentions('xx-Grace.Hopper-1', 'grace.hopper@example.com')).toBe(true);
    // A long password may contain it.
    expect(mentions('anna-went-to-the-mountains', 'anna@example.com')).toBe(false);
  });
});

describe('every other string and date the API takes', () => {
  it('refuses NUL and impossible dates with the field named, on sign-in, links, tokens and the audit log', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const login = await client.post('/api/v1/auth/login', {
      email: 'someone\u0000@example.test',
      password: 'x',
    });
    expect(login.statusCode).toBe(400);
    expect(login.json().errors[0].path).toBe('email');

    const person = await buildUser(t);
    const link = await client.post(`/api/v1/users/${person.id}/links`, {
      url: 'https://example.test',
      relation: 'see\u0000also',
    });
    expect(link.statusCode).toBe(400);
    expect(link.json().errors[0].path).toBe('relation');

    const token = await client.post('/api/v1/me/api-tokens', { name: 'ci\u0000bot' });
    expect(token.statusCode).toBe(400);
    expect(token.json().errors[0].path).toBe('name');

    for (const query of ['from=0000-01-01', 'to=2024-02-31', 'entityType=user%00']) {
      const response = await client.get(`/api/v1/audit-log?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().errors[0].path, query).toBe(query.split('=')[0]);
    }
    const timeline = await client.get(`/api/v1/users/${person.id}/timeline?at=0000-06-01`);
    expect(timeline.statusCode).toBe(400);
    expect(timeline.json().errors[0].path).toBe('at');
  });
});
