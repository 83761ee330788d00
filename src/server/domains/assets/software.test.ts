import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildGroup, buildUser, signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';
import { updateRecord } from '../../platform/audit/write';
import { inTransaction } from '../../platform/http/context';
import { assetEntity } from './assets.entity';
import { releaseAllSeatsOf } from './licenses.service';
import { licenses } from './software.table';

const t = sharedTestContext();
const KEY = 'ABCDE-12345-FGHIJ-67890-SECRET';

const unique = () => randomUUID().slice(0, 8);

async function setup() {
  const { client, user } = await signedIn(t, { grants: { core_inventory: 'write' } });
  const product = (
    await client.post('/api/v1/software', { name: `Office ${unique()}`, publisher: 'Acme' })
  ).json();
  return { client, user, product };
}

async function createLicense(client: Client, softwareId: string, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/licenses', {
    softwareId,
    name: `Licence ${unique()}`,
    ...body,
  });
  if (response.statusCode !== 201) throw new Error(`licence not created: ${response.body}`);
  return response.json();
}

describe('software catalogue', () => {
  it('keeps names unique ignoring case, and an owner is a person or a group, not both', async () => {
    const { client, product } = await setup();
    const twin = await client.post('/api/v1/software', { name: product.name.toUpperCase() });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().errors[0].path).toBe('name');

    const person = await buildUser(t, { loginEnabled: false });
    const group = await buildGroup(t);
    const both = await client.post('/api/v1/software', {
      name: `Both ${unique()}`,
      ownerUserId: person.id,
      ownerGroupId: group.id,
    });
    expect(both.statusCode).toBe(422);
    expect(both.json().errors).toEqual([
      { path: 'ownerGroupId', message: 'an owner is a person or a group, not both' },
    ]);
    const owned = await client.post('/api/v1/software', {
      name: `Owned ${unique()}`,
      ownerGroupId: group.id,
    });
    expect(owned.json()).toMatchObject({ ownerGroupId: group.id, ownerUserId: null });
    const gone = await buildUser(t, { loginEnabled: false, isArchived: true });
    const archivedOwner = await client.patch(`/api/v1/software/${owned.json().id}`, {
      ownerGroupId: null,
      ownerUserId: gone.id,
      version: 1,
    });
    expect(archivedOwner.json().errors).toEqual([{ path: 'ownerUserId', message: 'is archived' }]);
  });
});

