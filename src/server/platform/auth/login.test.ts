import { describe, expect, it } from 'vitest';
import { auditEntries, bearerClient, buildUser, createApiToken, signedIn } from '../../../../test/factories';
import { Client, createTestContext, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

describe('signing in', () => {
  it('signs in with the right password and answers 401 to a wrong one or an unknown address', async () => {
    const user = await buildUser(t);
    const client = new Client(t.app);
    const wrong = await client.login(user.email, 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(client.cookie).toBeUndefined();
    const unknown = await client.login('nobody@example.test', 'whatever password');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);

    const ok = await client.login(user.email.toUpperCase(), user.password);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'authenticated', session: { user: { id: user.id } } });
    expect(ok.headers['set-cookie']).toMatch(/HttpOnly/i);
    expect((await client.get('/api/v1/auth/session')).json().user.id).toBe(user.id);
  });

  it('refuses people who may not sign in: login disabled or archived', async () => {
    const disabled = await buildUser(t, { loginEnabled: false });
    const archived = await buildUser(t, { isArchived: true });
    const client = new Client(t.app);
    expect((await client.login(disabled.email, disabled.password)).statusCode).toBe(401);
    expect((await client.login(archived.email, archived.password)).statusCode).toBe(401);
  });

  it('locks the account after five failures, even against the right password, until an administrator unlocks it', async () => {
    const user = await buildUser(t);
    const client = new Client(t.app);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await client.login(user.email, `wrong password ${attempt}`)).statusCode).toBe(401);
    }
    const locked = await client.login(user.email, user.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/Try again in \d+ minutes/);
    // From another address too: the lock is on the account.
    expect((await new Client(t.app).login(user.email, user.password)).statusCode).toBe(429);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    expect((await admin.get(`/api/v1/users/${user.id}/login`)).json().lockedUntil).not.toBeNull();
    expect((await admin.post(`/api/v1/users/${user.id}/unlock`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/users/${user.id}/login`)).json().lockedUntil).toBeNull();
    expect((await client.login(user.email, user.password)).statusCode).toBe(200);
  });

  it('limits sign-in attempts per address', async () => {
    const client = new Client(t.app);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      statuses.push((await client.login(`nobody-${attempt}@example.test`, 'some password')).statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('limits sign-in attempts per address to the configured number', async () => {
    const strict = await createTestContext({ loginAttemptsPerMinute: 3 });
    try {
      const client = new Client(strict.app);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        statuses.push((await client.login(`nobody-${attempt}@example.test`, 'some password')).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await strict.close();
    }
  });

  it('records the session in the audit log without its token', async () => {
    const { client, user } = await signedIn(t);
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const sessions = (await client.get('/api/v1/me/sessions')).json().data;
    const [insert] = await auditEntries(admin, { entityId: sessions[0].id });
    expect(insert).toMatchObject({
      action: 'INSERT',
      entityType: 'session',
      ip: client.ip,
      userAgent: client.userAgent,
    });
    expect(insert!.changes).toMatchObject({ userId: user.id, tokenHash: '[redacted]', stage: 'active' });
    expect(JSON.stringify(insert)).not.toContain(client.cookie!.split('=')[1]);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with the token', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const token = client.csrfToken!;
    const body = { name: 'Csrf Person', email: `csrf-${Date.now()}@example.test` };
    client.csrfToken = undefined;
    const missing = await client.post('/api/v1/users', body);
    expect(missing.statusCode).toBe(403);
    expect(missing.json().detail).toContain('x-csrf-token');
    const forged = await client.post('/api/v1/users', body, { 'x-csrf-token': 'forged' });
    expect(forged.statusCode).toBe(403);
    expect((await client.get('/api/v1/users')).statusCode).toBe(200);
    expect((await client.post('/api/v1/users', body, { 'x-csrf-token': token })).statusCode).toBe(201);
  });

  it('does not ask a bearer token for one', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const { token } = await createApiToken(client);
    const api = bearerClient(t, token);
    expect(
      (await api.post('/api/v1/users', { name: 'Bearer', email: `bearer-${Date.now()}@example.test` }))
        .statusCode,
    ).toBe(201);
  });
});

describe('sessions', () => {
  it('ends the session on logout', async () => {
    const { client } = await signedIn(t);
    const cookie = client.cookie!;
    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect(client.cookie).toBeUndefined();
    const replay = new Client(t.app);
    replay.cookie = cookie;
    expect((await replay.get('/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('lists my sessions and signs out the others', async () => {
    const { client: laptop, user } = await signedIn(t);
    const phone = new Client(t.app, { userAgent: 'phone' });
    await phone.login(user.email, user.password);
    const listed = (await laptop.get('/api/v1/me/sessions')).json().data;
    expect(listed).toHaveLength(2);
    expect(listed.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(listed.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(
      [laptop.userAgent, 'phone'].sort(),
    );

    const revoked = await laptop.post('/api/v1/me/sessions/revoke-others');
    expect(revoked.json()).toEqual({ revoked: 1 });
    expect((await phone.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/auth/session')).statusCode).toBe(200);
  });

  it('signs out one chosen session, but only my own', async () => {
    const { client: laptop, user } = await signedIn(t);
    const phone = new Client(t.app);
    await phone.login(user.email, user.password);
    const phoneSession = (await phone.get('/api/v1/me/sessions'))
      .json()
      .data.find((s: { current: boolean }) => s.current);
    const { client: stranger } = await signedIn(t);
    expect((await stranger.delete(`/api/v1/me/sessions/${phoneSession.id}`)).statusCode).toBe(404);
    expect((await phone.get('/api/v1/auth/session')).statusCode).toBe(200);
    expect((await laptop.delete(`/api/v1/me/sessions/${phoneSession.id}`)).statusCode).toBe(204);
    expect((await phone.get('/api/v1/auth/session')).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  it('changing my password signs out my other sessions and keeps this one', async () => {
    const { client: laptop, user } = await signedIn(t);
    const phone = new Client(t.app);
    await phone.login(user.email, user.password);
    const newPassword = 'a brand new long passphrase';

    const wrongCurrent = await laptop.post('/api/v1/me/password', { currentPassword: 'guess', newPassword });
    expect(wrongCurrent.statusCode).toBe(422);
    expect(wrongCurrent.json().errors[0].path).toBe('currentPassword');
    const weak = await laptop.post('/api/v1/me/password', {
      currentPassword: user.password,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(422);
    expect((await phone.get('/api/v1/auth/session')).statusCode).toBe(200);

    const changed = await laptop.post('/api/v1/me/password', { currentPassword: user.password, newPassword });
    expect(changed.statusCode).toBe(204);
    expect((await phone.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/auth/session')).statusCode).toBe(200);
    expect((await new Client(t.app).login(user.email, user.password)).statusCode).toBe(401);
    expect((await new Client(t.app).login(user.email, newPassword)).statusCode).toBe(200);
  });

  it('an administrator setting a password signs out all of that user’s sessions', async () => {
    const { client, user } = await signedIn(t);
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const weak = await admin.post(`/api/v1/users/${user.id}/password`, { password: 'password1234' });
    expect(weak.statusCode).toBe(422);
    const set = await admin.post(`/api/v1/users/${user.id}/password`, {
      password: 'set by the administrator',
    });
    expect(set.statusCode).toBe(204);
    expect((await client.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await new Client(t.app).login(user.email, 'set by the administrator')).statusCode).toBe(200);
  });
});
