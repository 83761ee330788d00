import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { auditEntries, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';
import { userCredentials } from './auth.table';

const t = sharedTestContext();

/** The code of the next 30-second step (accepted: the server tolerates one step of clock drift). */
function nextCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

/** A signed-in user who has enrolled in two-factor; returns the TOTP secret and recovery codes. */
async function enrolled() {
  const { client, user } = await signedIn(t);
  const setup = await client.post('/api/v1/me/two-factor/setup');
  expect(setup.statusCode).toBe(200);
  const { secret, otpauthUrl, qrCodeDataUrl } = setup.json();
  expect(otpauthUrl).toContain(`secret=${secret}`);
  expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
  const confirmed = await client.post('/api/v1/me/two-factor/confirm', { code: await generate({ secret }) });
  expect(confirmed.statusCode).toBe(200);
  const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
  return { client, user, secret, recoveryCodes };
}

describe('two-factor authentication', () => {
  it('is enabled only once a code from the app confirms the secret', async () => {
    const { client } = await signedIn(t);
    const { secret } = (await client.post('/api/v1/me/two-factor/setup')).json();
    expect((await client.get('/api/v1/me/two-factor')).json().enabled).toBe(false);
    const wrong = await client.post('/api/v1/me/two-factor/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].path).toBe('code');
    const right = await client.post('/api/v1/me/two-factor/confirm', { code: await generate({ secret }) });
    expect(right.statusCode).toBe(200);
    expect(right.json().recoveryCodes).toHaveLength(10);
    expect((await client.get('/api/v1/me/two-factor')).json()).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    expect((await client.post('/api/v1/me/two-factor/setup')).statusCode).toBe(409);
  });

  it('asks for the second factor at login, refuses a wrong code and completes with the right one', async () => {
    const { user, secret } = await enrolled();
    const client = new Client(t.app);
    const first = await client.login(user.email, user.password);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'second_factor_required', csrfToken: expect.any(String) });
    const pendingCookie = client.cookie!;
    // Half signed in is not signed in.
    expect((await client.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await client.get('/api/v1/me/sessions')).statusCode).toBe(401);

    const wrong = await client.secondFactor('123456');
    expect(wrong.statusCode).toBe(401);
    // The code that confirmed enrolment is spent; the app's next code works.
    const spent = await client.secondFactor(await generate({ secret }));
    expect(spent.statusCode).toBe(401);
    const right = await client.secondFactor(await nextCode(secret));
    expect(right.statusCode).toBe(200);
    expect(right.json()).toMatchObject({ status: 'authenticated', session: { user: { id: user.id } } });
    expect((await client.get('/api/v1/auth/session')).statusCode).toBe(200);

    // The pre-MFA token was replaced, not promoted.
    expect(client.cookie).not.toBe(pendingCookie);
    const replay = new Client(t.app);
    replay.cookie = pendingCookie;
    expect((await replay.get('/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('accepts each recovery code once only', async () => {
    const { user, recoveryCodes } = await enrolled();
    const code = recoveryCodes[0]!;
    const first = new Client(t.app);
    await first.login(user.email, user.password);
    expect((await first.secondFactor(code)).statusCode).toBe(200);
    expect((await first.get('/api/v1/me/two-factor')).json().recoveryCodesLeft).toBe(9);

    const second = new Client(t.app);
    await second.login(user.email, user.password);
    expect((await second.secondFactor(code)).statusCode).toBe(401);
    expect((await second.secondFactor(recoveryCodes[1]!.toUpperCase())).statusCode).toBe(200);
  });

  it('needs the password to turn it off, and then login takes the password alone', async () => {
    const { client, user } = await enrolled();
    const refused = await client.post('/api/v1/me/two-factor/disable', { password: 'not my password' });
    expect(refused.statusCode).toBe(422);
    expect((await client.post('/api/v1/me/two-factor/disable', { password: user.password })).statusCode).toBe(
      204,
    );
    const again = new Client(t.app);
    expect((await again.login(user.email, user.password)).json().status).toBe('authenticated');
  });

  it('lets an administrator reset it, signing the user out', async () => {
    const { client, user } = await enrolled();
    const { client: admin } = await signedIn(t, { role: 'admin' });
    expect((await admin.post(`/api/v1/users/${user.id}/two-factor/reset`)).statusCode).toBe(204);
    expect((await client.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await new Client(t.app).login(user.email, user.password)).json().status).toBe('authenticated');
  });

  it('keeps the secret and the recovery codes out of the audit log and of later responses', async () => {
    const { client, user, secret, recoveryCodes } = await enrolled();
    const [credentials] = await t.database.db
      .select()
      .from(userCredentials)
      .where(eq(userCredentials.userId, user.id));
    const { client: admin } = await signedIn(t, { role: 'admin' });
    const entries = await auditEntries(admin, { entityId: credentials!.id });
    const enrolment = entries.filter((e) => e.action === 'UPDATE' && 'totpSecretEncrypted' in e.changes);
    expect(enrolment[0]!.changes.totpSecretEncrypted).toEqual({ old: null, new: '[redacted]' });
    const recovery = entries.filter((e) => e.action === 'UPDATE' && 'recoveryCodeHashes' in e.changes);
    expect(recovery[0]!.changes.recoveryCodeHashes).toEqual({ old: '[redacted]', new: '[redacted]' });
    const seen = JSON.stringify([
      entries,
      (await client.get('/api/v1/me/two-factor')).json(),
      (await admin.get(`/api/v1/users/${user.id}/login`)).json(),
      (await admin.get(`/api/v1/users/${user.id}`)).json(),
    ]);
    for (const secretValue of [
      secret,
      credentials!.totpSecretEncrypted!,
      credentials!.passwordHash!,
      ...recoveryCodes,
      ...credentials!.recoveryCodeHashes,
    ]) {
      expect(seen).not.toContain(secretValue);
    }
  });
});
