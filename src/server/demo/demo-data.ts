import type { Database } from '../db/client';

/** Placeholder until the demo data set lands; loading is idempotent by design. */
export async function loadDemoData(_database: Database): Promise<string> {
  return 'Demo data: nothing to load yet.';
}
