import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API the dev server proxies to: `npm run dev` starts it on port 3000. */
const API_TARGET = process.env.OPSDECK_API_URL ?? 'http://localhost:3000';
// The app's own modules under src/web/api/ are served at /api/*.ts(x) too: those stay with Vite.
const proxy = Object.fromEntries(
  ['^/api/(?![^?]*\\.tsx?(\\?|$))', '/healthz', '/readyz'].map((path) => [
    path,
    { target: API_TARGET, changeOrigin: false },
  ]),
);

export default defineConfig({
  root: path.join(import.meta.dirname, 'src/web'),
  plugins: [react()],
  build: {
    outDir: path.join(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 600,
  },
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
});
