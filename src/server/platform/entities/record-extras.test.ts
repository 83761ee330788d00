import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildGroup, buildTag, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

/**
 * Counts the statements the app sends to PostgreSQL while `fn` runs, by watching the client every
 * Drizzle query goes through (the pool, or PGlite): the calls still reach the database.
 */
async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
  const client = (
    t.database.db as unknown as { session: { client: { query: (...args: unknown[]) => unknown } } }
  ).session.client;
  const query = client.query;
  let statements = 0;
  client.query = function counted(this: unknown, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  };
  try {
    await fn();
  } finally {
    client.query = query;
  }
  return statements;
}

const unique = () => randomUUID().slice(0, 8);

describe('a record detail', () => {
  it('costs the same few statements however many tags, attachments and links the record holds', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const bare = (await client.post('/api/v1/assets', { name: 'Bare', assetTag: `BARE-${unique()}` })).json();
    const full = (await client.post('/api/v1/assets', { name: 'Full', assetTag: `FULL-${unique()}` })).json();
    const tags = await Promise.all([buildTag(t), buildTag(t), buildTag(t)]);
    expect(
      (await client.put(`/api/v1/assets/${full.id}/tags`, { tagIds: tags.map((tag) => tag.id) })).statusCode,
    ).toBe(200);
    for (const name of ['invoice.pdf', 'photo.txt']) {
      const uploaded = await client.upload(`/api/v1/assets/${full.id}/attachments`, {
        filename: name,
        content: `content of ${name}`,
        contentType: 'text/plain',
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
    }
    // Links to records of four types (three outgoing, one incoming), and to a URL.
    const person = await buildUser(t);
    const group = await buildGroup(t);
    const location = (await client.post('/api/v1/locations', { name: `Room ${unique()}` })).json();
    for (const [targetType, targetId] of [
      ['user', person.id],
      ['group', group.id],
      ['location', location.id],
    ]) {
      const linked = await client.post(`/api/v1/assets/${full.id}/links`, { targetType, targetId });
      expect(linked.statusCode, linked.body).toBe(201);
    }
    await client.post(`/api/v1/assets/${bare.id}/links`, { targetType: 'asset', targetId: full.id });
    await client.post(`/api/v1/assets/${full.id}/links`, { url: 'https://vendor.example/warranty' });
    // Custody and maintenance too: the detail must not grow with them either.
    expect((await client.post(`/api/v1/assets/${full.id}/check-out`, { userId: person.id })).statusCode).toBe(
      200,
    );

    // The actor is resolved (and cached) before counting: only the detail's own statements count.
    await client.get(`/api/v1/assets/${bare.id}`);
    await client.get(`/api/v1/assets/${full.id}`);
    let bareDetail: Record<string, unknown> = {};
    let fullDetail: Record<string, unknown> = {};
    const forBare = await statementsDuring(async () => {
      bareDetail = (await client.get(`/api/v1/assets/${bare.id}`)).json();
    });
    const forFull = await statementsDuring(async () => {
      fullDetail = (await client.get(`/api/v1/assets/${full.id}`)).json();
    });
    expect(fullDetail.tags).toHaveLength(3);
    expect(fullDetail.attachments).toHaveLength(2);
    expect(fullDetail.links).toHaveLength(5);
    expect(bareDetail.links).toHaveLength(1);
    // The record, its extras, and the labels of linked records: three, with links or without.
    expect(forFull).toBe(3);
    expect(forBare).toBe(3);
    const none = (await client.post('/api/v1/assets', { name: 'None', assetTag: `NONE-${unique()}` })).json();
    await client.get(`/api/v1/assets/${none.id}`);
    expect(await statementsDuring(() => client.get(`/api/v1/assets/${none.id}`))).toBe(2);

    // The timeline is one statement, whatever the asset went through.
    expect(await statementsDuring(() => client.get(`/api/v1/assets/${full.id}/history`))).toBe(1);
    expect(await statementsDuring(() => client.get(`/api/v1/assets/${none.id}/history`))).toBe(1);
  });

  it('answers what the links, tags and attachments of the record answer on their own', async () => {
    const { client } = await signedIn(t, { role: 'admin' });
    const asset = (
      await client.post('/api/v1/assets', { name: 'Same', assetTag: `SAME-${unique()}` })
    ).json();
    const site = (await client.post('/api/v1/locations', { name: `Site ${unique()}` })).json();
    const tags = [await buildTag(t, { name: `b-${unique()}` }), await buildTag(t, { name: `a-${unique()}` })];
    const applied = await client.put(`/api/v1/assets/${asset.id}/tags`, {
      tagIds: tags.map((tag) => tag.id),
    });
    await client.upload(`/api/v1/assets/${asset.id}/attachments`, { filename: 'a.txt', content: 'a' });
    await client.upload(`/api/v1/assets/${asset.id}/attachments`, { filename: 'b.txt', content: 'b' });
    await client.post(`/api/v1/assets/${asset.id}/links`, { targetType: 'location', targetId: site.id });
    await client.post(`/api/v1/assets/${asset.id}/links`, {
      url: 'https://example.com/doc',
      relation: 'documents',
    });

    const detail = (await client.get(`/api/v1/assets/${asset.id}`)).json();
    expect(detail.tags).toEqual(applied.json().data);
    expect(detail.tags.map((tag: { name: string }) => tag.name)).toEqual([tags[1]!.name, tags[0]!.name]);
    expect(detail.attachments).toEqual(
      (await client.get(`/api/v1/assets/${asset.id}/attachments`)).json().data,
    );
    expect(detail.attachments.map((a: { filename: string }) => a.filename)).toEqual(['a.txt', 'b.txt']);
    expect(detail.links).toEqual((await client.get(`/api/v1/assets/${asset.id}/links`)).json().data);
    expect(detail.links).toEqual([
      expect.objectContaining({ otherType: 'location', otherId: site.id, otherLabel: site.name }),
      expect.objectContaining({ url: 'https://example.com/doc', relation: 'documents', otherLabel: null }),
    ]);
    expect(detail.links[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
