import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditEntries, buildUser, signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';

const t = sharedTestContext();

const MiB = 1024 * 1024;

/** Every stored file (content-addressed, under <dataDir>/files/<xx>/<sha256>). */
async function storedFiles(): Promise<string[]> {
  const root = path.join(t.config.dataDir, 'files');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name)).map((e) => e.name);
}

describe('attachments', () => {
  it('stores an upload within the limit and serves it back as a download', async () => {
    expect(t.config.maxUploadBytes).toBe(MiB);
    const { client, user: uploader } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const content = Buffer.from('id,name\n1,Ada\n2,Grace\n');
    const sha256 = createHash('sha256').update(content).digest('hex');

    const uploaded = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'team.csv',
      content,
      contentType: 'text/csv',
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const attachment = uploaded.json();
    expect(attachment).toMatchObject({
      filename: 'team.csv',
      contentType: 'text/csv',
      sizeBytes: content.length,
      sha256,
      createdBy: uploader.id,
    });
    expect((await client.get(`/api/v1/users/${person.id}`)).json().attachments).toEqual([attachment]);

    const download = await client.get(`/api/v1/users/${person.id}/attachments/${attachment.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="team.csv"/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-type']).toContain('text/csv');

    const { client: admin } = await signedIn(t, { role: 'admin' });
    const [insert] = await auditEntries(admin, { entityId: attachment.id });
    expect(insert).toMatchObject({ action: 'INSERT', entityType: 'attachment', actorId: uploader.id });
  });

  it('serves the type the server decides, whatever the client claimed', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const uploaded = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: '..\\..\\notes.txt',
      content: '<script>alert(1)</script>',
      contentType: 'application/octet-stream',
    });
    expect(uploaded.statusCode).toBe(201);
    expect(uploaded.json()).toMatchObject({ filename: 'notes.txt', contentType: 'text/plain' });
  });

  it('refuses a file over the limit with 413, and keeps nothing of it', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const before = await storedFiles();
    for (const size of [MiB + 100, 3 * MiB]) {
      const response = await client.upload(`/api/v1/users/${person.id}/attachments`, {
        filename: 'big.pdf',
        content: Buffer.alloc(size, 7),
        contentType: 'application/pdf',
      });
      expect(response.statusCode, `${size} bytes`).toBe(413);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await client.get(`/api/v1/users/${person.id}/attachments`)).json().data).toEqual([]);
    expect(await storedFiles()).toEqual(before);
    // Exactly at the limit is accepted.
    const atLimit = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'limit.pdf',
      content: Buffer.alloc(MiB, 8),
      contentType: 'application/pdf',
    });
    expect(atLimit.statusCode).toBe(201);
  });

  it('refuses HTML and SVG (and active content under any name) with 415', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    for (const file of [
      { filename: 'page.html', contentType: 'text/html' },
      { filename: 'logo.svg', contentType: 'image/svg+xml' },
      { filename: 'page.HTM', contentType: 'text/plain' },
      { filename: 'innocent.txt', contentType: 'text/html' },
      { filename: 'no-extension', contentType: 'text/plain' },
    ]) {
      const response = await client.upload(`/api/v1/users/${person.id}/attachments`, {
        ...file,
        content: '<svg onload="alert(1)"/>',
      });
      expect(response.statusCode, file.filename).toBe(415);
      expect(response.json().errors[0].path).toBe('file');
    }
    expect((await client.get(`/api/v1/users/${person.id}/attachments`)).json().data).toEqual([]);
  });

  it('refuses an empty file and a request that is not multipart', async () => {
    const { client } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const empty = await client.upload(`/api/v1/users/${person.id}/attachments`, {
      filename: 'empty.txt',
      content: '',
    });
    expect(empty.statusCode).toBe(400);
    expect((await client.post(`/api/v1/users/${person.id}/attachments`, { file: 'x' })).statusCode).toBe(415);
  });

  it('requires read access to the owning record to download, and write access to upload or delete', async () => {
    const { client: writer } = await signedIn(t, { grants: { hr_people: 'write' } });
    const person = await buildUser(t);
    const attachment = (
      await writer.upload(`/api/v1/users/${person.id}/attachments`, {
        filename: 'contract.pdf',
        content: '%PDF-1.4',
      })
    ).json();
    const url = `/api/v1/users/${person.id}/attachments/${attachment.id}`;

    const { client: outsider } = await signedIn(t, { grants: { finance: 'write' } });
    expect((await outsider.get(`${url}/download`)).statusCode).toBe(403);
    expect((await outsider.get(`/api/v1/users/${person.id}/attachments`)).statusCode).toBe(403);

    const { client: reader } = await signedIn(t, { grants: { hr_people: 'read' } });
    expect((await reader.get(`${url}/download`)).statusCode).toBe(200);
    expect(
      (await reader.upload(`/api/v1/users/${person.id}/attachments`, { filename: 'x.txt', content: 'x' }))
        .statusCode,
    ).toBe(403);
    expect((await reader.delete(url)).statusCode).toBe(403);

    // An attachment is reachable only through its own record.
    const other = await buildUser(t);
    expect(
      (await reader.get(`/api/v1/users/${other.id}/attachments/${attachment.id}/download`)).statusCode,
    ).toBe(404);

    expect((await writer.delete(url)).statusCode).toBe(204);
    expect((await reader.get(`${url}/download`)).statusCode).toBe(404);
  });
});
