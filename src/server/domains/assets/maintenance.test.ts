import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();
const unique = () => randomUUID().slice(0, 8);

async function setup() {
  const { client } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const asset = (await client.post('/api/v1/assets', { name: 'Laptop', assetTag: `M-${unique()}` })).json();
  return { client, asset };
}

type Client = Awaited<ReturnType<typeof setup>>['client'];

async function logRepair(client: Client, body: Record<string, unknown>) {
  return client.post('/api/v1/maintenance-logs', {
    type: 'repair',
    eventDate: '2025-03-01',
    description: 'Keyboard replaced',
    ...body,
  });
}

describe('maintenance logs', () => {
  it('log work on an asset, listed with the asset, newest first, and move open → in progress → completed', async () => {
    const { client, asset } = await setup();
    const technician = await buildUser(t, { loginEnabled: false });
    const older = await logRepair(client, { assetId: asset.id, eventDate: '2025-01-10' });
    expect(older.statusCode).toBe(201);
    const created = await logRepair(client, {
      assetId: asset.id,
      assigneeId: technician.id,
      ticketUrl: 'https://desk.example.com/tickets/42',
      cost: 89.9,
      currency: 'eur',
    });
    expect(created.statusCode).toBe(201);
    const log = created.json();
    expect(log).toMatchObject({
      status: 'open',
      assetId: asset.id,
      peripheralId: null,
      assigneeId: technician.id,
      cost: '89.90',
      currency: 'EUR',
      tags: [],
      attachments: [],
    });
    const listed = (await client.get(`/api/v1/maintenance-logs?assetId=${asset.id}`)).json();
    expect(listed.data.map((l: { id: string }) => l.id)).toEqual([log.id, older.json().id]);

    const move = (status: string, version: number) =>
      client.patch(`/api/v1/maintenance-logs/${log.id}`, { status, version });
    expect((await move('in_progress', 1)).json().status).toBe('in_progress');
    const back = await move('open', 2);
    expect(back.statusCode).toBe(422);
    expect(back.json().errors).toEqual([
      { path: 'status', message: 'a log in progress can become completed, cancelled' },
    ]);
    expect((await move('completed', 2)).json().status).toBe('completed');
    const reopened = await move('cancelled', 3);
    expect(reopened.json().errors).toEqual([{ path: 'status', message: 'a completed log keeps its status' }]);
    // Final is the status only: the invoice may still arrive.
    const invoiced = await client.patch(`/api/v1/maintenance-logs/${log.id}`, { cost: '95.00', version: 3 });
    expect(invoiced.json()).toMatchObject({ cost: '95.00', status: 'completed' });
    const completedOnly = (
      await client.get(`/api/v1/maintenance-logs?assetId=${asset.id}&status=completed`)
    ).json();
    expect(completedOnly.data.map((l: { id: string }) => l.id)).toEqual([log.id]);
  });

  it('may be recorded already completed, never already cancelled', async () => {
    const { client, asset } = await setup();
    expect((await logRepair(client, { assetId: asset.id, status: 'completed' })).json().status).toBe(
      'completed',
    );
    const cancelled = await logRepair(client, { assetId: asset.id, status: 'cancelled' });
    expect(cancelled.statusCode).toBe(422);
    expect(cancelled.json().errors[0]).toEqual({
      path: 'status',
      message: 'a new log starts open, in progress, completed',
    });
  });

  it('concerns exactly one item: an asset or a peripheral, existing and not archived', async () => {
    const { client, asset } = await setup();
    const monitor = (
      await client.post('/api/v1/peripherals', {
        name: 'Monitor',
        type: 'monitor',
        serialNumber: `MO-${unique()}`,
      })
    ).json();
    const neither = await logRepair(client, {});
    expect(neither.statusCode).toBe(422);
    expect(neither.json().errors).toEqual([
      { path: 'assetId', message: 'give the asset (assetId) or the peripheral (peripheralId)' },
    ]);
    const both = await logRepair(client, { assetId: asset.id, peripheralId: monitor.id });
    expect(both.json().errors).toEqual([
      { path: 'peripheralId', message: 'give an asset or a peripheral, not both' },
    ]);
    const unknown = await logRepair(client, { assetId: randomUUID() });
    expect(unknown.json().errors).toEqual([{ path: 'assetId', message: 'does not exist' }]);

    const onMonitor = await logRepair(client, { peripheralId: monitor.id, type: 'cleaning' });
    expect(onMonitor.statusCode).toBe(201);
    // Moving a log to another item: it still has exactly one.
    const moved = await client.patch(`/api/v1/maintenance-logs/${onMonitor.json().id}`, {
      assetId: asset.id,
      version: 1,
    });
    expect(moved.json().errors).toEqual([
      { path: 'peripheralId', message: 'give an asset or a peripheral, not both' },
    ]);
    const fixed = await client.patch(`/api/v1/maintenance-logs/${onMonitor.json().id}`, {
      assetId: asset.id,
      peripheralId: null,
      version: 1,
    });
    expect(fixed.json()).toMatchObject({ assetId: asset.id, peripheralId: null });

    const archived = (await client.post('/api/v1/assets', { name: 'Old', assetTag: `M-${unique()}` })).json();
    await client.post(`/api/v1/assets/${archived.id}/archive`, { version: 1 });
    const onArchived = await logRepair(client, { assetId: archived.id });
    expect(onArchived.json().errors).toEqual([{ path: 'assetId', message: 'is archived' }]);
    const gone = await buildUser(t, { loginEnabled: false, isArchived: true });
    const archivedAssignee = await logRepair(client, { assetId: asset.id, assigneeId: gone.id });
    expect(archivedAssignee.json().errors).toEqual([{ path: 'assigneeId', message: 'is archived' }]);
  });

  it('takes only web addresses as ticket links, and a cost only with its currency', async () => {
    const { client, asset } = await setup();
    for (const ticketUrl of ['javascript:alert(1)', 'ftp://files.example.com/t/1', 'not a url']) {
      const response = await logRepair(client, { assetId: asset.id, ticketUrl });
      expect(response.statusCode, ticketUrl).toBe(400);
      expect(response.json().errors[0].path).toBe('ticketUrl');
    }
    const long = await logRepair(client, {
      assetId: asset.id,
      ticketUrl: `https://desk.example.com/${'a'.repeat(2000)}`,
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].path).toBe('ticketUrl');

    const costOnly = await logRepair(client, { assetId: asset.id, cost: '10.00' });
    expect(costOnly.statusCode).toBe(422);
    expect(costOnly.json().errors).toEqual([{ path: 'currency', message: 'is required with a cost' }]);
    const log = (await logRepair(client, { assetId: asset.id, cost: '10.00', currency: 'USD' })).json();
    const dropCurrency = await client.patch(`/api/v1/maintenance-logs/${log.id}`, {
      currency: null,
      version: 1,
    });
    expect(dropCurrency.json().errors).toEqual([{ path: 'currency', message: 'is required with a cost' }]);
  });

  it('is described for the generic screens, with its references and status values', async () => {
    const { client } = await setup();
    const meta = (await client.get('/api/v1/meta/entities/maintenance_log')).json();
    const field = (name: string) => meta.fields.find((f: { name: string }) => f.name === name);
    expect(field('assetId')).toMatchObject({ reference: 'asset', kind: 'uuid' });
    expect(field('assigneeId')).toMatchObject({ reference: 'user' });
    expect(field('ticketUrl')).toMatchObject({ kind: 'url', maxLength: 2000 });
    expect(field('status').values).toEqual(['open', 'in_progress', 'completed', 'cancelled']);
    expect(meta.features).toMatchObject({
      archivable: true,
      tagged: true,
      attachments: true,
      linkable: true,
    });
    expect(meta.list.sortable).toContain('eventDate');
  });
});
