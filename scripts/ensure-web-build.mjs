// Builds the web app (vite build) when dist/web/index.html is missing or older than any of its
// sources, so `npm start` always serves the current UI. When nothing changed it only compares
// modification times and exits (about 0.1 s).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { reasonToBuild, root } from './freshness.mjs';

const reason = reasonToBuild('dist/web/index.html', [
  'src/web',
  'src/shared',
  'vite.config.ts',
  'package-lock.json',
]);
if (reason) {
  const viteBin = path.join(root, 'node_modules/vite/bin/vite.js');
  if (!existsSync(viteBin)) {
    // Production installs may omit dev dependencies: serve the existing build (or the API alone).
    process.stderr.write(`Web build is stale (${reason}) but vite is not installed; skipping the build.\n`);
    process.exit(0);
  }
  process.stdout.write(`Building the web app: ${reason}.\n`);
  const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('The web app build failed.\n');
    process.exit(result.status ?? 1);
  }
}
