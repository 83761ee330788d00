import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { bearerClient, buildUser, createApiToken, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

describe('attempts that arrive together', () => {
  it('lock the account after five, instead of all being checked', async () => {
    const user = await buildUser(t);
    // Each client comes from its own address, so the per-address rate limit is not what stops them.
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => new Client(t.app).login(user.email, `wrong guess number ${i}`)),
    );
    const statuses = guesses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    expect((await new Client(t.app).login(user.email, user.password)).statusCode).toBe(429);
  });

  it('spend a recovery code once, even when it is sent twice at the same moment', async () => {
    const { client, user } = await signedIn(t);
    const { secret } = (await client.post('/api/v1/me/two-factor/setup')).json();
    const { recoveryCodes } = (
      await client.post('/api/v1/me/two-factor/confirm', { code: await generate({ secret }) })
    ).json() as { recoveryCodes: string[] };
    const first = new Client(t.app);
    const second = new Client(t.app);
    await first.login(user.email, user.password);
    await second.login(user.email, user.password);
    const [a, b] = await Promise.all([
      first.secondFactor(recoveryCodes[0]!),
      second.secondFactor(recoveryCodes[0]!),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 401]);
    expect((await client.get('/api/v1/me/two-factor')).json().recoveryCodesLeft).toBe(9);
  });
});

describe('account security', () => {
  it('cannot be changed with an API token, only in a signed-in session', async () => {
    const { client, user } = await signedIn(t);
    const { token } = await createApiToken(client);
    const api = bearerClient(t, token);
    expect((await api.get('/api/v1/me/two-factor')).statusCode).toBe(200);
    expect((await api.post('/api/v1/me/two-factor/setup')).statusCode).toBe(403);
    expect(
      (
        await api.post('/api/v1/me/password', {
          currentPassword: user.password,
          newPassword: 'a token chose this one',
        })
      ).statusCode,
    ).toBe(403);
    expect((await api.post('/api/v1/me/sessions/revoke-others')).statusCode).toBe(403);
    expect((await client.get('/api/v1/auth/session')).statusCode).toBe(200);
  });

  it('limits how fast a signed-in person can guess their current password', async () => {
    const { client } = await signedIn(t);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await client.post('/api/v1/me/password', {
        currentPassword: `not it ${i}`,
        newPassword: 'whatever comes next here',
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10).every((status) => status === 422)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
