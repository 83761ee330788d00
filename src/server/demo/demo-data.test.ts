import { describe, expect, it } from 'vitest';
import { Client, sharedTestContext } from '../../../test/harness';
import { DEMO_PASSWORD, loadDemoData } from './demo-data';
import { DEMO_PEOPLE } from './demo-people';

const t = sharedTestContext();

describe('demo data', () => {
  it('loads a company whose logins work, once however often it is asked', async () => {
    expect(await loadDemoData(t.database)).toMatch(/^Demo data loaded: 36 people, 4 groups, 22 assets/);
    expect(await loadDemoData(t.database)).toBe('Demo data is already loaded.');
    const ceo = DEMO_PEOPLE.find((person) => person.role === 'admin')!;
    const client = new Client(t.app);
    expect((await client.login(ceo.email, DEMO_PASSWORD)).statusCode).toBe(200);
    const people = (await client.get('/api/v1/users?pageSize=100')).json();
    expect(people.total).toBe(DEMO_PEOPLE.length);
    const chart = (await client.get('/api/v1/org-chart')).json().data as Array<{ name: string }>;
    expect(chart.map((node) => node.name)).toEqual([ceo.name]);
    // The inventory came with them, through the services: laptops out, seats taken, a disposal.
    expect((await client.get('/api/v1/assets?status=in_use')).json().total).toBe(16);
    expect((await client.get('/api/v1/peripherals?status=in_use')).json().total).toBe(6);
    expect((await client.get('/api/v1/assets?status=disposed')).json().total).toBe(1);
    const licences = (await client.get('/api/v1/licenses')).json().data as Array<{ seatsUsed: number }>;
    expect(licences.map((licence) => licence.seatsUsed)).toEqual([10, 10]);
    // And its compliance work: two frameworks, evidence from the inventory, a rule, an exclusion.
    const dashboard = (await client.get('/api/v1/compliance/dashboard')).json().data;
    expect(dashboard.frameworks.map((f: { name: string }) => f.name).sort()).toEqual([
      'ISO/IEC 27001:2022',
      'SOC 2 Trust Services Criteria (2017, revised 2022)',
    ]);
    const iso = dashboard.frameworks.find((f: { name: string }) => f.name.startsWith('ISO'));
    expect(iso.stats).toMatchObject({ manual: 5, nonCompliant: 1, notApplicable: 1 });
    expect((await client.get('/api/v1/compliance/snapshots')).json().data).toHaveLength(1);
  });
});
