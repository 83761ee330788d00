import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { buildUser } from '../../../test/factories';
import { sharedTestContext } from '../../../test/harness';
import { users } from '../domains/people/users.table';
import { executeReusable, executeSelect, queryReusableRows } from './fast-select';

const t = sharedTestContext();

describe('executeSelect', () => {
  it('maps rows exactly as Drizzle does: nested selections, dates, numbers, nulls', async () => {
    const person = await buildUser(t, { jobTitle: null as never });
    const query = () =>
      t.database.db
        .select({
          row: users,
          derived: {
            initial: sql<string>`left(${users.name}, 1)`,
            length: sql`length(${users.name})`.mapWith(Number),
          },
          total: t.database.db.$count(users),
        })
        .from(users)
        .where(eq(users.id, person.id));
    const drizzle = await query();
    const fast = await executeSelect(query());
    expect(fast).toEqual(drizzle);
    const [row] = fast;
    expect(row!.row.createdAt).toBeInstanceOf(Date);
    expect(row!.row.jobTitle).toBeNull();
    expect(typeof row!.derived.length).toBe('number');
    expect(typeof row!.total).toBe('number');
  });

  it.runIf(inject('databaseTemplate').kind === 'server')(
    'on a server, runs a query as a statement the connection keeps, named after its text',
    async () => {
      const person = await buildUser(t);
      await t.database.db.transaction(async (tx) => {
        const select = () => tx.select({ id: users.id }).from(users).where(eq(users.id, person.id));
        expect(await executeSelect(select())).toEqual([{ id: person.id }]);
        expect(await executeSelect(select())).toEqual([{ id: person.id }]);
        const kept = await tx.execute(
          sql`select name from pg_prepared_statements where statement = ${select().toSQL().sql}`,
        );
        expect((kept as unknown as { rows: Array<{ name: string }> }).rows).toEqual([
          { name: expect.stringMatching(/^opsdeck_[0-9a-f]{24}$/) },
        ]);
      });
    },
  );

  it('prepares a reusable read once per handle, runs it with new values, and inside a transaction sees its writes', async () => {
    const [first, second] = [await buildUser(t), await buildUser(t)];
    let builds = 0;
    const byId = (db: typeof t.database.db, id: string) =>
      executeReusable(
        db,
        'test:user-name',
        () => {
          builds += 1;
          return db
            .select({ name: users.name })
            .from(users)
            .where(eq(users.id, sql.placeholder('id')));
        },
        { id },
      );
    expect(await byId(t.database.db, first.id)).toEqual([{ name: first.name }]);
    expect(await byId(t.database.db, second.id)).toEqual([{ name: second.name }]);
    expect(builds).toBe(1);
    await t.database.db
      .transaction(async (tx) => {
        await tx.update(users).set({ name: 'Renamed in a transaction' }).where(eq(users.id, first.id));
        expect(await byId(tx as never, first.id)).toEqual([{ name: 'Renamed in a transaction' }]);
        expect(builds).toBe(2);
        tx.rollback();
      })
      .catch(() => {});
    expect(await byId(t.database.db, first.id)).toEqual([{ name: first.name }]);
    expect(builds).toBe(2);
  });

  it('runs reusable raw SQL with new values each time', async () => {
    const [first, second] = [await buildUser(t), await buildUser(t)];
    const named = (id: string) =>
      queryReusableRows<{ name: string; twice: number }>(
        t.database.db,
        'test:raw-user-name',
        () =>
          sql`select ${users.name} as name, ${sql.placeholder('n')}::int * 2 as twice from ${users} where ${users.id} = ${sql.placeholder('id')}`,
        { id, n: 21 },
      );
    expect(await named(first.id)).toEqual([{ name: first.name, twice: 42 }]);
    expect(await named(second.id)).toEqual([{ name: second.name, twice: 42 }]);
  });
});
