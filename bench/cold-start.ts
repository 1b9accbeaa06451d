import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess } from './app-process';
import { freePort } from './database';

export interface ColdStart {
  /** Fresh DATA_DIR: initdb, migrations, first admin, Nest boot. */
  coldMs: number;
  /** Same DATA_DIR again: what a restart costs. */
  warmMs: number;
  idleRssMb: number;
}

/** `node dist/src/main.js` with no DATABASE_URL (embedded PostgreSQL) and a fresh DATA_DIR, to /readyz. */
export async function measureColdStart(timeoutMs: number): Promise<ColdStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sori-bench-cold-'));
  chmodSync(dataDir, 0o755); // as root, the embedded server runs as another user and must reach its directory
  try {
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), NODE_ENV: 'production' };
    const cold = await startAppProcess(env, await freePort(), timeoutMs);
    await new Promise((r) => setTimeout(r, 1000));
    const idleRssMb = cold.rssMb();
    await cold.stop();
    const warm = await startAppProcess(env, await freePort(), timeoutMs);
    await warm.stop();
    return { coldMs: cold.readyMs, warmMs: warm.readyMs, idleRssMb };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
