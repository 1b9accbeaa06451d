import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { runMigrations } from '../src/database/migrate';
import type { BenchConfig } from './config';

export interface BenchDatabase {
  url: string;
  /** True when a kept database of the same size was found (BENCH_REUSE=1): no seeding needed. */
  reused: boolean;
  release(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function seededCount(url: string): Promise<number | null> {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    const r = await c.query<{ tickets: number }>('SELECT tickets FROM bench_meta LIMIT 1');
    return r.rows[0]?.tickets ?? null;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * The bench's own database: `sori_bench_<tickets>` on the given server (dropped afterwards unless
 * BENCH_KEEP=1), or an embedded PostgreSQL in a temp dir when no server is given.
 */
export async function benchDatabase(cfg: BenchConfig): Promise<BenchDatabase> {
  if (!cfg.databaseUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'sori-bench-pg-'));
    chmodSync(dir, 0o755); // as root, the embedded server runs as another user and must reach its directory
    const pg = await startEmbeddedPostgres(dir, await freePort());
    return {
      url: pg.url,
      reused: false,
      release: async () => {
        await pg.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `sori_bench_${cfg.tickets}`;
  const url = withDatabase(cfg.databaseUrl, name);
  if (cfg.reuse && (await seededCount(url)) === cfg.tickets) {
    return { url, reused: true, release: async () => undefined };
  }
  const admin = new Client({ connectionString: cfg.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    // C.UTF-8: pg_trgm extracts no trigrams from Hangul under the plain C locale
    await admin.query(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
  } finally {
    await admin.end();
  }
  return {
    url,
    reused: false,
    release: async () => {
      if (cfg.keep) return;
      const c = new Client({ connectionString: cfg.databaseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Brings a bench database to the current schema, as the app does at boot. */
export async function migrate(url: string): Promise<void> {
  const ds = createDataSource({ url, poolSize: 2, statementTimeoutMs: 600_000 });
  await ds.initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}
