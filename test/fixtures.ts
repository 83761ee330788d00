import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The real third-party files tests read (NIST OSCAL, framework lists…). They live beside the
 * repository in `../shared/fixtures` and are never copied into it; `OPSDECK_FIXTURES` points
 * elsewhere.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
export const FIXTURES_DIR = process.env.OPSDECK_FIXTURES ?? path.resolve(ROOT, '../shared/fixtures');

if (!existsSync(FIXTURES_DIR)) {
  throw new Error(`The test fixtures are not at ${FIXTURES_DIR}: set OPSDECK_FIXTURES to their folder.`);
}
