import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { signedIn } from '../../../../test/factories';
import { sharedTestContext } from '../../../../test/harness';
import { rezip, unzip } from '../../../../test/zip';
import { verifyPack } from './verify-pack';

const t = sharedTestContext();

async function exportedPack() {
  const { client } = await signedIn(t, { role: 'admin' });
  const framework = (await client.post('/api/v1/frameworks', { name: `Pack ${Date.now()}` })).json();
  const control = (
    await client.post('/api/v1/controls', { frameworkId: framework.id, refId: 'P-1', title: 'Backups' })
  ).json();
  const evidence = (
    await client.post('/api/v1/compliance-evidence', {
      controlId: control.id,
      title: 'Restore test',
      evidenceDate: '2026-02-01',
    })
  ).json();
  const content = Buffer.from('restore completed in 14 minutes\n');
  await client.upload(`/api/v1/compliance-evidence/${evidence.id}/attachments`, {
    filename: 'restore-log.txt',
    content,
    contentType: 'text/plain',
  });
  const audit = (
    await client.post('/api/v1/audits', {
      name: 'Backups 2026',
      frameworkId: framework.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    })
  ).json();
  const response = await client.get(`/api/v1/audits/${audit.id}/export`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/zip');
  return {
    client,
    audit,
    zip: response.rawPayload,
    manifestSha256: response.headers['x-manifest-sha256'] as string,
  };
}

describe('the evidence pack', () => {
  it('holds the manifest, its hash, a PDF summary, a rendering of each evidence item and the files', async () => {
    const { client, audit, zip, manifestSha256 } = await exportedPack();
    const entries = await unzip(zip);
    const names = [...entries.keys()];
    expect(names.slice(0, 3)).toEqual(['manifest.json', 'manifest.sha256', 'summary.pdf']);
    expect(names.filter((n) => n.startsWith('evidence/'))).toHaveLength(2);
    const file = names.find((n) => n.startsWith('files/'))!;
    expect(file).toMatch(/^files\/[0-9a-f]{64}\/restore-log\.txt$/);
    expect(entries.get(file)!.toString()).toBe('restore completed in 14 minutes\n');
    expect(entries.get('summary.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest).toMatchObject({
      format: 'opsdeck-evidence-pack/1',
      audit: { id: audit.id, name: 'Backups 2026' },
    });
    expect(manifest.items.map((i: { refId: string }) => i.refId)).toEqual(['P-1']);
    expect(entries.get('manifest.sha256')!.toString()).toBe(`${manifestSha256}  manifest.json\n`);

    // The export is in the audit log with the manifest's hash; the server recognises its pack.
    const trail = (await client.get(`/api/v1/audits/${audit.id}/audit-trail`)).json().data;
    expect(
      trail.some(
        (e: { action: string; changes: { manifestSha256?: string } }) =>
          e.action === 'EXPORT' && e.changes.manifestSha256 === manifestSha256,
      ),
    ).toBe(true);
    const checked = await client.upload('/api/v1/audits/verify-pack', { filename: 'pack.zip', content: zip });
    expect(checked.json().data).toMatchObject({
      ok: true,
      problems: [],
      manifestSha256,
      issued: { auditId: audit.id },
    });
  });

  it('is verified byte for byte: a changed file, a changed manifest, a missing or an extra file is named', async () => {
    const { zip } = await exportedPack();
    expect(await verifyPack(zip)).toMatchObject({ ok: true });
    const entries = await unzip(zip);
    const file = [...entries.keys()].find((n) => n.startsWith('files/'))!;

    const oneByte = new Map(entries);
    const changed = Buffer.from(entries.get(file)!);
    changed[0] = changed[0]! ^ 1;
    oneByte.set(file, changed);
    const byte = await verifyPack(await rezip(oneByte));
    expect(byte.ok).toBe(false);
    expect(byte.problems).toEqual([{ path: file, problem: expect.stringContaining('content differs') }]);

    const rendering = [...entries.keys()].find((n) => n.startsWith('evidence/'))!;
    const forged = new Map(entries);
    forged.set(
      rendering,
      Buffer.from(entries.get(rendering)!.toString().replace('Restore test', 'Restore tost')),
    );
    expect((await verifyPack(await rezip(forged))).problems.map((p) => p.path)).toEqual([rendering]);

    const manifest = new Map(entries);
    manifest.set(
      'manifest.json',
      Buffer.from(entries.get('manifest.json')!.toString().replace('"pending"', '"compliant"')),
    );
    const edited = await verifyPack(await rezip(manifest));
    expect(edited.problems).toEqual([
      { path: 'manifest.json', problem: expect.stringContaining('differs from its recorded hash') },
    ]);

    const gone = new Map(entries);
    gone.delete('summary.pdf');
    gone.set('extra.txt', Buffer.from('planted'));
    expect((await verifyPack(await rezip(gone))).problems).toEqual([
      { path: 'summary.pdf', problem: 'missing' },
      { path: 'extra.txt', problem: 'is not listed in the manifest' },
    ]);
    expect((await verifyPack(Buffer.from('not a zip'))).problems[0]!.problem).toContain('not a readable ZIP');

    // A second copy of a name: a ZIP tool may show the forged one while the genuine one is checked.
    const twice = new yazl.ZipFile();
    const forgedCopy = Buffer.from(entries.get(file)!);
    forgedCopy[0] = forgedCopy[0]! ^ 1;
    twice.addBuffer(forgedCopy, file);
    for (const [name, data] of entries) twice.addBuffer(data, name);
    twice.end();
    const chunks: Buffer[] = [];
    for await (const chunk of twice.outputStream) chunks.push(chunk as Buffer);
    const duplicated = await verifyPack(Buffer.concat(chunks));
    expect(duplicated).toMatchObject({
      ok: false,
      problems: [{ path: '(archive)', problem: expect.stringContaining('twice') }],
    });
  });

  it('is verified without the server by `npm run opsdeck -- verify-pack`', async () => {
    const { zip } = await exportedPack();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-pack-'));
    try {
      const file = path.join(dir, 'pack.zip');
      await writeFile(file, zip);
      const cli = path.resolve(import.meta.dirname, '../../cli.ts');
      const tsx = path.resolve(import.meta.dirname, '../../../../node_modules/.bin/tsx');
      expect(execFileSync(tsx, [cli, 'verify-pack', file], { encoding: 'utf8' })).toMatch(
        /^OK: \d+ files match/,
      );
      const entries = await unzip(zip);
      entries.set('summary.pdf', Buffer.from('%PDF- forged'));
      await writeFile(file, await rezip(entries));
      let output = '';
      try {
        execFileSync(tsx, [cli, 'verify-pack', file], { encoding: 'utf8' });
      } catch (error) {
        output = (error as { stdout: string; status: number }).stdout;
        expect((error as { status: number }).status).toBe(1);
      }
      expect(output).toContain('summary.pdf: content differs');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
