import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { type Client, createTestContext, type TestContext } from '../../../../test/harness';

let t: TestContext;
let client: Client;
beforeAll(async () => {
  t = await createTestContext();
  ({ client } = await signedIn(t, { grants: { hr_people: 'read' } }));
});
afterAll(async () => {
  await t.close();
});

/** Five people in a department of their own, so each test's list holds exactly them. */
async function buildDepartment() {
  const department = `Dept ${randomUUID().slice(0, 8)}`;
  const people = [];
  for (const [name, status, startDate] of [
    ['Dora', 'active', '2021-03-01'],
    ['Alan', 'on_leave', '2020-01-15'],
    ['Edsger', 'contractor', '2023-07-01'],
    ['Barbara', 'active', '2022-11-30'],
    ['Claude', 'terminated', '2019-05-05'],
  ] as const) {
    people.push(
      await buildUser(t, {
        name: `${name} ${department}`,
        department,
        employmentStatus: status,
        startDate,
      }),
    );
  }
  return { department, people, query: `department=${encodeURIComponent(department)}` };
}

const firstNames = (response: { json(): { data: Array<{ name: string }> } }) =>
  response.json().data.map((u) => u.name.split(' ')[0]);

describe('list queries', () => {
  it('pages with a total that counts every match', async () => {
    const { query } = await buildDepartment();
    const page1 = await client.get(`/api/v1/users?${query}&pageSize=2`);
    expect(page1.json()).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(firstNames(page1)).toEqual(['Alan', 'Barbara']);
    const page3 = await client.get(`/api/v1/users?${query}&pageSize=2&page=3`);
    expect(page3.json().total).toBe(5);
    expect(firstNames(page3)).toEqual(['Edsger']);
    const beyond = await client.get(`/api/v1/users?${query}&pageSize=2&page=4`);
    expect(beyond.json()).toMatchObject({ total: 5, data: [] });
  });

  it('sorts ascending and descending by an allowed field', async () => {
    const { query } = await buildDepartment();
    expect(firstNames(await client.get(`/api/v1/users?${query}&sort=-name`))).toEqual([
      'Edsger',
      'Dora',
      'Claude',
      'Barbara',
      'Alan',
    ]);
    expect(firstNames(await client.get(`/api/v1/users?${query}&sort=startDate`))).toEqual([
      'Claude',
      'Alan',
      'Dora',
      'Barbara',
      'Edsger',
    ]);
  });

  it('searches names, e-mails and departments, case-insensitively and literally', async () => {
    const { department, people } = await buildDepartment();
    const byName = await client.get(
      `/api/v1/users?q=${encodeURIComponent(`barbara ${department}`.toUpperCase())}`,
    );
    expect(byName.json().data.map((u: { id: string }) => u.id)).toEqual([people[3]!.id]);
    const byEmail = await client.get(`/api/v1/users?q=${encodeURIComponent(people[0]!.email)}`);
    expect(byEmail.json().data.map((u: { id: string }) => u.id)).toEqual([people[0]!.id]);
    expect((await client.get(`/api/v1/users?q=${encodeURIComponent(department)}`)).json().total).toBe(5);
    // % and _ are characters to find, not wildcards.
    expect((await client.get('/api/v1/users?q=%25%25%25')).json().total).toBe(0);
  });

  it('filters by enum (several values), date range, boolean and manager', async () => {
    const { query, people } = await buildDepartment();
    expect(firstNames(await client.get(`/api/v1/users?${query}&employmentStatus=active,contractor`))).toEqual(
      ['Barbara', 'Dora', 'Edsger'],
    );
    expect(
      firstNames(await client.get(`/api/v1/users?${query}&startDateFrom=2020-01-15&startDateTo=2022-11-30`)),
    ).toEqual(['Alan', 'Barbara', 'Dora']);
    expect((await client.get(`/api/v1/users?${query}&loginEnabled=true`)).json().total).toBe(5);
    expect((await client.get(`/api/v1/users?${query}&loginEnabled=false`)).json().total).toBe(0);

    const manager = people[0]!;
    const report = await buildUser(t, { managerId: manager.id });
    expect(
      (await client.get(`/api/v1/users?managerId=${manager.id}`))
        .json()
        .data.map((u: { id: string }) => u.id),
    ).toEqual([report.id]);
  });

  it('lists archived records only when asked', async () => {
    const { query, people } = await buildDepartment();
    // These people can sign in, so archiving them is an administrator's business.
    const { client: writer } = await signedIn(t, { role: 'admin' });
    await writer.post(`/api/v1/users/${people[1]!.id}/archive`);
    expect((await client.get(`/api/v1/users?${query}`)).json().total).toBe(4);
    expect(firstNames(await client.get(`/api/v1/users?${query}&archived=true`))).toEqual(['Alan']);
    expect((await client.get(`/api/v1/users?${query}&archived=all`)).json().total).toBe(5);
  });

  it('lists only the records named by ids, in one request', async () => {
    const { people } = await buildDepartment();
    const named = await client.get(`/api/v1/users?ids=${people[0]!.id},${people[3]!.id},${randomUUID()}`);
    expect(firstNames(named).sort()).toEqual(['Barbara', 'Dora']);
    const bad = await client.get('/api/v1/users?ids=not-an-id');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('ids');
    const tooMany = Array.from({ length: 201 }, () => randomUUID()).join(',');
    expect((await client.get(`/api/v1/users?ids=${tooMany}`)).statusCode).toBe(400);
  });
});
