import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries, signedIn } from '../../../../test/factories';
import type { Client } from '../../../../test/harness';
import { createTestContext, type TestContext } from '../../../../test/harness';

/** Each test tampers with the log, so each gets its own database. */
let t: TestContext | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Some ordinary history: a few users created and edited over HTTP. Returns their ids. */
async function someHistory(client: Client): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const unique = randomUUID().slice(0, 8);
    const created = await client.post('/api/v1/users', {
      name: `Chain ${unique}`,
      email: `chain-${unique}@example.test`,
    });
    ids.push(created.json().id);
    await client.patch(`/api/v1/users/${created.json().id}`, { jobTitle: `Title ${i}`, version: 1 });
  }
  return ids;
}

async function verify(client: Client) {
  const response = await client.get('/api/v1/audit-log/verify');
  expect(response.statusCode).toBe(200);
  return response.json() as {
    intact: boolean;
    checked: number;
    unsealed: number;
    firstBroken: { position: number; auditId: string | null; reason: string } | null;
  };
}

/** Verifies (which seals pending rows first); sealing no longer waits on other databases. */
async function verifySealed(client: Client) {
  return verify(client);
}

async function countAuditRows(context: TestContext): Promise<number> {
  const result = (await context.database.db.execute(
    sql`select count(*)::int as n from audit_log`,
  )) as unknown as {
    rows: Array<{ n: number }>;
  };
  return result.rows[0]!.n;
}

describe('the audit hash chain', () => {
  it('verifies intact after ordinary writes, covering every row', async () => {
    t = await createTestContext();
    const { client } = await signedIn(t, { role: 'admin' });
    await someHistory(client);
    const result = await verifySealed(client);
    expect(result).toMatchObject({ intact: true, unsealed: 0, firstBroken: null });
    expect(result.checked).toBe(await countAuditRows(t));
    // More writes extend the chain rather than restarting it.
    await someHistory(client);
    const again = await verifySealed(client);
    expect(again.intact).toBe(true);
    expect(again.checked).toBe(await countAuditRows(t));
  });

  it('names the first altered row when a row is changed behind the app’s back', async () => {
    t = await createTestContext();
    const { client } = await signedIn(t, { role: 'admin' });
    const [victim] = await someHistory(client);
    expect((await verifySealed(client)).intact).toBe(true);
    const [insert] = await auditEntries(client, { entityId: victim!, action: 'INSERT' });

    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await tx.execute(
        sql`update audit_log set changes = ${JSON.stringify({ name: 'Forged' })}::jsonb where id = ${insert!.id}`,
      );
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });

    const result = await verify(client);
    expect(result.intact).toBe(false);
    expect(result.firstBroken).toMatchObject({
      auditId: insert!.id,
      reason: expect.stringContaining('altered'),
    });
    expect(result.checked).toBe(result.firstBroken!.position - 1);
  });

  it('detects a deleted row', async () => {
    t = await createTestContext();
    const { client } = await signedIn(t, { role: 'admin' });
    const ids = await someHistory(client);
    expect((await verifySealed(client)).intact).toBe(true);
    const [update] = await auditEntries(client, { entityId: ids[1]!, action: 'UPDATE' });

    await t.database.db.transaction(async (tx) => {
      // ALL: also the foreign key from audit_seal, which would otherwise stop the delete.
      await tx.execute(sql`alter table audit_log disable trigger all`);
      await tx.execute(sql`delete from audit_log where id = ${update!.id}`);
      await tx.execute(sql`alter table audit_log enable trigger all`);
    });

    const result = await verify(client);
    expect(result.intact).toBe(false);
    expect(result.firstBroken).toMatchObject({
      auditId: update!.id,
      reason: expect.stringContaining('deleted'),
    });
  });
});
