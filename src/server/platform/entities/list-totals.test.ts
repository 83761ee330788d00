import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import type { Db } from '../../db/client';
import { listenForTableChanges, noteTablesChanged } from '../../db/table-changes';
import { listTotal, pageAnchors } from './list-totals';

const t = sharedTestContext();

describe('list totals', () => {
  it('follow every kind of write: a total counted before a change is never served after it', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const department = `Totals ${Date.now()}`;
    const total = async () =>
      (await client.get(`/api/v1/users?department=${encodeURIComponent(department)}&pageSize=1`)).json()
        .total as number;
    expect(await total()).toBe(0);

    const first = await buildUser(t, { department });
    expect(await total()).toBe(1);
    expect(await total()).toBe(1);

    const created = await client.post('/api/v1/users', {
      email: `totals-${Date.now()}@example.test`,
      name: 'Counted Person',
      department,
    });
    expect(created.statusCode).toBe(201);
    expect(await total()).toBe(2);

    const archived = await client.post(`/api/v1/users/${created.json().id}/archive`, {
      version: created.json().version,
    });
    expect(archived.json()).toMatchObject({ isArchived: true });
    expect(await total()).toBe(1);

    const moved = await client.patch(`/api/v1/users/${first.id}`, {
      department: 'Elsewhere',
      version: first.version,
    });
    expect(moved.statusCode).toBe(200);
    expect(await total()).toBe(0);
  });

  it('are kept per database handle and per table', async () => {
    const db = {} as Db;
    const first = listTotal(db, 'widgets', 'all');
    expect(first.known).toBeUndefined();
    first.remember(7);
    expect(listTotal(db, 'widgets', 'all').known).toBe(7);
    expect(listTotal({} as Db, 'widgets', 'all').known).toBeUndefined();
    noteTablesChanged(['gadgets']);
    expect(listTotal(db, 'widgets', 'all').known).toBe(7);
    noteTablesChanged(['widgets']);
    expect(listTotal(db, 'widgets', 'all').known).toBeUndefined();
  });

  it.runIf(inject('databaseTemplate').kind === 'server')(
    'on a server, forget a total when another instance announces a change to its table',
    async () => {
      const template = inject('databaseTemplate');
      if (template.kind !== 'server') return;
      const errors: unknown[] = [];
      const stop = listenForTableChanges(template.serverUrl, (error) => errors.push(error));
      const db = {} as Db;
      try {
        // Nothing is kept until the listening connection is open.
        await expect
          .poll(() => {
            const probe = listTotal(db, 'gizmos', 'q');
            probe.remember(3);
            return listTotal(db, 'gizmos', 'q').known;
          })
          .toBe(3);

        const other = new pg.Client({ connectionString: template.serverUrl });
        await other.connect();
        await other.query("select pg_notify('opsdeck_table_changes', 'sprockets,gizmos')");
        await other.end();
        await expect.poll(() => listTotal(db, 'gizmos', 'q').known).toBeUndefined();
        expect(errors).toEqual([]);
      } finally {
        await stop();
      }
    },
  );
});

describe('page anchors', () => {
  it('serve every page exactly as an offset would: paging on, jumping back and forth, both directions, after a change', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const department = `Anchors ${Date.now()}`;
    // Names that every collation orders alike, with ties broken by id.
    const people: Array<{ id: string; name: string; version: number }> = [];
    for (let i = 0; i < 23; i++)
      people.push(await buildUser(t, { department, name: `Anchored ${String(i % 20).padStart(2, '0')}` }));
    const page = async (n: number, sort: string) => {
      const body = (
        await client.get(
          `/api/v1/users?department=${encodeURIComponent(department)}&sort=${sort}&pageSize=4&page=${n}`,
        )
      ).json() as { data: Array<{ id: string; name: string }>; total: number };
      expect(body.total).toBe(people.length);
      return body.data.map((person) => person.id);
    };
    const byKey = (a: { name: string; id: string }, b: { name: string; id: string }) =>
      a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1;
    const ascending = () => [...people].sort(byKey).map((person) => person.id);
    const expectPages = async (sort: string, order: string[], pages: number[]) => {
      for (const n of pages) expect(await page(n, sort)).toEqual(order.slice((n - 1) * 4, n * 4));
    };

    await expectPages('name', ascending(), [1, 2, 3, 4, 5, 6, 7]);
    await expectPages('name', ascending(), [5, 2, 7, 6, 3, 1, 4]);
    await expectPages('-name', ascending().reverse(), [1, 2, 3, 6, 4, 7, 5]);

    // A change moves rows between pages: what was known of their positions is not used again.
    const moved = people[0]!;
    const renamed = await client.patch(`/api/v1/users/${moved.id}`, {
      name: 'Anchored 99',
      version: moved.version,
    });
    expect(renamed.statusCode).toBe(200);
    people[0] = { ...moved, name: 'Anchored 99' };
    await expectPages('name', ascending(), [7, 6, 5, 4, 3, 2, 1]);
    await expectPages('-name', ascending().reverse(), [2, 3, 1, 6]);
  });

  it('give the nearest known position before the page asked for, and nothing once the table changes', () => {
    const db = {} as Db;
    const anchors = pageAnchors(db, 'widgets', 'all');
    expect(anchors.before(50)).toBeUndefined();
    anchors.remember({ position: 49, value: 'b', id: '2' });
    anchors.remember({ position: 149, value: 'd', id: '4' });
    const again = pageAnchors(db, 'widgets', 'all');
    expect(again.before(0)).toBeUndefined();
    expect(again.before(49)).toBeUndefined();
    expect(again.before(50)).toMatchObject({ position: 49 });
    expect(again.before(149)).toMatchObject({ position: 49 });
    expect(again.before(200)).toMatchObject({ position: 149 });
    expect(pageAnchors(db, 'widgets', 'other').before(200)).toBeUndefined();
    noteTablesChanged(['widgets']);
    expect(pageAnchors(db, 'widgets', 'all').before(200)).toBeUndefined();
  });
});
