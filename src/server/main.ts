import { buildApp } from './app';
import { ensureFirstAdministrator } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
import { vacuumAnalyze } from './db/embedded-maintenance';
import { migrateDatabase, STARTUP_LOCK_KEY } from './db/migrate';
import { loadDemoData } from './demo/demo-data';

/**
 * `npm start`: validate configuration, open PostgreSQL (embedded or server), apply migrations
 * under an advisory lock, create the first administrator if needed, then serve API and web app.
 * Flags: `--demo` loads demo data first; `--migrate-only` stops after migrating.
 */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const started = Date.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  if (args.has('--migrate-only')) {
    process.stdout.write('Migrations applied.\n');
    await database.close();
    return;
  }
  // Under the start-up lock: two fresh instances must not both create an administrator.
  await database.withAdvisoryLock(STARTUP_LOCK_KEY, () =>
    ensureFirstAdministrator(database, config, (message) => process.stdout.write(`${message}\n`)),
  );
  if (args.has('--demo')) {
    if (config.env === 'production') {
      // The demo logins share a published password.
      process.stderr.write('Refusing to load demo data with NODE_ENV=production.\n');
      process.exit(1);
    }
    const summary = await loadDemoData(database);
    process.stdout.write(`${summary}\n`);
  }
  // Embedded PostgreSQL has no autovacuum, and what changed since its last pass is not known after a
  // restart: the whole database is vacuumed and analysed before serving (db/embedded-maintenance.ts).
  if (database.driver === 'pglite') await vacuumAnalyze(database);
  const app = await buildApp({ config, database });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      url: `http://${config.host}:${config.port}`,
      database: database.driver,
      readyInMs: Date.now() - started,
    },
    'OpsDeck is ready',
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `OpsDeck failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
