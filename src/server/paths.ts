import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root (where package.json is), however the server was started or bundled. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'drizzle');
export const WEB_BUILD_DIR = path.join(PROJECT_ROOT, 'dist/web');
