import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import type { Db } from '../../db/client';
import { listenForTableChanges, noteTablesChanged } from '../../db/table-changes';
import { listTotal } from './list-totals';

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
