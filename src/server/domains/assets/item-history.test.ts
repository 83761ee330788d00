import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { queryRows } from '../../db/client';
import { type AuditedTable, insertRecord } from '../../platform/audit/write';
import { inTransaction } from '../../platform/http/context';
import { assetHistory } from './assets.table';
import { disposals } from './disposals.table';
import { maintenanceLogs } from './maintenance.table';
import { peripheralHistory } from './peripherals.table';

const t = sharedTestContext();

// Maintenance logs and disposals have their own entities and rules; here they are only events.
const maintenanceAudit: AuditedTable<typeof maintenanceLogs> = {
  table: maintenanceLogs,
  entityType: 'maintenance_log',
  label: (row) => row.type,
};
const disposalAudit: AuditedTable<typeof disposals> = {
  table: disposals,
  entityType: 'disposal',
  label: (row) => row.method,
};

async function setup() {
  const { client, user } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const asset = (
    await client.post('/api/v1/assets', {
      name: 'Laptop',
      assetTag: `H-${randomUUID().slice(0, 8)}`,
      cost: '1200.00',
      currency: 'EUR',
    })
  ).json();
  return { client, user, asset };
}

/**
 * The history rows of an item, oldest first. Read as raw rows: Drizzle's JSONB mapping would parse
 * a stored string that looks like a number ("1200.00") a second time.
 */
function historyRows(entityId: string, table = assetHistory) {
  return queryRows<{
    field: string;
    oldValue: unknown;
    newValue: unknown;
    note: string | null;
    effectiveAt: Date;
  }>(
    t.database.db,
    sql`select ${table.field} as "field", ${table.oldValue} as "oldValue", ${table.newValue} as "newValue",
      ${table.note} as "note", ${table.effectiveAt} as "effectiveAt"
    from ${table} where ${table.entityId} = ${entityId} order by ${table.id}`,
  );
}

describe('asset history rows', () => {
  it('records nothing at creation (the audit log has it), then one row per changed field of each edit', async () => {
    const { client, asset } = await setup();
    const created = await historyRows(asset.id);
    expect(created).toEqual([]);

    const edited = await client.patch(`/api/v1/assets/${asset.id}`, {
      name: 'Laptop 14"',
      cost: '1100.00',
      currency: 'EUR',
      critical: true,
      version: 1,
    });
    expect(edited.statusCode).toBe(200);
    const after = (await historyRows(asset.id)).slice(created.length);
    expect(after.map((r) => [r.field, r.oldValue, r.newValue])).toEqual([
      ['name', 'Laptop', 'Laptop 14"'],
      ['critical', false, true],
      ['cost', '1200.00', '1100.00'],
    ]);
    // One write, one moment: the timeline groups the rows by it.
    expect(new Set(after.map((r) => new Date(r.effectiveAt).toISOString())).size).toBe(1);

    // A no-op edit writes nothing.
    await client.patch(`/api/v1/assets/${asset.id}`, { name: 'Laptop 14"', version: 2 });
    expect(await historyRows(asset.id)).toHaveLength(created.length + 3);
  });

  it('records check-out and check-in: status and holder, as they changed', async () => {
    const { client, asset } = await setup();
    const person = await buildUser(t, { loginEnabled: false });
    await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
    await client.post(`/api/v1/assets/${asset.id}/check-in`, { notes: 'fine' });
    const rows = (await historyRows(asset.id)).filter((r) => r.note !== 'created');
    expect(rows.map((r) => [r.field, r.oldValue, r.newValue])).toEqual([
      ['status', 'in_stock', 'in_use'],
      ['holderId', null, person.id],
      ['status', 'in_use', 'in_stock'],
      ['holderId', person.id, null],
    ]);
  });
});

