// Shared by the build scripts: is an output older than any of its sources?
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

/** Newest modification time (ms) under `target`, or 0 when it does not exist. */
export function newestChange(target) {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestChange(path.join(target, entry.name)));
  }
  return newest;
}

/** Why `output` must be rebuilt from `sources` (paths relative to the root), or undefined. */
export function reasonToBuild(output, sources) {
  const outputPath = path.join(root, output);
  if (!existsSync(outputPath)) return `${output} is missing`;
  const built = statSync(outputPath).mtimeMs;
  for (const source of sources) {
    if (newestChange(path.join(root, source)) > built) return `${source} changed since the last build`;
  }
  return undefined;
}
