import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { PACK_FORMAT } from './evidence-pack';

/**
 * Checks an evidence pack on its own, without the server: every file the manifest lists is present
 * with the SHA-256 it lists, nothing else is in the archive, and the manifest matches its own hash.
 * Used by `npm run opsdeck -- verify-pack <file.zip>` and by `POST /api/v1/audits/verify-pack`.
 */

export interface PackProblem {
  path: string;
  problem: string;
}

export interface PackVerification {
  ok: boolean;
  problems: PackProblem[];
  /** The SHA-256 of manifest.json as found, to compare with the one the audit log recorded at export. */
  manifestSha256: string | null;
  files: number;
}

/** At most this many entries; a pack of a 1,200-control audit has some tens of thousands. */
const MAX_ENTRIES = 200_000;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** What a pack may inflate to in all, and how much more than its compressed size an entry may be. */
const MAX_TOTAL_BYTES = 20 * 1024 * 1024 * 1024;
const MAX_RATIO = 200;
/** Problems listed at most; beyond, one line counts the rest. */
const MAX_PROBLEMS = 500;

/** Names a ZIP tool could treat as the same file: two entries must never share one. */
const sameName = (name: string) => name.normalize('NFC').toLowerCase();

function openZip(source: Buffer | string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(error) : resolve(zip));
    if (typeof source === 'string') yauzl.open(source, { lazyEntries: true, autoClose: true }, done);
    else yauzl.fromBuffer(source, { lazyEntries: true }, done);
  });
}

function hashStream(stream: Readable, keep: boolean): Promise<{ sha256: string; bytes: Buffer | null }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      if (keep) {
        size += chunk.length;
        if (size > MAX_MANIFEST_BYTES) stream.destroy(new Error('manifest.json is too large'));
        else chunks.push(chunk);
      }
    });
    stream.on('error', reject);
    stream.on('end', () =>
      resolve({ sha256: hash.digest('hex'), bytes: keep ? Buffer.concat(chunks) : null }),
    );
  });
}

class PackRefused extends Error {}

/** Reads every entry once, hashing it; keeps manifest.json and manifest.sha256 whole. */
async function readEntries(zip: yauzl.ZipFile) {
  const found = new Map<string, string>();
  const kept = new Map<string, Buffer>();
  const seen = new Set<string>();
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    let count = 0;
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      count += 1;
      if (count > MAX_ENTRIES) {
        reject(new Error(`more than ${MAX_ENTRIES} files`));
        return;
      }
      if (entry.fileName.endsWith('/')) {
        zip.readEntry();
        return;
      }
      // A second entry of the same name would let a tool show one copy while the other is checked.
      const key = sameName(entry.fileName);
      if (seen.has(key)) {
        reject(new PackRefused(`the archive holds "${entry.fileName}" twice`));
        return;
      }
      seen.add(key);
      total += entry.uncompressedSize;
      if (
        total > MAX_TOTAL_BYTES ||
        entry.uncompressedSize > MAX_RATIO * Math.max(entry.compressedSize, 1024)
      ) {
        reject(new PackRefused(`"${entry.fileName}" inflates far beyond any evidence pack (a zip bomb?)`));
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) {
          reject(error ?? new Error(`cannot read ${entry.fileName}`));
          return;
        }
        const keep = entry.fileName === 'manifest.json' || entry.fileName === 'manifest.sha256';
        hashStream(stream, keep).then(({ sha256, bytes }) => {
          found.set(entry.fileName, sha256);
          if (bytes) kept.set(entry.fileName, bytes);
          zip.readEntry();
        }, reject);
      });
    });
    zip.readEntry();
  });
  return { found, kept };
}

export async function verifyPack(source: Buffer | string): Promise<PackVerification> {
  let entries: Awaited<ReturnType<typeof readEntries>>;
  try {
    entries = await readEntries(await openZip(source));
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          path: '(archive)',
          problem:
            error instanceof PackRefused
              ? `refused: ${error.message}`
              : `not a readable ZIP archive: ${(error as Error).message}`,
        },
      ],
      manifestSha256: null,
      files: 0,
    };
  }
  const { found, kept } = entries;
  const problems: PackProblem[] = [];
  const manifestBytes = kept.get('manifest.json');
  if (!manifestBytes) {
    return {
      ok: false,
      problems: [{ path: 'manifest.json', problem: 'missing' }],
      manifestSha256: null,
      files: found.size,
    };
  }
  const manifestSha256 = found.get('manifest.json')!;
  const recorded = kept.get('manifest.sha256')?.toString('utf8').trim().split(/\s+/)[0];
  if (!recorded) problems.push({ path: 'manifest.sha256', problem: 'missing' });
  else if (recorded !== manifestSha256) {
    problems.push({
      path: 'manifest.json',
      problem: `differs from its recorded hash (recorded ${recorded}, found ${manifestSha256})`,
    });
  }
  let manifest: { format?: unknown; files?: unknown };
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    problems.push({ path: 'manifest.json', problem: 'is not valid JSON' });
    return { ok: false, problems, manifestSha256, files: found.size };
  }
  if (manifest.format !== PACK_FORMAT)
    problems.push({ path: 'manifest.json', problem: `is not an ${PACK_FORMAT} manifest` });
  const listed = Array.isArray(manifest.files)
    ? (manifest.files as Array<{ path?: unknown; sha256?: unknown }>)
    : [];
  const expected = new Set(['manifest.json', 'manifest.sha256']);
  for (const file of listed) {
    if (typeof file.path !== 'string' || typeof file.sha256 !== 'string') {
      problems.push({ path: 'manifest.json', problem: 'lists a file without path or hash' });
      continue;
    }
    expected.add(file.path);
    const actual = found.get(file.path);
    if (!actual) problems.push({ path: file.path, problem: 'missing' });
    else if (actual !== file.sha256) {
      problems.push({
        path: file.path,
        problem: `content differs (expected SHA-256 ${file.sha256}, found ${actual})`,
      });
    }
  }
  for (const path of found.keys()) {
    if (!expected.has(path)) problems.push({ path, problem: 'is not listed in the manifest' });
  }
  const shown =
    problems.length > MAX_PROBLEMS
      ? [
          ...problems.slice(0, MAX_PROBLEMS),
          { path: '(more)', problem: `${problems.length - MAX_PROBLEMS} more problems` },
        ]
      : problems;
  return { ok: problems.length === 0, problems: shown, manifestSha256, files: found.size };
}
