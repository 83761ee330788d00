import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildCustomField, buildUser, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';
import { userEntity } from '../../domains/people/users.entity';
import { csvCell, exportEntitiesCsv } from './csv-export';

const t = sharedTestContext();

/** People without a login, in a department of their own: any HR writer may archive them. */
async function buildPeople(count: number, overrides: Record<string, unknown> = {}) {
  const department = `Dept ${randomUUID().slice(0, 8)}`;
  const people = [];
  for (let i = 0; i < count; i++) {
    people.push(
      await buildUser(t, {
        name: `Person ${i} ${department}`,
        department,
        loginEnabled: false,
        ...overrides,
      }),
    );
  }
  return { department, people, ids: people.map((p) => p.id) };
}

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold both and "". */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

/** The export as objects keyed by the header row (after the byte order mark). */
function readCsv(body: string): { header: string[]; rows: Array<Record<string, string>> } {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const [header, ...records] = parseCsv(body.slice(1));
  return {
    header: header!,
    rows: records.map((values) => Object.fromEntries(header!.map((h, i) => [h, values[i] ?? '']))),
  };
}

describe('bulk archive and restore', () => {
  it('archives every record in one request, with one audit row each, and restores them', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { ids, department } = await buildPeople(3);
    const archived = await client.post('/api/v1/users/bulk-archive', { ids });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(
      archived.json().changed.map((u: { id: string; isArchived: boolean }) => [u.id, u.isArchived]),
    ).toEqual(ids.map((id) => [id, true]));
    expect(archived.json().unchanged).toEqual([]);
    const listed = await client.get(
      `/api/v1/users?archived=true&department=${encodeURIComponent(department)}`,
    );
    expect(listed.json().total).toBe(3);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    for (const id of ids) {
      const audit = await auditEntries(admin, { entityType: 'user', entityId: id, action: 'ARCHIVE' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorId: user.id,
        changes: { isArchived: { old: false, new: true } },
      });
    }

    // Restoring a mix: the archived ones change, the active one is reported unchanged.
    const {
      ids: [active],
    } = await buildPeople(1);
    const restored = await client.post('/api/v1/users/bulk-restore', { ids: [ids[0], active, ids[1]] });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().changed.map((u: { id: string }) => u.id)).toEqual([ids[0], ids[1]]);
    expect(restored.json().unchanged).toEqual([active]);
  });

  it('changes nothing when one id is unknown, and names it', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { ids, department } = await buildPeople(2);
    const unknown = randomUUID();
    const response = await client.post('/api/v1/users/bulk-archive', { ids: [ids[0], unknown, ids[1]] });
    expect(response.statusCode).toBe(404);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    expect(response.json().detail).toContain(unknown);
    expect(response.json().errors).toEqual([{ path: 'ids.1', message: `${unknown} was not found` }]);
    const listed = await client.get(`/api/v1/users?department=${encodeURIComponent(department)}`);
    expect(listed.json().total).toBe(2);
  });

  it('applies the entity’s own rules to each record: one refusal names it and changes nothing', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { ids, department } = await buildPeople(2);
    // Someone who can sign in is an administrator's business (the users' beforeArchive hook).
    const account = await buildUser(t, { department, loginEnabled: true });
    const response = await client.post('/api/v1/users/bulk-archive', { ids: [...ids, account.id] });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain(account.name);
    expect(response.json().errors[0].path).toBe('ids.2');
    const listed = await client.get(`/api/v1/users?department=${encodeURIComponent(department)}`);
    expect(listed.json().total).toBe(3);

    const { client: admin, user: me } = await signedIn(t, { role: 'admin', department });
    const self = await admin.post('/api/v1/users/bulk-archive', { ids: [ids[0], me.id] });
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toContain('cannot archive yourself');
    expect((await admin.get(`/api/v1/users/${ids[0]}`)).json().isArchived).toBe(false);
  });

  it('needs write access, and refuses malformed requests naming the field', async () => {
    const { client: reader } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { ids } = await buildPeople(1);
    expect((await reader.post('/api/v1/users/bulk-archive', { ids })).statusCode).toBe(403);
    expect((await reader.post('/api/v1/users/bulk-restore', { ids })).statusCode).toBe(403);

    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const cases: Array<[unknown, string]> = [
      [{ ids: [] }, 'ids'],
      [{ ids: ['not-a-uuid'] }, 'ids.0'],
      [{ ids: Array.from({ length: 201 }, () => randomUUID()) }, 'ids'],
      [{ ids, version: 1 }, 'version'],
      [{}, 'ids'],
    ];
    for (const [body, path] of cases) {
      const response = await client.post('/api/v1/users/bulk-archive', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].path).toBe(path);
    }
    // Record types that cannot be archived have no bulk routes.
    const { client: admin } = await signedIn(t, { role: 'admin' });
    expect((await admin.post('/api/v1/org-chart-snapshots/bulk-archive', { ids })).statusCode).toBe(404);
  });
});

