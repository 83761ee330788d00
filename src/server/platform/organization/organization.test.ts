import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntries, signedIn } from '../../../../test/factories';
import { Client, createTestContext, sharedTestContext, type TestContext } from '../../../../test/harness';

const t = sharedTestContext();

const valid = {
  displayName: 'Northwind Pay',
  legalName: 'Northwind Payments S.L.',
  taxId: 'ESB12345678',
  primaryDomain: 'Northwind.example',
  emailDomains: ['northwind.example', 'nwpay.example'],
  defaultCurrency: 'eur',
  timeZone: 'Europe/Madrid',
  riskImpactLevels: 4,
  riskLikelihoodLevels: 6,
  riskAppetiteMediumFrom: 25,
  riskAppetiteHighFrom: 50,
  riskAppetiteCriticalFrom: 75,
};

/** The settings as they are now (version 0 before the first save). */
async function current(client: Client) {
  return (await client.get('/api/v1/organization')).json() as {
    version: number;
    settings: Record<string, unknown>;
  };
}

/** A database of its own, for what must start from "never saved". */
async function withFreshDatabase(run: (fresh: TestContext) => Promise<void>) {
  const fresh = await createTestContext();
  try {
    await run(fresh);
  } finally {
    await fresh.close();
  }
}

describe('organisation settings', () => {
  it('answers the defaults with version 0 before the first save, to anyone signed in', async () => {
    await withFreshDatabase(async (fresh) => {
      const { client } = await signedIn(fresh);
      const response = await client.get('/api/v1/organization');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        version: 0,
        updatedAt: null,
        settings: {
          displayName: 'My organisation',
          defaultCurrency: 'EUR',
          timeZone: 'UTC',
          riskImpactLevels: 5,
        },
      });
      expect((await new Client(fresh.app).get('/api/v1/organization')).statusCode).toBe(401);
    });
  });

  it('creates the settings once when two first saves arrive together; the other is told what is there', async () => {
    await withFreshDatabase(async (fresh) => {
      const { client: first } = await signedIn(fresh, { grants: { settings: 'write' } });
      const { client: second } = await signedIn(fresh, { grants: { settings: 'write' } });
      // Hold back inserts until both requests have looked for the row and found none (on a server;
      // PGlite runs one transaction at a time, so there the two simply follow each other).
      let saving: Promise<Array<Awaited<ReturnType<Client['put']>>>> | undefined;
      await fresh.database.db.transaction(async (tx) => {
        await tx.execute(sql`lock table organization_settings in share mode`);
        saving = Promise.all([
          first.put('/api/v1/organization', { ...valid, displayName: 'First', version: 0 }),
          second.put('/api/v1/organization', { ...valid, displayName: 'Second', version: 0 }),
        ]);
        if (fresh.database.driver === 'pg') await new Promise((resolve) => setTimeout(resolve, 500));
      });
      const responses = await saving!;
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const winner = responses.find((r) => r.statusCode === 200)!.json();
      const loser = responses.find((r) => r.statusCode === 409)!.json();
      expect(winner.version).toBe(1);
      expect(loser.current).toMatchObject({
        version: 1,
        settings: { displayName: winner.settings.displayName },
      });
    });
  });

  it('refuses a save from someone without settings write access, and saves nothing', async () => {
    const { client } = await signedIn(t, { grants: { settings: 'read' } });
    const before = await current(client);
    const refused = await client.put('/api/v1/organization', { ...valid, version: before.version });
    expect(refused.statusCode).toBe(403);
    expect(await current(client)).toEqual(before);
  });

  it('names each invalid field', async () => {
    const { client } = await signedIn(t, { grants: { settings: 'write' } });
    const { version } = await current(client);
    const response = await client.put('/api/v1/organization', {
      ...valid,
      version,
      displayName: '  ',
      primaryDomain: 'not a domain',
      emailDomains: ['a.example', 'a.example'],
      defaultCurrency: 'EURO',
      timeZone: 'Mars/Olympus',
      riskImpactLevels: 9,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'displayName',
        'primaryDomain',
        'emailDomains',
        'defaultCurrency',
        'timeZone',
        'riskImpactLevels',
      ]),
    );
    expect((await client.put('/api/v1/organization', valid)).statusCode).toBe(428);
    const bands = await client.put('/api/v1/organization', { ...valid, version, riskAppetiteHighFrom: 20 });
    expect(bands.statusCode).toBe(400);
    expect(bands.json().errors.map((e: { path: string }) => e.path)).toEqual(['riskAppetiteHighFrom']);
  });

  it('saves as the version read, normalises values, answers 409 to a stale editor and audits the change', async () => {
    const { client, user } = await signedIn(t, { grants: { settings: 'write' } });
    const start = await current(client);
    const saved = await client.put('/api/v1/organization', {
      ...valid,
      timeZone: 'Europe/Madrid',
      version: start.version,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      version: start.version + 1,
      updatedBy: user.id,
      settings: { primaryDomain: 'northwind.example', defaultCurrency: 'EUR', riskLikelihoodLevels: 6 },
    });
    const version = saved.json().version as number;

    const updated = await client.put(
      '/api/v1/organization',
      { ...valid, timeZone: 'UTC' },
      { 'if-match': `"${version}"` },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe(`"${version + 1}"`);
    const stale = await client.put('/api/v1/organization', { ...valid, taxId: 'X', version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({
      version: version + 1,
      settings: { timeZone: 'UTC', taxId: 'ESB12345678' },
    });
    expect((await current(client)).settings.taxId).toBe('ESB12345678');

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = (await auditEntries(admin, { entityType: 'organization_settings' })).filter(
      (e) => e.actorId === user.id,
    );
    expect(trail.at(-1)).toMatchObject({
      action: 'UPDATE',
      changes: { timeZone: { old: 'Europe/Madrid', new: 'UTC' } },
    });
  });
});