describe('GET /api/v1/assets/:id/history (the timeline)', () => {
  it('merges changes, custody, maintenance and disposal, newest first, naming who did each', async () => {
    const { client, user, asset } = await setup();
    const person = await buildUser(t, { loginEnabled: false, name: 'Holder Person' });
    await client.post(`/api/v1/assets/${asset.id}/check-out`, {
      userId: person.id,
      expectedReturnDate: '2999-12-31',
      notes: 'for the trip',
    });
    await client.post(`/api/v1/assets/${asset.id}/check-in`, { notes: 'dented' });
    await inTransaction(t.system, (tx) =>
      insertRecord(tx, maintenanceAudit, {
        assetId: asset.id,
        type: 'repair',
        eventDate: '2030-01-02',
        description: 'new hinge',
      }),
    );
    await client.patch(`/api/v1/assets/${asset.id}`, { status: 'awaiting_disposal', version: 3 });
    await inTransaction(t.system, (tx) =>
      insertRecord(tx, disposalAudit, {
        assetId: asset.id,
        disposedOn: '2030-02-01',
        method: 'sold',
        proceeds: '80.50',
        currency: 'EUR',
      }),
    );

    const response = await client.get(`/api/v1/assets/${asset.id}/history`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ page: 1, pageSize: 25, total: 8 });
    expect(body.data.map((e: { kind: string }) => e.kind)).toEqual([
      'disposal',
      'changed',
      'maintenance',
      'changed',
      'check_in',
      'changed',
      'check_out',
      'created',
    ]);
    const [disposal, status, repair, back, checkIn, out, checkOut, created] = body.data;
    expect(disposal).toMatchObject({ method: 'sold', proceeds: '80.50', disposedOn: '2030-02-01' });
    // The system recorded the maintenance and the disposal; people did the rest.
    expect(disposal).toMatchObject({ actorId: null, actorName: null });
    expect(status).toMatchObject({
      actorId: user.id,
      actorName: user.name,
      changes: [{ field: 'status', oldValue: 'in_stock', newValue: 'awaiting_disposal' }],
    });
    expect(repair).toMatchObject({ type: 'repair', eventDate: '2030-01-02', description: 'new hinge' });
    expect(back.changes.map((c: { field: string }) => c.field)).toEqual(['holderId', 'status']);
    expect(checkIn).toMatchObject({ userId: person.id, notes: 'dented', actorName: user.name });
    expect(out.changes).toContainEqual({ field: 'holderId', oldValue: null, newValue: person.id });
    expect(checkOut).toMatchObject({
      userId: person.id,
      locationId: null,
      expectedReturnDate: '2999-12-31',
      notes: 'for the trip',
    });
    // The creation comes from the asset itself: who registered it and when.
    expect(created).toMatchObject({ kind: 'created', id: asset.id, actorId: user.id, changes: [] });
    const times = body.data.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages a long timeline with one statement, however much the asset holds', async () => {
    const { client, asset } = await setup();
    const { asset: quiet } = await setup();
    const person = await buildUser(t, { loginEnabled: false });
    for (let round = 0; round < 12; round++) {
      await client.post(`/api/v1/assets/${asset.id}/check-out`, { userId: person.id });
      await client.post(`/api/v1/assets/${asset.id}/check-in`, {});
    }
    // 1 creation + 12 × (check-out, its change, check-in, its change)
    const first = (await client.get(`/api/v1/assets/${asset.id}/history?pageSize=10`)).json();
    expect(first.total).toBe(49);
    expect(first.data).toHaveLength(10);
    const last = (await client.get(`/api/v1/assets/${asset.id}/history?pageSize=10&page=5`)).json();
    const round = ['changed', 'check_in', 'changed', 'check_out'];
    expect(last.data.map((e: { kind: string }) => e.kind)).toEqual([...round, ...round, 'created']);
    const beyond = (await client.get(`/api/v1/assets/${asset.id}/history?pageSize=10&page=9`)).json();
    expect(beyond).toMatchObject({ data: [], total: 49 });

    const client$ = (t.database.db as unknown as { $client: { query: (...args: unknown[]) => unknown } })
      .$client;
    const spy = vi.spyOn(client$, 'query');
    await client.get(`/api/v1/assets/${quiet.id}/history`);
    const forQuiet = spy.mock.calls.length;
    spy.mockClear();
    await client.get(`/api/v1/assets/${asset.id}/history?pageSize=200`);
    const forBusy = spy.mock.calls.length;
    spy.mockRestore();
    expect(forQuiet).toBeGreaterThan(0);
    expect(forBusy).toBe(forQuiet);
  });

  it('answers 404 for an unknown asset and 403 without inventory access; the audit trail stays', async () => {
    const { client, asset } = await setup();
    expect((await client.get(`/api/v1/assets/${randomUUID()}/history`)).statusCode).toBe(404);
    const { client: outsider } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await outsider.get(`/api/v1/assets/${asset.id}/history`)).statusCode).toBe(403);
    const { client: reader } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await reader.get(`/api/v1/assets/${asset.id}/history`)).statusCode).toBe(200);

    const trail = await reader.get(`/api/v1/assets/${asset.id}/audit-trail`);
    expect(trail.statusCode).toBe(200);
    expect(trail.json().data.map((e: { action: string }) => e.action)).toEqual(['INSERT']);
    // Types without a timeline of their own keep their audit trail at /history as well.
    const person = await buildUser(t, { loginEnabled: false });
    const { client: hr } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await hr.get(`/api/v1/users/${person.id}/history`)).json().data[0].action).toBe('INSERT');
    expect((await hr.get(`/api/v1/users/${person.id}/audit-trail`)).json().data[0].action).toBe('INSERT');
  });
});

describe('peripheral history', () => {
  it('records its fields and serves its timeline, with its custody', async () => {
    const { client } = await signedIn(t, { grants: { core_inventory: 'write' } });
    const person = await buildUser(t, { loginEnabled: false });
    const created = await client.post('/api/v1/peripherals', { name: 'Dock', type: 'dock' });
    expect(created.statusCode).toBe(201);
    const dock = created.json();
    await client.patch(`/api/v1/peripherals/${dock.id}`, { serialNumber: 'SN-DOCK-1', version: 1 });
    await client.post(`/api/v1/peripherals/${dock.id}/check-out`, { userId: person.id });

    const rows = await historyRows(dock.id, peripheralHistory);
    expect(rows.map((r) => r.field)).toEqual(['serialNumber', 'status', 'holderId']);

    const timeline = (await client.get(`/api/v1/peripherals/${dock.id}/history`)).json();
    expect(timeline.data.map((e: { kind: string }) => e.kind)).toEqual([
      'changed',
      'check_out',
      'changed',
      'created',
    ]);
    expect(timeline.data[1]).toMatchObject({ userId: person.id, assetId: null });
    expect((await client.get(`/api/v1/peripherals/${randomUUID()}/history`)).statusCode).toBe(404);
  });
});
