import { eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { apiTokens, sessions, userCredentials } from '../src/server/platform/auth/auth.table';
import { buildGroup, createApiToken, signedIn } from './factories';
import { sharedTestContext } from './harness';

const t = sharedTestContext();

describe('secrets never leave the server', () => {
  it('appear in no response of any GET route, nor in the audit log', async () => {
    // A user with every kind of secret: password, sessions, an API token, two-factor with recovery codes.
    const { client, user } = await signedIn(t, { grants: { hr_people: 'write' } });
    const sessionToken = client.cookie!.split('=')[1]!;
    const { token: apiToken } = await createApiToken(client);
    const { secret: totpSecret } = (await client.post('/api/v1/me/two-factor/setup')).json();
    const { recoveryCodes } = (
      await client.post('/api/v1/me/two-factor/confirm', { code: await generate({ secret: totpSecret }) })
    ).json();
    const attachment = (
      await client.upload(`/api/v1/users/${user.id}/attachments`, {
        filename: 'cv.txt',
        content: 'curriculum',
      })
    ).json();
    const group = await buildGroup(t, { members: [user.id] });
    await client.patch(`/api/v1/users/${user.id}`, { jobTitle: 'Keeper of secrets', version: 1 });

    const [credentials] = await t.database.db
      .select()
      .from(userCredentials)
      .where(eq(userCredentials.userId, user.id));
    const sessionRows = await t.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    const tokenRows = await t.database.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    const secrets = [
      sessionToken,
      apiToken,
      totpSecret,
      ...recoveryCodes,
      credentials!.passwordHash!,
      credentials!.totpSecretEncrypted!,
      ...credentials!.recoveryCodeHashes,
      ...sessionRows.map((s) => s.tokenHash),
      ...tokenRows.map((s) => s.tokenHash),
    ];
    expect(secrets.every((s) => typeof s === 'string' && s.length >= 10)).toBe(true);

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const params: Record<string, string> = {
      attachmentId: attachment.id,
      principalType: 'user',
      principalId: user.id,
    };
    const urls: string[] = [];
    for (const route of t.app.registeredRoutes) {
      if (route.method !== 'GET' || route.url.includes('*') || route.url.startsWith('/api/docs')) continue;
      const id = route.url.startsWith('/api/v1/groups/') ? group.id : user.id;
      urls.push(route.url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? id));
    }
    urls.push('/api/v1/audit-log?pageSize=200', '/api/v1/audit-log?pageSize=200&page=2');

    const leaks: string[] = [];
    for (const url of urls) {
      for (const reader of [admin, client]) {
        const response = await reader.get(url);
        expect(response.statusCode, url).toBeLessThan(500);
        const body = response.body;
        if (body.includes('$argon2')) leaks.push(`${url}: a password hash`);
        for (const secret of secrets) if (body.includes(secret)) leaks.push(`${url}: ${secret.slice(0, 6)}…`);
      }
    }
    expect(urls.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});
