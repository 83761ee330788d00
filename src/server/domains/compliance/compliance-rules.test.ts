import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';
import { verdictFromDate } from './compliance-rules';

const t = sharedTestContext();

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A custom framework with one control, for rules to sit on. */
async function setup() {
  const { client } = await signedIn(t, { role: 'admin' });
  const framework = (
    await client.post('/api/v1/frameworks', { name: `Rules ${randomUUID().slice(0, 8)}` })
  ).json();
  const control = await client.post('/api/v1/controls', {
    frameworkId: framework.id,
    refId: 'R-1',
    title: 'Laptops inspected',
  });
  expect(control.statusCode).toBe(201);
  return { client, control: control.json() as { id: string } };
}

async function statusOf(client: Client, controlId: string) {
  return (await client.get(`/api/v1/controls/${controlId}`)).json() as {
    status: string;
    statusReason: string;
    ruleResults: Array<{ name: string; status: string; reason: string }>;
  };
}

describe('rule verdicts', () => {
  const rule = { windowDays: 30, graceDays: 7 };
  it('are green within the window, amber in the grace period, red after it or without evidence', () => {
    const today = '2026-06-30';
    expect(verdictFromDate(rule, '2026-05-31', today)).toMatchObject({ status: 'compliant' });
    expect(verdictFromDate(rule, '2026-05-30', today)).toEqual({
      status: 'warning',
      reason: 'grace period: 6 days left (latest on 2026-05-30)',
    });
    expect(verdictFromDate(rule, '2026-05-24', today)).toMatchObject({ status: 'warning' });
    expect(verdictFromDate(rule, '2026-05-23', today)).toEqual({
      status: 'non_compliant',
      reason: 'overdue by 1 days (latest on 2026-05-23)',
    });
    expect(verdictFromDate(rule, null, today)).toEqual({
      status: 'non_compliant',
      reason: 'no matching record',
    });
  });
});

