import type { MigrationConfig } from 'drizzle-orm/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_DIR } from '../paths';
import type { Database } from './client';

export const MIGRATIONS_FOLDER = MIGRATIONS_DIR;
/** Advisory lock of start-up work: two instances starting together migrate and bootstrap once. */
export const STARTUP_LOCK_KEY = 0x0b5dec4;

export async function migrateDatabase(database: Database): Promise<void> {
  const config: MigrationConfig = { migrationsFolder: MIGRATIONS_FOLDER };
  await database.withAdvisoryLock(STARTUP_LOCK_KEY, async (db) => {
    if (database.driver === 'pglite') await migratePglite(db as unknown as PgliteDatabase, config);
    else await migrateNodePg(db as unknown as NodePgDatabase, config);
  });
}
