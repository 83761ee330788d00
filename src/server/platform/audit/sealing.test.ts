import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { type Client, createTestContext, type TestContext } from '../../../../test/harness';

let t: TestContext | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const template = inject('databaseTemplate');
const onServer = template.kind === 'server';

async function createUser(client: Client): Promise<string> {
  const unique = randomUUID().slice(0, 8);
  const response = await client.post('/api/v1/users', {
    name: `Seal ${unique}`,
    email: `seal-${unique}@example.test`,
  });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

async function verify(client: Client) {
  return (await client.get('/api/v1/audit-log/verify')).json() as {
    intact: boolean;
    unsealed: number;
    checked: number;
    firstBroken: { auditId: string | null; reason: string } | null;
  };
}

/** A connection holding an open transaction that has a transaction id. */
async function openTransaction(database: string): Promise<pg.Client> {
  if (template.kind !== 'server') throw new Error('server only');
  const url = new URL(template.serverUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query('begin');
  await client.query('select pg_current_xact_id()');
  return client;
}

describe('sealing the audit chain', () => {
  it.runIf(onServer)(
    'is not held back by a long transaction in another database on the same server',
    async () => {
      t = await createTestContext();
      const { client } = await signedIn(t, { role: 'admin' });
      const elsewhere = await openTransaction('postgres');
      try {
        await createUser(client);
        expect(await verify(client)).toMatchObject({ intact: true, unsealed: 0 });
      } finally {
        await elsewhere.query('rollback');
        await elsewhere.end();
      }
    },
  );

  it.runIf(onServer)(
    'waits for a transaction of its own database, then seals what came after it',
    async () => {
      t = await createTestContext();
      const { client } = await signedIn(t, { role: 'admin' });
      const [{ name } = { name: '' }] = (
        (await t.database.db.execute(sql`select current_database() as name`)) as unknown as {
          rows: Array<{ name: string }>;
        }
      ).rows;
      const running = await openTransaction(name);
      try {
        await createUser(client);
        const during = await verify(client);
        expect(during.unsealed).toBeGreaterThan(0);
        expect(during.intact).toBe(true);
      } finally {
        await running.query('commit');
        await running.end();
      }
      expect(await verify(client)).toMatchObject({ intact: true, unsealed: 0 });
    },
  );

  it('keeps sealing after the newest sealed row is deleted, and reports the break', async () => {
    t = await createTestContext();
    const { client } = await signedIn(t, { role: 'admin' });
    await createUser(client);
    const before = await verify(client);
    expect(before).toMatchObject({ intact: true, unsealed: 0 });
    const db = t.database.db;
    const [newest] = (
      (await db.execute(
        sql`select a.id from audit_seal s join audit_log a on a.id = s.audit_id order by s.position desc limit 1`,
      )) as unknown as { rows: Array<{ id: string }> }
    ).rows;
    await db.execute(sql`alter table audit_seal disable trigger audit_seal_append_only`);
    await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await db.execute(sql`alter table audit_seal drop constraint audit_seal_audit_id_audit_log_id_fk`);
    await db.execute(sql`delete from audit_log where id = ${newest!.id}::uuid`);
    await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    await db.execute(sql`alter table audit_seal enable trigger audit_seal_append_only`);

    await createUser(client);
    const after = await verify(client);
    expect(after.unsealed).toBe(0);
    expect(after.intact).toBe(false);
    expect(after.firstBroken).toMatchObject({ auditId: newest!.id, reason: 'the audit row was deleted' });
  });
});
