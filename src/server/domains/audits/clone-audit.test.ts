import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedIn } from '../../../../test/factories';
import { type Client, sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

interface Evidence {
  source: string;
  recordId: string | null;
  displayName: string;
  justification: string | null;
  recordJson: { city?: string } | null;
}

async function evidenceByRef(client: Client, auditId: string): Promise<Record<string, Evidence[]>> {
  const items = (await client.get(`/api/v1/audits/${auditId}/items?pageSize=200`)).json().data as Array<{
    refId: string;
    evidence: Evidence[];
  }>;
  return Object.fromEntries(items.map((item) => [item.refId, item.evidence]));
}

describe('cloning an audit', () => {
  it('carries the evidence added during it, re-frozen, without what is gone and without duplicates', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const framework = (await client.post('/api/v1/frameworks', { name: `Cloned ${randomUUID()}` })).json();
    const control = async (refId: string) =>
      (
        await client.post('/api/v1/controls', { frameworkId: framework.id, refId, title: `Control ${refId}` })
      ).json();
    const first = await control('C-1');
    await control('C-2');
    const location = async (name: string) =>
      (
        await client.post('/api/v1/locations', {
          name: `${name} ${randomUUID().slice(0, 6)}`,
          city: 'Lisbon',
        })
      ).json();
    const [linked, archive, closed] = [
      await location('Linked'),
      await location('Archive'),
      await location('Closed'),
    ];
    await client.post('/api/v1/compliance-links', {
      controlId: first.id,
      linkableType: 'location',
      linkableId: linked.id,
      justification: 'Linked live',
    });
    const audit = (
      await client.post('/api/v1/audits', {
        name: 'Year one',
        frameworkId: framework.id,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
      })
    ).json();
    const items = (await client.get(`/api/v1/audits/${audit.id}/items`)).json().data as Array<{
      id: string;
      refId: string;
    }>;
    const itemId = (refId: string) => items.find((item) => item.refId === refId)!.id;
    const add = async (refId: string, body: Record<string, unknown>) => {
      const added = await client.post(`/api/v1/audits/${audit.id}/items/${itemId(refId)}/evidence`, body);
      expect(added.statusCode, added.body).toBe(201);
    };
    const record = (id: string, justification: string) => ({
      recordType: 'location',
      recordId: id,
      justification,
    });
    await add('C-1', record(archive.id, 'Where the paper records are'));
    await add('C-1', record(archive.id, 'Added twice by mistake'));
    await add('C-1', record(linked.id, 'Also linked live'));
    await add('C-1', record(closed.id, 'Closed since'));
    await add('C-1', { title: 'Phone call with the facility manager', note: 'Confirmed the badge readers.' });
    await add('C-2', record(archive.id, 'The same room, for another control'));

    // Between the audits: one record moves, another is archived.
    await client.patch(`/api/v1/locations/${archive.id}`, { city: 'Porto', version: archive.version });
    await client.post(`/api/v1/locations/${closed.id}/archive`, { version: closed.version });

    const clone = await client.post(`/api/v1/audits/${audit.id}/clone`);
    expect(clone.statusCode, clone.body).toBe(201);
    const next = await evidenceByRef(client, clone.json().id);
    const summary = (evidence: Evidence[]) =>
      evidence.map((e) => [e.source, e.recordId, e.justification, e.recordJson?.city ?? null]);
    expect(summary(next['C-1']!)).toEqual([
      ['link', linked.id, 'Linked live', 'Lisbon'],
      ['added', archive.id, 'Where the paper records are', 'Porto'],
    ]);
    expect(summary(next['C-2']!)).toEqual([
      ['added', archive.id, 'The same room, for another control', 'Porto'],
    ]);

    // The previous audit keeps what it froze, as it froze it.
    const before = await evidenceByRef(client, audit.id);
    expect(before['C-1']!.filter((e) => e.recordId === archive.id).map((e) => e.recordJson?.city)).toEqual([
      'Lisbon',
      'Lisbon',
    ]);
    expect(before['C-1']).toHaveLength(6);
  });
});
