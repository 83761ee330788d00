// The V8 flags the server runs with (`npm start`, `npm run demo`, `npm run db:migrate` and the
// benchmarks), by database mode. Printed space-separated when run directly, for the npm scripts.
//
// The old generation is capped at 160 MB in both modes: the live heap is about 60 MB, and without a
// cap V8 lets garbage grow far past that before a major collection. The young generation differs:
// - embedded (PGlite) mode holds PostgreSQL in the same process, so memory is tight: 2 MB
//   semi-spaces, at the price of frequent scavenges (about a fifth of the CPU of a busy list);
// - on a PostgreSQL server (DATABASE_URL) the process holds only the application: 16 MB
//   semi-spaces cut garbage collection to a few percent for some 30 MB more.
//
// On a machine of four cores or fewer, garbage is collected on the server's own thread
// (--single-threaded-gc). V8's helper threads would compete for the few cores with PostgreSQL
// (on the same machine, or in this very thread in embedded mode), and a collection waits for its
// slowest helper, so a helper pre-empted by a busy database stretched a 3 ms scavenge past 20 ms.
// On the 2-core benchmark machine, the asset list under ten connections went from about 780 to
// 930 requests a second, its p99 from 40 to 23 ms.
import os from 'node:os';
import { pathToFileURL } from 'node:url';

/** @param {Record<string, string | undefined>} env */
export function serverNodeFlags(env = process.env) {
  const semiSpaceMb = env.DATABASE_URL ? 16 : 2;
  return [
    `--max-semi-space-size=${semiSpaceMb}`,
    '--max-old-space-size=160',
    ...(os.availableParallelism() <= 4 ? ['--single-threaded-gc'] : []),
    '--enable-source-maps',
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(serverNodeFlags().join(' '));
}
