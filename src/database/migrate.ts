import type { DataSource } from 'typeorm';
import { logger } from '../common/logging/logger';

/** Any fixed 64-bit number; every Sori process takes this lock before migrating. */
const MIGRATION_LOCK_KEY = 7_240_115_981;

/**
 * Runs pending migrations while holding a session-level advisory lock, so two processes that
 * start together never migrate at once: the second waits, then finds nothing to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      const names = applied.map((m) => m.name);
      if (names.length) logger('migrations').info({ applied: names }, 'migrations applied');
      return names;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
