// `npm run dev`: the API (tsx watch, port 3000) and the Vite dev server (port 5173, proxying
// /api, /healthz and /readyz to the API). Stops both when either exits or on Ctrl-C.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (relative) => path.join(root, 'node_modules', relative);

const children = [
  {
    name: 'api',
    args: [bin('tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', 'src/server/main.ts'],
    env: { PORT: '3000' },
  },
  { name: 'web', args: [bin('vite/bin/vite.js'), '--port', '5173', '--strictPort'], env: {} },
].map(({ name, args, env }) => {
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`[dev] ${name} exited (${signal ?? code}); stopping the other process.\n`);
    stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(exitCode) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.stdout.write('[dev] API on http://localhost:3000, web app on http://localhost:5173\n');