describe('licence keys', () => {
  it('stores the key encrypted, never answers it, and reveals it once asked, audited', async () => {
    const { client, product } = await setup();
    const created = await createLicense(client, product.id, { key: KEY, seats: 3 });
    expect(created).toMatchObject({ hasKey: true, seats: 3, seatsUsed: 0, seatsAvailable: 3 });
    expect(JSON.stringify(created)).not.toContain(KEY);

    // At rest: ciphertext only.
    const [raw] = await t.database.db.select().from(licenses).where(eq(licenses.id, created.id));
    expect(raw!.keyCiphertext).toMatch(/^v1\./);
    expect(raw!.keyCiphertext).not.toContain(KEY);

    // Nowhere the record travels: detail, list, export, search, audit diffs.
    const answers = await Promise.all([
      client.get(`/api/v1/licenses/${created.id}`),
      client.get(`/api/v1/licenses?softwareId=${product.id}`),
      client.get(`/api/v1/licenses/export.csv?softwareId=${product.id}`),
      client.get(`/api/v1/search?q=${encodeURIComponent(created.name)}`),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.body).not.toContain(KEY);
      expect(answer.body).not.toContain(raw!.keyCiphertext);
    }
    expect(answers[2]!.body.split('\r\n')[0]).toContain('hasKey');
    expect(answers[3]!.json().data.map((hit: { id: string }) => hit.id)).toContain(created.id);

    // Nothing to send: no body at all is fine too.
    const reveal = await client.raw('POST', `/api/v1/licenses/${created.id}/reveal-key`, undefined);
    expect(reveal.statusCode).toBe(200);
    expect(reveal.json()).toEqual({ data: { key: KEY } });
    expect(reveal.headers['cache-control']).toBe('no-store');

    const replaced = await client.patch(`/api/v1/licenses/${created.id}`, {
      key: 'NEW-KEY-0001',
      version: 1,
    });
    expect(replaced.statusCode).toBe(200);
    expect((await client.post(`/api/v1/licenses/${created.id}/reveal-key`)).json().data.key).toBe(
      'NEW-KEY-0001',
    );

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const trail = await auditEntries(admin, { entityId: created.id });
    expect(trail.map((e) => e.action)).toEqual(['INSERT', 'REVEAL', 'UPDATE', 'REVEAL']);
    const everything = JSON.stringify(trail);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('NEW-KEY-0001');
    expect(everything).not.toContain(raw!.keyCiphertext);
    expect(trail[0]!.changes.keyCiphertext).toBe('[redacted]');
    expect(trail[1]).toMatchObject({ changes: { revealed: 'key' }, actorLabel: expect.any(String) });
    expect(trail[2]!.changes).toEqual({ keyCiphertext: { old: '[redacted]', new: '[redacted]' } });
    const history = await client.get(`/api/v1/licenses/${created.id}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body).not.toContain('NEW-KEY-0001');
    // The reveal rows join the hash chain like any other.
    const verify = await admin.get('/api/v1/audit-log/verify');
    expect(verify.json()).toMatchObject({ intact: true, firstBroken: null });
  });

  it('treats the same key sent again as no change, removes it with null, and has nothing to reveal then', async () => {
    const { client, product } = await setup();
    const created = await createLicense(client, product.id, { key: KEY });
    const same = await client.patch(`/api/v1/licenses/${created.id}`, { key: KEY, version: 1 });
    expect(same.json().version).toBe(1);
    const cleared = await client.patch(`/api/v1/licenses/${created.id}`, { key: null, version: 1 });
    expect(cleared.json()).toMatchObject({ hasKey: false, version: 2 });
    const reveal = await client.post(`/api/v1/licenses/${created.id}/reveal-key`);
    expect(reveal.statusCode).toBe(404);
    expect(reveal.json().detail).toBe('This licence has no key stored.');
  });

  it('describes the key to the web app as a write-only field', async () => {
    const { client } = await setup();
    const meta = (await client.get('/api/v1/meta/entities/license')).json();
    const key = meta.fields.find((field: { name: string }) => field.name === 'key');
    expect(key).toMatchObject({
      writeOnly: true,
      secret: true,
      creatable: true,
      updatable: true,
      maxLength: 4000,
    });
    const hasKey = meta.fields.find((field: { name: string }) => field.name === 'hasKey');
    expect(hasKey).toMatchObject({ kind: 'boolean', creatable: false });
    expect(hasKey.writeOnly).toBeUndefined();
  });

  it('lets only writers reveal a key: a reader (or an auditor) cannot', async () => {
    const { client, product } = await setup();
    const created = await createLicense(client, product.id, { key: KEY });
    const { client: reader } = await signedIn(t, { grants: { core_inventory: 'read' } });
    expect((await reader.get(`/api/v1/licenses/${created.id}`)).statusCode).toBe(200);
    expect((await reader.post(`/api/v1/licenses/${created.id}/reveal-key`)).statusCode).toBe(403);
    const { client: auditor } = await signedIn(t, { role: 'auditor' });
    expect((await auditor.post(`/api/v1/licenses/${created.id}/reveal-key`)).statusCode).toBe(403);
  });
});

describe('licence rules', () => {
  it('checks dates, cost and seats, naming the field', async () => {
    const { client, product } = await setup();
    const bad = await client.post('/api/v1/licenses', {
      softwareId: product.id,
      name: 'Backwards',
      purchaseDate: '2025-05-01',
      expiryDate: '2025-04-30',
      cost: '120.00',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { path: 'expiryDate', message: 'cannot be before the purchase date' },
      { path: 'currency', message: 'is required with a cost' },
    ]);
    const noSeats = await client.post('/api/v1/licenses', { softwareId: product.id, name: 'None', seats: 0 });
    expect(noSeats.statusCode).toBe(400);
    expect(noSeats.json().errors[0].path).toBe('seats');
    const missing = await client.post('/api/v1/licenses', { softwareId: randomUUID(), name: 'Orphan' });
    expect(missing.json().errors).toEqual([{ path: 'softwareId', message: 'does not exist' }]);
  });
});

describe('licence seats', () => {
  it('assigns seats up to the limit, then answers 409 naming the licence; a release frees one', async () => {
    const { client, product } = await setup();
    const licence = await createLicense(client, product.id, { seats: 2, name: `Design suite ${unique()}` });
    const [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => buildUser(t, { loginEnabled: false })));
    const first = await client.post(`/api/v1/licenses/${licence.id}/assignments`, {
      userId: alice!.id,
      notes: 'design team',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ userId: alice!.id, holderName: alice!.name, releasedAt: null });
    expect((await client.get(`/api/v1/licenses/${licence.id}`)).json()).toMatchObject({
      status: 'in_use',
      seatsUsed: 1,
      seatsAvailable: 1,
    });

    const twice = await client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: alice!.id });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors).toEqual([
      { path: 'userId', message: 'already holds a seat of this licence' },
    ]);

    expect(
      (await client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: bob!.id })).statusCode,
    ).toBe(201);
    const full = await client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: carol!.id });
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({
      detail: `All 2 seats of ${licence.name} are in use.`,
      seats: 2,
      seatsUsed: 2,
    });

    const lower = await client.patch(`/api/v1/licenses/${licence.id}`, { seats: 1, version: 1 });
    expect(lower.statusCode).toBe(422);
    expect(lower.json().errors).toEqual([
      { path: 'seats', message: '2 seats are in use: release some before lowering it' },
    ]);
    expect((await client.post(`/api/v1/licenses/${licence.id}/archive`, {})).statusCode).toBe(422);

    const released = await client.post(
      `/api/v1/licenses/${licence.id}/assignments/${first.json().id}/release`,
      { notes: 'left the team' },
    );
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ notes: 'design team\nReleased: left the team' });
    expect(released.json().releasedAt).not.toBeNull();
    const again = await client.post(
      `/api/v1/licenses/${licence.id}/assignments/${first.json().id}/release`,
      {},
    );
    expect(again.statusCode).toBe(409);

    expect(
      (await client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: carol!.id })).statusCode,
    ).toBe(201);
    const seats = (await client.get(`/api/v1/licenses/${licence.id}/assignments?pageSize=2`)).json();
    expect(seats).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(seats.data.map((s: { releasedAt: string | null }) => s.releasedAt)).toEqual([null, null]);
    const past = (await client.get(`/api/v1/licenses/${licence.id}/assignments?state=released`)).json();
    expect(past.data.map((s: { userId: string }) => s.userId)).toEqual([alice!.id]);
    // Seats in use may now go down to what is used.
    expect((await client.patch(`/api/v1/licenses/${licence.id}`, { seats: 2, version: 1 })).statusCode).toBe(
      200,
    );
  });

  it('gives the last seat to exactly one of two concurrent requests', async () => {
    const { client, product } = await setup();
    const { client: other } = await signedIn(t, { grants: { core_inventory: 'write' } });
    for (let round = 0; round < 3; round++) {
      const licence = await createLicense(client, product.id, { seats: 1 });
      const [a, b] = await Promise.all([1, 2].map(() => buildUser(t, { loginEnabled: false })));
      const responses = await Promise.all([
        client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: a!.id }),
        other.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: b!.id }),
      ]);
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.statusCode === 409)!.json().detail).toBe(
        `The only seat of ${licence.name} is in use.`,
      );
      const open = (await client.get(`/api/v1/licenses/${licence.id}/assignments?state=open`)).json();
      expect(open.total).toBe(1);
    }
  });

  it('refuses an expired or archived licence and an archived or disposed holder', async () => {
    const { client, product } = await setup();
    const person = await buildUser(t, { loginEnabled: false });
    const expired = await createLicense(client, product.id, {
      purchaseDate: '2020-01-01',
      expiryDate: '2020-12-31',
    });
    expect(expired.status).toBe('expired');
    const late = await client.post(`/api/v1/licenses/${expired.id}/assignments`, { userId: person.id });
    expect(late.statusCode).toBe(422);
    expect(late.json().errors[0]).toEqual({
      path: 'expiryDate',
      message: 'the licence expired on 2020-12-31: renew it first',
    });

    const shelved = await createLicense(client, product.id);
    await client.post(`/api/v1/licenses/${shelved.id}/archive`, {});
    const archived = await client.post(`/api/v1/licenses/${shelved.id}/assignments`, { userId: person.id });
    expect(archived.statusCode).toBe(422);

    const licence = await createLicense(client, product.id, { seats: 5 });
    const leaver = await buildUser(t, { loginEnabled: false, isArchived: true });
    const gone = await client.post(`/api/v1/licenses/${licence.id}/assignments`, { userId: leaver.id });
    expect(gone.json().errors).toEqual([{ path: 'userId', message: 'is archived' }]);
    const neither = await client.post(`/api/v1/licenses/${licence.id}/assignments`, {});
    expect(neither.json().errors[0].path).toBe('userId');

    // Disposed by the disposal workflow elsewhere; here its outcome is set straight through the write path.
    const asset = (
      await client.post('/api/v1/assets', { name: 'Old workstation', assetTag: `SW-${unique()}` })
    ).json();
    await inTransaction(t.system, (tx) => updateRecord(tx, assetEntity, asset.id, { status: 'disposed' }));
    const disposed = await client.post(`/api/v1/licenses/${licence.id}/assignments`, { assetId: asset.id });
    expect(disposed.json().errors).toEqual([{ path: 'assetId', message: 'is disposed' }]);
    expect((await client.get(`/api/v1/licenses/${licence.id}`)).json().seatsUsed).toBe(0);
  });

  it('derives the status, and filters the list by it and by software and expiry', async () => {
    const { client, product } = await setup();
    const person = await buildUser(t, { loginEnabled: false });
    const free = await createLicense(client, product.id, { expiryDate: '2999-01-01' });
    const used = await createLicense(client, product.id, { seats: 10 });
    const expired = await createLicense(client, product.id, { expiryDate: '2021-06-30' });
    await client.post(`/api/v1/licenses/${used.id}/assignments`, { userId: person.id });
    const ids = (query: string) =>
      client.get(`/api/v1/licenses?softwareId=${product.id}&${query}`).then((r) =>
        r
          .json()
          .data.map((l: { id: string }) => l.id)
          .sort(),
      );
    expect(await ids('status=available')).toEqual([free.id]);
    expect(await ids('status=in_use')).toEqual([used.id]);
    expect(await ids('status=expired,in_use')).toEqual([used.id, expired.id].sort());
    expect(await ids('expiryDateTo=2022-01-01')).toEqual([expired.id]);
    const listed = (await client.get(`/api/v1/licenses?softwareId=${product.id}&status=in_use`)).json();
    expect(listed).toMatchObject({ total: 1, data: [{ seatsUsed: 1, seatsAvailable: 9, status: 'in_use' }] });
    expect((await client.get('/api/v1/licenses?status=full')).statusCode).toBe(400);
  });

  it("lists a person's seats and releases all of them for a leaver, leaving seats on assets", async () => {
    const { client, product } = await setup();
    const leaver = await buildUser(t, { loginEnabled: false });
    const office = await createLicense(client, product.id, { seats: 3, name: `A office ${unique()}` });
    const cad = await createLicense(client, product.id, { seats: 3, name: `B cad ${unique()}` });
    const asset = (await client.post('/api/v1/assets', { name: 'Kiosk', assetTag: `K-${unique()}` })).json();
    await client.post(`/api/v1/licenses/${office.id}/assignments`, { userId: leaver.id });
    await client.post(`/api/v1/licenses/${cad.id}/assignments`, { userId: leaver.id });
    await client.post(`/api/v1/licenses/${cad.id}/assignments`, { assetId: asset.id });

    const held = (await client.get(`/api/v1/users/${leaver.id}/license-seats`)).json().data;
    expect(held.map((s: { licenseName: string }) => s.licenseName)).toEqual([office.name, cad.name]);
    expect(held[0]).toMatchObject({ softwareId: product.id, softwareName: product.name });
    expect((await client.get(`/api/v1/users/${randomUUID()}/license-seats`)).statusCode).toBe(404);

    const released = await inTransaction(t.system, (tx) =>
      releaseAllSeatsOf(tx, leaver.id, 'left the company'),
    );
    expect(released).toBe(2);
    expect((await client.get(`/api/v1/users/${leaver.id}/license-seats`)).json().data).toEqual([]);
    expect((await client.get(`/api/v1/licenses/${cad.id}`)).json().seatsUsed).toBe(1);
    expect(await inTransaction(t.system, (tx) => releaseAllSeatsOf(tx, leaver.id, null))).toBe(0);
    const past = (await client.get(`/api/v1/licenses/${office.id}/assignments`)).json().data;
    expect(past[0].notes).toBe('Released: left the company');
  });
});
