import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../../db/ids';

/**
 * Where attachment bytes live. Content-addressed by SHA-256, so identical files are stored once
 * and a stored file can be checked against its recorded hash. Swappable for object storage.
 */
export interface FileStorage {
  /** Streams `source` into storage; returns its hash and size. Throws if the stream errors or was truncated. */
  put(source: Readable): Promise<{ sha256: string; sizeBytes: number }>;
  open(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
  /**
   * Deletes the bytes of `sha256`; nothing happens if they are already gone. Content addressing
   * shares bytes between records: callers must know that no record references them any more.
   */
  remove(sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function createFileStorage(root: string): FileStorage {
  const fileFor = (sha256: string) => {
    if (!SHA256.test(sha256)) throw new Error('Invalid content address');
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  return {
    async put(source) {
      const tmpDir = path.join(root, 'tmp');
      await mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, newId());
      const hash = createHash('sha256');
      let sizeBytes = 0;
      source.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        sizeBytes += chunk.length;
      });
      try {
        await pipeline(source, createWriteStream(tmp, { mode: 0o600 }));
        // A stream cut short by a size limit (multipart marks it `truncated`) is not the file.
        if ((source as Readable & { truncated?: boolean }).truncated)
          throw new Error('The stream was truncated');
        const sha256 = hash.digest('hex');
        const target = fileFor(sha256);
        await mkdir(path.dirname(target), { recursive: true });
        if (existsSync(target)) await rm(tmp);
        else await rename(tmp, target);
        return { sha256, sizeBytes };
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    },
    open: (sha256) => createReadStream(fileFor(sha256)),
    exists: async (sha256) => {
      try {
        return (await stat(fileFor(sha256))).isFile();
      } catch {
        return false;
      }
    },
    remove: async (sha256) => {
      await rm(fileFor(sha256), { force: true });
    },
  };
}
