import 'reflect-metadata';
import { configureLogger } from '../common/logging/logger';
import { ConfigError, loadConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../database/embedded';
import { runMigrations } from '../database/migrate';

/**
 * `npm run migration:run`: applies pending migrations to the app's database (DATABASE_URL, else
 * the embedded one under DATA_DIR) under the same advisory lock the server takes at boot.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  configureLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  let embedded: EmbeddedDatabase | undefined;
  const url =
    config.database.url ?? (embedded = await startEmbeddedPostgres(config.dataDir, config.database.embeddedPort)).url;
  const dataSource = createDataSource({
    url,
    poolSize: 2,
    statementTimeoutMs: 3_600_000,
    applicationName: 'sori-migrate',
  });
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    const where = embedded ? `embedded PostgreSQL in ${config.dataDir}` : new URL(url).host;
    process.stdout.write(
      applied.length
        ? `Applied ${applied.length} migration(s) on ${where}:\n${applied.map((n) => `  ${n}\n`).join('')}`
        : `No pending migrations on ${where}.\n`,
    );
    return 0;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message =
        err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : err;
      process.stderr.write(`migration:run: ${String(message)}\n`);
      process.exit(1);
    },
  );
}