describe('CSV export', () => {
  it('exports every row the list query matches, in its order, with custom fields and no secrets', async () => {
    const field = await buildCustomField(t, { label: 'Cost centre' });
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { department, people } = await buildPeople(3, { customFields: {} });
    // A person who signs in: their password hash lives elsewhere and must never appear.
    const withLogin = await buildUser(t, {
      name: `Zed ${department}`,
      department,
      customFields: { [field.key]: 'CC-42' },
    });
    const query = `department=${encodeURIComponent(department)}&sort=-name&pageSize=1&page=2`;
    const response = await client.get(`/api/v1/users/export.csv?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');

    const { header, rows } = readCsv(response.body);
    const recordFields = Object.keys(userEntity.record.shape).filter((key) => key !== 'customFields');
    expect(header.slice(0, recordFields.length)).toEqual(recordFields);
    expect(header).toContain(`cf.${field.key}`);
    expect(header).not.toContain('customFields');
    expect(header).not.toContain('searchText');
    // Paging is ignored: every match, sorted as asked.
    expect(rows.map((row) => row.id)).toEqual([withLogin.id, ...people.map((p) => p.id).reverse()]);
    expect(rows[0]![`cf.${field.key}`]).toBe('CC-42');
    expect(rows[0]).toMatchObject({ loginEnabled: 'true', isArchived: 'false', email: withLogin.email });
    expect(response.body).not.toMatch(/argon2|passwordHash|password_hash|totp/i);

    // Search narrows it the same way as the list.
    const searched = await client.get(
      `/api/v1/users/export.csv?q=${encodeURIComponent(`person 1 ${department}`)}`,
    );
    expect(readCsv(searched.body).rows.map((row) => row.id)).toEqual([people[1]!.id]);

    // So does the archived switch.
    const { client: writer } = await signedIn(t, { grants: { hr_people: 'write' } });
    await writer.post(`/api/v1/users/${people[0]!.id}/archive`);
    const archived = await client.get(
      `/api/v1/users/export.csv?department=${encodeURIComponent(department)}&archived=true`,
    );
    expect(readCsv(archived.body).rows.map((row) => row.id)).toEqual([people[0]!.id]);
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const department = `Dept, "quoted" ${randomUUID().slice(0, 8)}`;
    const names = [
      '=HYPERLINK("http://evil.test","click")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      'Line one\r\nline two',
    ];
    for (const name of names)
      await buildUser(t, { name, department, loginEnabled: false, jobTitle: '\tTabbed' });
    const response = await client.get(
      `/api/v1/users/export.csv?department=${encodeURIComponent(department)}&sort=createdAt`,
    );
    const { rows } = readCsv(response.body);
    expect(rows.map((row) => row.name)).toEqual([
      `'=HYPERLINK("http://evil.test","click")`,
      `'+1+1`,
      `'-2+3`,
      `'@SUM(A1)`,
      'Line one\r\nline two',
    ]);
    expect(rows.every((row) => row.department === department && row.jobTitle === "'\tTabbed")).toBe(true);
    expect(response.body).toContain(`"${department.replaceAll('"', '""')}"`);

    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('\rX')).toBe(`"'\rX"`);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('takes the list’s parameters and refuses what the list refuses', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const unknown = await client.get('/api/v1/users/export.csv?nonsense=1');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('nonsense');
    const badSort = await client.get('/api/v1/users/export.csv?sort=passwordHash');
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json().errors[0].path).toBe('sort');
    const badEnum = await client.get('/api/v1/users/export.csv?employmentStatus=retired');
    expect(badEnum.statusCode).toBe(400);
    expect(badEnum.json().errors[0].path).toBe('employmentStatus');

    const { client: nobody } = await signedIn(t);
    expect((await nobody.get('/api/v1/users/export.csv')).statusCode).toBe(403);
    // Vocabularies anyone reads export for anyone.
    expect((await nobody.get('/api/v1/tags/export.csv')).statusCode).toBe(200);
  });

  it('refuses more rows than the limit rather than cutting the file short', async () => {
    const { department } = await buildPeople(3);
    const query = { department, page: 1, pageSize: 25, archived: 'false' as const };
    const ok = await exportEntitiesCsv(t.system, userEntity as never, query, 3);
    expect(ok.rows).toBe(3);
    await expect(exportEntitiesCsv(t.system, userEntity as never, query, 2)).rejects.toMatchObject({
      status: 422,
      extra: { total: 3, limit: 2 },
    });
  });

  it('is described in the OpenAPI document with the new routes', async () => {
    const document = (await new Client(t.app).get('/api/openapi.json')).json();
    expect(document.paths['/api/v1/users/export.csv'].get.responses['200'].content['text/csv']).toBeDefined();
    expect(document.paths['/api/v1/users/bulk-archive'].post.requestBody).toBeDefined();
    expect(document.paths['/api/v1/saved-views'].post).toBeDefined();
    expect(document.paths['/api/v1/me/preferences/list-columns/{listKey}'].put).toBeDefined();
  });
});
