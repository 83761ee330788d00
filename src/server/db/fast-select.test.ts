import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { buildUser } from '../../../test/factories';
import { sharedTestContext } from '../../../test/harness';
import { users } from '../domains/people/users.table';
import { executeSelect } from './fast-select';

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
});
