import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildGroup, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { noteTablesChanged } from '../../db/table-changes';
import { inTransaction } from '../http/context';
import { writeGrants } from '../rbac/grants.service';
import { accessGrants } from '../rbac/grants.table';

const t = sharedTestContext();

/**
 * A request's actor is kept between requests (auth/actor-resolver.ts); whatever changes who may do
 * what must show on the very next request.
 */
describe('resolved actors', () => {
  it('lose a grant on the next request after it is withdrawn', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    await inTransaction(t.system, (tx) =>
      writeGrants(tx, { type: 'user', id: user.id }, { hr_people: 'none' }),
    );
    expect((await client.get('/api/v1/users')).statusCode).toBe(403);
  });

  it("lose a group's access on the next request after the group is archived", async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const { client, user } = await signedIn(t);
    const group = await buildGroup(t, { members: [user.id], grants: { hr_people: 'read' } });
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    const archived = await admin.post(`/api/v1/groups/${group.id}/archive`, { version: group.version });
    expect(archived.statusCode).toBe(200);
    expect((await client.get('/api/v1/users')).statusCode).toBe(403);
  });

  it('are signed out on the next request after their login is disabled', async () => {
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const { client, user } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    const disabled = await admin.patch(`/api/v1/users/${user.id}`, {
      loginEnabled: false,
      version: user.version,
    });
    expect(disabled.statusCode).toBe(200);
    expect((await client.get('/api/v1/users')).statusCode).toBe(401);
  });

  it('follow a change another instance announces', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    // Another instance withdrew the grant: this one sees only its announcement of the table.
    await t.database.db.delete(accessGrants).where(eq(accessGrants.principalId, user.id));
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    noteTablesChanged(['access_grants']);
    expect((await client.get('/api/v1/users')).statusCode).toBe(403);
  });
});
