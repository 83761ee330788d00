// Bundles the server into dist/server/main.js (esbuild, about a second) when it is missing or
// older than its sources. Running the bundle with plain Node halves the server's memory compared
// with compiling TypeScript at run time. `--force` rebuilds regardless.
import path from 'node:path';
import { build } from 'esbuild';
import { reasonToBuild, root } from './freshness.mjs';

const output = 'dist/server/main.js';
const reason = process.argv.includes('--force')
  ? 'asked to'
  : reasonToBuild(output, ['src/server', 'src/shared', 'package-lock.json']);
if (reason) {
  process.stdout.write(`Building the server: ${reason}.\n`);
  await build({
    entryPoints: [path.join(root, 'src/server/main.ts')],
    outfile: path.join(root, output),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
