import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildGroup, buildTag, buildUser, signedIn } from '../../../../test/factories';
import { type Client, Client as HttpClient, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

interface Hit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

/** A word no other test's records contain, so each test sees only its own hits. */
function uniqueWord(): string {
  return Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join('');
}

async function search(client: Client, query: Record<string, string>) {
  const response = await client.get(`/api/v1/search?${new URLSearchParams(query)}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    data: Hit[];
    types: Array<{ type: string; singular: string; plural: string; total: number }>;
    page: number;
    pageSize: number;
    total: number;
  };
}

const idsOf = (hits: Hit[], type?: string) =>
  hits.filter((hit) => !type || hit.type === type).map((hit) => hit.id);

function expectFieldProblem(response: LightMyRequestResponse, path: string) {
  expect(response.statusCode, response.body).toBe(400);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('global search', () => {
  it('finds a person by part of the name and of the e-mail address, as the list search does', async () => {
    const word = uniqueWord();
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const person = await buildUser(t, {
      name: `Ada Lovelace${word}`,
      email: `countess.${word}@analytical.test`,
    });
    const byName = await search(client, { q: `LOVELACE${word}` });
    expect(byName.data).toEqual([
      {
        type: 'user',
        id: person.id,
        title: person.name,
        subtitle: person.email,
        score: expect.any(Number),
      },
    ]);
    expect(idsOf((await search(client, { q: `countess.${word}` })).data)).toEqual([person.id]);
    // The same records the users list finds for the same text.
    const list = await client.get(`/api/v1/users?q=lovelace${word}`);
    expect(list.json().data.map((user: { id: string }) => user.id)).toEqual(idsOf(byName.data, 'user'));
    // LIKE wildcards are characters to find.
    expect((await search(client, { q: `%${word}` })).total).toBe(0);
  });

  it('ranks the exact title first, then a prefix, a word prefix, the title containing it, another field', async () => {
    const word = uniqueWord();
    const { client } = await signedIn(t, { role: 'admin' });
    const otherField = await buildUser(t, { name: 'Another Field', department: `Dept${word}x` });
    const inWord = await buildUser(t, { name: `Mid${word}x Person` });
    const wordPrefix = await buildUser(t, { name: `Alpha ${word}` });
    const group = await buildGroup(t, { name: `Group ${word}` });
    const prefix = await buildUser(t, { name: `${word}son Prefix` });
    const exact = await buildUser(t, { name: word });

    const result = await search(client, { q: word });
    expect(idsOf(result.data)).toEqual([
      exact.id,
      prefix.id,
      wordPrefix.id,
      group.id,
      inWord.id,
      otherField.id,
    ]);
    const scores = result.data.map((hit) => hit.score);
    expect(scores.slice(0, 4)).toEqual([1, 0.9, 0.8, 0.8]);
    expect(scores[4]).toBeGreaterThan(scores[5]!);
    expect(scores[4]).toBeLessThan(0.8);
    // The page is cut from the ranked list, not ranked after cutting.
    expect(idsOf((await search(client, { q: word, pageSize: '1' })).data)).toEqual([exact.id]);
    expect(result.types).toEqual([
      { type: 'user', singular: 'User', plural: 'Users', total: 5 },
      { type: 'group', singular: 'Group', plural: 'Groups', total: 1 },
    ]);
  });

  it('returns only the modules the caller may read', async () => {
    const word = uniqueWord();
    const person = await buildUser(t, { name: `Shared ${word}` });
    const group = await buildGroup(t, { name: `Shared ${word}` });
    const tag = await buildTag(t, { name: `shared-${word}` });

    const { client: groupReader } = await signedIn(t, { grants: { administration: 'read' } });
    const limited = await search(groupReader, { q: word });
    expect(idsOf(limited.data, 'user')).toEqual([]);
    expect(idsOf(limited.data, 'group')).toEqual([group.id]);
    expect(idsOf(limited.data, 'tag')).toEqual([tag.id]);
    expect(limited.total).toBe(2);
    expect(limited.types.map((entry) => entry.type)).toEqual(['group', 'tag']);
    // Asking for a type one may not read finds nothing rather than revealing anything.
    expect(await search(groupReader, { q: word, types: 'user' })).toMatchObject({ data: [], total: 0 });

    const { client: peopleReader } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect(idsOf((await search(peopleReader, { q: word })).data).sort()).toEqual([person.id, tag.id].sort());

    const { client: auditor } = await signedIn(t, { role: 'auditor' });
    expect(idsOf((await search(auditor, { q: word })).data).sort()).toEqual(
      [person.id, group.id, tag.id].sort(),
    );
    expect(idsOf((await search(auditor, { q: word, types: 'group, tag' })).data).sort()).toEqual(
      [group.id, tag.id].sort(),
    );
  });

  it('leaves archived records out', async () => {
    const word = uniqueWord();
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const active = await buildUser(t, { name: `Active ${word}`, loginEnabled: false });
    const leaver = await buildUser(t, { name: `Leaver ${word}`, loginEnabled: false });
    const group = await buildGroup(t, { name: `Old group ${word}` });
    const tag = await buildTag(t, { name: `old-${word}` });
    expect(idsOf((await search(admin, { q: word })).data)).toHaveLength(4);

    for (const url of [
      `/api/v1/users/${leaver.id}/archive`,
      `/api/v1/groups/${group.id}/archive`,
      `/api/v1/tags/${tag.id}/archive`,
    ]) {
      expect((await admin.post(url)).statusCode).toBe(200);
    }
    const result = await search(admin, { q: word });
    expect(idsOf(result.data)).toEqual([active.id]);
    expect(result.total).toBe(1);
  });

  it('pages through the ranked hits with a total', async () => {
    const word = uniqueWord();
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const people = [];
    for (const n of [1, 2, 3, 4, 5]) people.push(await buildUser(t, { name: `Page ${word} ${n}` }));
    const pages = [];
    for (const page of ['1', '2', '3', '4'])
      pages.push(await search(client, { q: word, page, pageSize: '2' }));
    expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1, 0]);
    expect(pages.map((p) => [p.page, p.pageSize, p.total])).toEqual([
      [1, 2, 5],
      [2, 2, 5],
      [3, 2, 5],
      [4, 2, 5],
    ]);
    expect(pages.flatMap((p) => idsOf(p.data))).toEqual(people.map((person) => person.id));
    expect(pages[3]!.types).toEqual([{ type: 'user', singular: 'User', plural: 'Users', total: 5 }]);
    expect((await search(client, { q: word })).pageSize).toBe(20);
  });

  it('refuses a missing, blank or over-long q, a bad page size and unknown types, naming the field', async () => {
    const { client } = await signedIn(t);
    expectFieldProblem(await client.get('/api/v1/search'), 'q');
    expectFieldProblem(await client.get('/api/v1/search?q=%20%20'), 'q');
    expectFieldProblem(await client.get(`/api/v1/search?q=${'x'.repeat(201)}`), 'q');
    expectFieldProblem(await client.get('/api/v1/search?q=nul%00byte'), 'q');
    expect((await client.get(`/api/v1/search?q=${'x'.repeat(200)}`)).statusCode).toBe(200);
    expectFieldProblem(await client.get('/api/v1/search?q=ada&pageSize=51'), 'pageSize');
    expectFieldProblem(await client.get('/api/v1/search?q=ada&pageSize=0'), 'pageSize');
    expectFieldProblem(await client.get('/api/v1/search?q=ada&page=0'), 'page');
    expectFieldProblem(await client.get('/api/v1/search?q=ada&types=user,spaceship'), 'types');
    expectFieldProblem(await client.get('/api/v1/search?q=ada&types='), 'types');
    expectFieldProblem(await client.get('/api/v1/search?q=ada&sort=name'), 'sort');
  });

  it('answers 401 to an anonymous caller, and is described in the API document', async () => {
    const anonymous = new HttpClient(t.app);
    const response = await anonymous.get('/api/v1/search?q=ada');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const openapi = await anonymous.get('/api/openapi.json');
    expect(openapi.statusCode, openapi.body.slice(0, 2000)).toBe(200);
    const document = openapi.json();
    const operation = document.paths['/api/v1/search'].get;
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '429']),
    );
  });
});
