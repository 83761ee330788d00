import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

describe("a person's organisational timeline", () => {
  it('records department, title and manager changes and answers what they were at a point in time', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const boss = (
      await client.post('/api/v1/users', { name: 'First Boss', email: 'first.boss@example.test' })
    ).json();
    const next = (
      await client.post('/api/v1/users', { name: 'Next Boss', email: 'next.boss@example.test' })
    ).json();
    const person = (
      await client.post('/api/v1/users', {
        name: 'Tim Line',
        email: 'tim.line@example.test',
        department: 'Sales',
        jobTitle: 'Account Executive',
        managerId: boss.id,
      })
    ).json();

    const beforeMove = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const moved = await client.patch(`/api/v1/users/${person.id}`, {
      department: 'Customer Success',
      managerId: next.id,
      name: 'Tim Line-Smith',
      version: person.version,
    });
    expect(moved.statusCode).toBe(200);

    const timeline = (await client.get(`/api/v1/users/${person.id}/timeline`)).json();
    const fields = timeline.data.map((e: { field: string }) => e.field).sort();
    // Creation records the initial values; the move records department and manager, not the name.
    expect(fields).toEqual([
      'department',
      'department',
      'employmentStatus',
      'jobTitle',
      'managerId',
      'managerId',
    ]);
    const departmentChange = timeline.data.find(
      (e: { field: string; oldValue: unknown }) => e.field === 'department' && e.oldValue !== null,
    );
    expect(departmentChange).toMatchObject({ oldValue: 'Sales', newValue: 'Customer Success' });

    const then = (
      await client.get(`/api/v1/users/${person.id}/timeline?at=${encodeURIComponent(beforeMove)}`)
    ).json();
    expect(then.at).toMatchObject({ department: 'Sales', managerId: boss.id, jobTitle: 'Account Executive' });
    const now = (
      await client.get(
        `/api/v1/users/${person.id}/timeline?at=${encodeURIComponent(new Date().toISOString())}`,
      )
    ).json();
    expect(now.at).toMatchObject({ department: 'Customer Success', managerId: next.id });
  });

  it('writes no history for a PATCH that changes nothing', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const person = (
      await client.post('/api/v1/users', {
        name: 'Still Same',
        email: 'still.same@example.test',
        department: 'IT',
      })
    ).json();
    const before = (await client.get(`/api/v1/users/${person.id}/timeline`)).json().data.length;
    const same = await client.patch(`/api/v1/users/${person.id}`, {
      department: 'IT',
      version: person.version,
    });
    expect(same.json().version).toBe(person.version);
    expect((await client.get(`/api/v1/users/${person.id}/timeline`)).json().data).toHaveLength(before);
  });
});
