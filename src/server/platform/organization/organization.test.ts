import { describe, expect, it } from 'vitest';
import { auditEntries, signedIn } from '../../../../test/factories';
import { Client, sharedTestContext } from '../../../../test/harness';

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

// One organisation per database: the steps build on each other, in order.
describe('organisation settings', () => {
  it('answers the defaults with version 0 before the first save, to anyone signed in', async () => {
    const { client } = await signedIn(t);
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
    const anonymous = await new Client(t.app).get('/api/v1/organization');
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a save from someone without settings write access, and saves nothing', async () => {
    const { client } = await signedIn(t, { grants: { settings: 'read' } });
    expect((await client.put('/api/v1/organization', { ...valid, version: 0 })).statusCode).toBe(403);
    expect((await client.get('/api/v1/organization')).json().version).toBe(0);
  });

  it('names each invalid field', async () => {
    const { client } = await signedIn(t, { grants: { settings: 'write' } });
    const response = await client.put('/api/v1/organization', {
      ...valid,
      version: 0,
      displayName: '  ',
      primaryDomain: 'not a domain',
      emailDomains: ['a.example', 'a.example'],
      defaultCurrency: 'EURO',
      timeZone: 'Mars/Olympus',
      riskImpactLevels: 9,
      riskAppetiteHighFrom: 20,
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
    const missing = await client.put('/api/v1/organization', valid);
    expect(missing.statusCode).toBe(428);
    const bands = await client.put('/api/v1/organization', {
      ...valid,
      version: 0,
      riskAppetiteHighFrom: 20,
    });
    expect(bands.statusCode).toBe(400);
    expect(bands.json().errors.map((e: { path: string }) => e.path)).toEqual(['riskAppetiteHighFrom']);
  });

  it('creates on the first save, updates as the version read, and answers 409 to a stale editor', async () => {
    const { client, user } = await signedIn(t, { grants: { settings: 'write' } });
    const created = await client.put('/api/v1/organization', { ...valid, version: 0 });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      version: 1,
      updatedBy: user.id,
      settings: { primaryDomain: 'northwind.example', defaultCurrency: 'EUR', riskLikelihoodLevels: 6 },
    });
    // A second "first save" lost the race: it is told what is there now.
    const late = await client.put('/api/v1/organization', { ...valid, displayName: 'Other', version: 0 });
    expect(late.statusCode).toBe(409);
    expect(late.json().current.settings.displayName).toBe('Northwind Pay');

    const updated = await client.put(
      '/api/v1/organization',
      { ...valid, timeZone: 'UTC' },
      { 'if-match': '"1"' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    const stale = await client.put('/api/v1/organization', { ...valid, taxId: 'X', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({
      version: 2,
      settings: { timeZone: 'UTC', taxId: 'ESB12345678' },
    });
    expect((await client.get('/api/v1/organization')).json().settings.taxId).toBe('ESB12345678');

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityType: 'organization_settings' });
    expect(trail.map((e) => e.action).sort()).toEqual(['INSERT', 'UPDATE']);
    const update = trail.find((e) => e.action === 'UPDATE')!;
    expect(update.actorId).toBe(user.id);
    expect(update.changes).toEqual({ timeZone: { old: 'Europe/Madrid', new: 'UTC' } });
  });
});