describe('compliance rules', () => {
  it('judge a control by the latest matching record of another type, through its grace period', async () => {
    const { client, control } = await setup();
    const created = await client.post('/api/v1/compliance-rules', {
      controlId: control.id,
      name: 'Quarterly inspection',
      ruleType: 'recent_record',
      criteria: {
        entityType: 'maintenance_log',
        filters: { type: 'inspection', status: 'completed' },
        dateField: 'eventDate',
      },
      windowDays: 90,
      graceDays: 10,
    });
    expect(created.statusCode).toBe(201);
    expect(await statusOf(client, control.id)).toMatchObject({
      status: 'non_compliant',
      statusReason: 'Quarterly inspection: no matching record',
    });

    const asset = (
      await client.post('/api/v1/assets', { name: 'Laptop', assetTag: `RL-${randomUUID().slice(0, 8)}` })
    ).json();
    const log = (eventDate: string, status: string, type = 'inspection') =>
      client.post('/api/v1/maintenance-logs', {
        assetId: asset.id,
        type,
        status,
        eventDate,
        description: 'Checked',
      });
    expect((await log(daysAgo(5), 'open')).statusCode).toBe(201);
    expect((await log(daysAgo(3), 'completed', 'repair')).statusCode).toBe(201);
    // Neither an open inspection nor a completed repair is the evidence asked for.
    await client.post('/api/v1/compliance/recompute');
    expect((await statusOf(client, control.id)).status).toBe('non_compliant');

    expect((await log(daysAgo(95), 'completed')).statusCode).toBe(201);
    await client.post('/api/v1/compliance/recompute');
    expect(await statusOf(client, control.id)).toMatchObject({ status: 'warning' });
    expect((await statusOf(client, control.id)).statusReason).toContain('grace period: 5 days left');

    expect((await log(daysAgo(20), 'completed')).statusCode).toBe(201);
    await client.post('/api/v1/compliance/recompute');
    expect(await statusOf(client, control.id)).toMatchObject({ status: 'compliant' });

    // A disabled rule does not count: with no other evidence the control is uncovered.
    const rule = created.json();
    const disabled = await client.patch(`/api/v1/compliance-rules/${rule.id}`, {
      enabled: false,
      version: rule.version,
    });
    expect(disabled.statusCode).toBe(200);
    expect(await statusOf(client, control.id)).toMatchObject({ status: 'uncovered', ruleResults: [] });
  });

  it('count live evidence links, and take the worst of several rules', async () => {
    const { client, control } = await setup();
    const rule = await client.post('/api/v1/compliance-rules', {
      controlId: control.id,
      name: 'Two witnesses',
      ruleType: 'linked_records',
      criteria: { minimum: 2 },
    });
    expect(rule.statusCode).toBe(201);
    const link = async () => {
      const location = (
        await client.post('/api/v1/locations', { name: `Site ${randomUUID().slice(0, 8)}` })
      ).json();
      const response = await client.post('/api/v1/compliance-links', {
        controlId: control.id,
        linkableType: 'location',
        linkableId: location.id,
        justification: 'Badge readers at the door',
      });
      expect(response.statusCode).toBe(201);
    };
    await link();
    expect(await statusOf(client, control.id)).toMatchObject({
      status: 'non_compliant',
      statusReason: 'Two witnesses: 1 linked record, 2 required',
    });
    await link();
    expect((await statusOf(client, control.id)).status).toBe('compliant');

    await client.post('/api/v1/compliance-rules', {
      controlId: control.id,
      name: 'Inventory taken',
      ruleType: 'recent_record',
      criteria: { entityType: 'asset_inventory', dateField: 'createdAt' },
    });
    const both = await statusOf(client, control.id);
    expect(both.status).toBe('non_compliant');
    expect(both.statusReason).toBe('Inventory taken: no matching record (worst of 2 rules)');
    expect(both.ruleResults.map((r) => r.status).sort()).toEqual(['compliant', 'non_compliant']);

    // Deleting a rule (administrators) moves the status at once.
    const rules = (await client.get(`/api/v1/compliance-rules?controlId=${control.id}&q=Inventory`)).json()
      .data;
    expect(
      (await client.delete(`/api/v1/compliance-rules/${rules[0].id}`, { 'if-match': '"1"' })).statusCode,
    ).toBe(204);
    expect((await statusOf(client, control.id)).status).toBe('compliant');
  });

  it('refuse criteria that name no record type, no date field or an unknown filter value', async () => {
    const { client, control } = await setup();
    const create = (criteria: unknown, ruleType = 'recent_record') =>
      client.post('/api/v1/compliance-rules', { controlId: control.id, name: 'Bad', ruleType, criteria });
    expect((await create({ entityType: 'spaceship' })).json().errors).toEqual([
      { path: 'criteria.entityType', message: 'is not a record type' },
    ]);
    const badDate = (await create({ entityType: 'maintenance_log', dateField: 'cost' })).json().errors;
    expect(badDate[0].path).toBe('criteria.dateField');
    expect(badDate[0].message).toContain('eventDate');
    const badFilter = (
      await create({ entityType: 'maintenance_log', filters: { status: 'finished' } })
    ).json().errors;
    expect(badFilter[0].path).toBe('criteria.filters.status');
    const unknownFilter = (await create({ entityType: 'maintenance_log', filters: { colour: 'red' } })).json()
      .errors;
    expect(unknownFilter[0].path).toContain('criteria.filters');
    expect((await create({ minimum: 0 }, 'linked_records')).json().errors[0].path).toBe('criteria.minimum');

    // What a rule finds is copied into audits: its author must be able to read that type.
    const { client: narrow } = await signedIn(t, { grants: { compliance: 'write' } });
    const unreadable = await narrow.post('/api/v1/compliance-rules', {
      controlId: control.id,
      name: 'People',
      ruleType: 'recent_record',
      criteria: { entityType: 'user' },
    });
    expect(unreadable.json().errors).toEqual([
      { path: 'criteria.entityType', message: 'is a record type you cannot read' },
    ]);
  });
});
