import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { auditEntries, bearerClient, createApiToken, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { apiTokens } from './auth.table';
import { sha256Hex } from './crypto';

const t = sharedTestContext();

const newPerson = () => {
  const unique = Math.random().toString(36).slice(2, 10);
  return { name: `Token Person ${unique}`, email: `token-${unique}@example.test` };
};

describe('API tokens', () => {
  it('shows the token once and stores only its hash', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'read' } });
    const created = await client.post('/api/v1/me/api-tokens', { name: 'CI export', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { id, token, tokenPrefix } = created.json();
    expect(token).toMatch(/^odk_/);
    expect(token.startsWith(tokenPrefix)).toBe(true);

    const [row] = await t.database.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row?.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const listed = await client.get('/api/v1/me/api-tokens');
    expect(listed.json().data).toEqual([
      expect.objectContaining({ id, name: 'CI export', tokenPrefix, lastUsedAt: null }),
    ]);
    expect(listed.body).not.toContain(token);
    expect(listed.body).not.toContain(row!.tokenHash);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const audit = await auditEntries(admin, { entityId: id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'INSERT', entityType: 'api_token', actorId: user.id });
    expect(audit[0]!.changes.tokenHash).toBe('[redacted]');
    const everything = JSON.stringify(audit);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(row!.tokenHash);
  });

  it('authenticates with a token without a CSRF token, and audits the change as api_token', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { token, id: tokenId } = await createApiToken(client);
    const api = bearerClient(t, token);
    const created = await api.post('/api/v1/users', newPerson());
    expect(created.statusCode).toBe(201);
    const session = await api.get('/api/v1/auth/session');
    expect(session.json()).toMatchObject({ authMethod: 'api_token', csrfToken: null, user: { id: user.id } });
    const listed = await client.get('/api/v1/me/api-tokens');
    expect(listed.json().data.find((tk: { id: string }) => tk.id === tokenId).lastUsedAt).not.toBeNull();

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const [insert] = await auditEntries(admin, { entityId: created.json().id });
    expect(insert).toMatchObject({ action: 'INSERT', actorId: user.id, authMethod: 'api_token' });
  });

  it('is never more powerful than its owner', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { token } = await createApiToken(client);
    const api = bearerClient(t, token);
    expect((await api.get('/api/v1/users')).statusCode).toBe(200);
    expect((await api.post('/api/v1/users', newPerson())).statusCode).toBe(403);
    expect((await api.get('/api/v1/groups')).statusCode).toBe(403);

    // When the owner loses the grant, so does the token.
    const { client: admin } = await signedIn(t, { role: 'admin' });
    await admin.put(`/api/v1/access-grants/user/${user.id}`, { grants: { hr_people: 'none' } });
    expect((await api.get('/api/v1/users')).statusCode).toBe(403);
  });

  it('cannot create further tokens', async () => {
    const { client } = await signedIn(t);
    const { token } = await createApiToken(client);
    const api = bearerClient(t, token);
    const response = await api.post('/api/v1/me/api-tokens', { name: 'child' });
    expect(response.statusCode).toBe(403);
    expect((await client.get('/api/v1/me/api-tokens')).json().data).toHaveLength(1);
  });

  it('stops working once revoked', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { token, id } = await createApiToken(client);
    const api = bearerClient(t, token);
    expect((await api.get('/api/v1/users')).statusCode).toBe(200);
    expect((await client.delete(`/api/v1/me/api-tokens/${id}`)).statusCode).toBe(204);
    const refused = await api.get('/api/v1/users');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('stops working once expired', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { token } = await createApiToken(client, { expiresInDays: 1 });
    const api = bearerClient(t, token);
    expect((await api.get('/api/v1/users')).statusCode).toBe(200);
    // A day and a minute pass (the application's clock; the token was resolved and kept before).
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 86_400_000 + 60_000);
      expect((await api.get('/api/v1/users')).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops working when the owner may no longer sign in', async () => {
    const { client, user } = await signedIn(t, { grants: { hr_people: 'read' } });
    const { token } = await createApiToken(client);
    const api = bearerClient(t, token);
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const archived = await admin.post(`/api/v1/users/${user.id}/archive`);
    expect(archived.statusCode).toBe(200);
    expect((await api.get('/api/v1/users')).statusCode).toBe(401);
  });

  it('cannot revoke another user’s token', async () => {
    const { client: owner } = await signedIn(t);
    const { id, token } = await createApiToken(owner);
    const { client: other } = await signedIn(t);
    expect((await other.delete(`/api/v1/me/api-tokens/${id}`)).statusCode).toBe(404);
    expect((await bearerClient(t, token).get('/api/v1/auth/session')).statusCode).toBe(200);
  });
});

describe('how many tokens a person may hold', () => {
  it('stops at 25, and revoking one makes room', async () => {
    const { client } = await signedIn(t);
    const created = [];
    for (let i = 0; i < 25; i++) created.push(await createApiToken(client, { name: `script ${i}` }));
    const refused = await client.post('/api/v1/me/api-tokens', { name: 'one too many' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].path).toBe('name');
    await client.delete(`/api/v1/me/api-tokens/${created[0]!.id}`);
    expect((await client.post('/api/v1/me/api-tokens', { name: 'now it fits' })).statusCode).toBe(201);
  });
});
