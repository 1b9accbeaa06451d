import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../database/embedded';

export interface PostgresServer {
  /** A URL of a database on the server whose user may create databases. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The server at `databaseUrl`, or a throw-away embedded PostgreSQL in a temp dir (removed on
 * stop) when no URL is given. Never touches the app's own `./data`.
 */
export async function openPostgresServer(databaseUrl: string | undefined): Promise<PostgresServer> {
  if (databaseUrl) return { url: databaseUrl, embedded: false, stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'sori-pg-'));
  // when running as root the embedded server runs as `postgres`, which must reach the data dir
  chmodSync(dir, 0o755);
  try {
    const db = await startEmbeddedPostgres(dir, await freePort());
    return {
      url: db.url,
      embedded: true,
      stop: async () => {
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` against a new empty database on the server and drops it afterwards, whatever happens. */
export async function withScratchDatabase<T>(serverUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `sori_scratch_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, async (c) => {
    try {
      await c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`Cannot create a scratch database on ${new URL(serverUrl).host} (needs CREATEDB): ${why}`);
    }
  });
  try {
    return await fn(withDatabaseName(serverUrl, name));
  } finally {
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}
