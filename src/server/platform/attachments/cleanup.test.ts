import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { createFileStorage } from './storage';

const t = sharedTestContext();

/** Every stored file (content-addressed, under <dataDir>/files/<xx>/<sha256>). */
async function storedFiles(): Promise<string[]> {
  const root = path.join(t.config.dataDir, 'files');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name)).map((e) => e.name);
}

const sha256Of = (content: string) => createHash('sha256').update(content).digest('hex');

/** Content no other test uses, so the test owns its bytes. */
const uniqueContent = () => `attachment ${randomUUID()}\n`;

/** Uploads whose file is named like this fail inside the database transaction (see beforeAll). */
const FAILING_NAME = 'fails-in-transaction.txt';

describe('attachment bytes', () => {
  beforeAll(async () => {
    // A failure after the bytes are stored: the insert is refused inside the transaction.
    await t.database.db.execute(
      sql.raw(`create function test_refuse_attachment() returns trigger language plpgsql as $$
        begin
          if new.filename = '${FAILING_NAME}' then raise exception 'refused by test trigger'; end if;
          return new;
        end $$`),
    );
    await t.database.db.execute(
      sql.raw(`create trigger test_refuse_attachment before insert on attachments
        for each row execute function test_refuse_attachment()`),
    );
  });

  it('are removed when the last attachment using them is deleted', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const content = uniqueContent();
    const uploaded = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'notes.txt',
      content,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(await storedFiles()).toContain(sha256Of(content));

    const deleted = await client.delete(`/api/v1/users/${person.id}/attachments/${uploaded.json().id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await storedFiles()).not.toContain(sha256Of(content));
  });

  it('stay while another record still uses the same file', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const first = await buildUser(t);
    const second = await buildUser(t);
    const content = uniqueContent();
    const a = await client.upload(`/api/v1/users/${first.id}/attachments`, { filename: 'a.txt', content });
    const b = await client.upload(`/api/v1/users/${second.id}/attachments`, { filename: 'b.txt', content });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().sha256).toBe(b.json().sha256);

    expect((await client.delete(`/api/v1/users/${first.id}/attachments/${a.json().id}`)).statusCode).toBe(
      204,
    );
    expect(await storedFiles()).toContain(sha256Of(content));
    const download = await client.get(`/api/v1/users/${second.id}/attachments/${b.json().id}/download`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.body).toBe(content);

    expect((await client.delete(`/api/v1/users/${second.id}/attachments/${b.json().id}`)).statusCode).toBe(
      204,
    );
    expect(await storedFiles()).not.toContain(sha256Of(content));
  });

  it('stay while the same record has the file twice', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const content = uniqueContent();
    const base = `/api/v1/users/${person.id}/attachments`;
    const a = await client.upload(base, { filename: 'a.txt', content });
    const b = await client.upload(base, { filename: 'copy of a.txt', content });
    expect((await client.delete(`${base}/${a.json().id}`)).statusCode).toBe(204);
    const download = await client.get(`${base}/${b.json().id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(content);
  });

  it('of an upload whose transaction fails are not kept', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const content = uniqueContent();
    const failed = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: FAILING_NAME,
      content,
    });
    expect(failed.statusCode).toBe(500);
    expect(await storedFiles()).not.toContain(sha256Of(content));
    expect((await client.get(`/api/v1/users/${person.id}/attachments`)).json().data).toEqual([]);
  });

  it('of a failed upload stay when another record uses the same file', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const content = uniqueContent();
    const kept = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'kept.txt',
      content,
    });
    expect(kept.statusCode).toBe(201);
    const failed = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: FAILING_NAME,
      content,
    });
    expect(failed.statusCode).toBe(500);
    expect(await storedFiles()).toContain(sha256Of(content));
    const download = await client.get(`/api/v1/users/${person.id}/attachments/${kept.json().id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(content);
  });
});

describe('file storage', () => {
  it('removes a file by its hash, and does not mind one that is already gone', async () => {
    const storage = createFileStorage(path.join(t.config.dataDir, 'storage-unit'));
    const stored = await storage.put(Readable.from([Buffer.from('remove me')]));
    expect(await storage.exists(stored.sha256)).toBe(true);
    await storage.remove(stored.sha256);
    expect(await storage.exists(stored.sha256)).toBe(false);
    await expect(storage.remove(stored.sha256)).resolves.toBeUndefined();
    await expect(storage.remove('../../etc/passwd')).rejects.toThrow('Invalid content address');
  });
});
