import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './config';

export interface AppProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readyMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

const MAIN = join(__dirname, '../src/main.js');
const running = new Set<AppProcess>();

/** Stops every app process still running (used when the bench is interrupted or times out). */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...running].map((app) => app.stop()));
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts `node dist/src/main.js` with the given environment and waits until /readyz answers 200. */
export async function startAppProcess(
  env: Record<string, string>,
  port: number,
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<AppProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  // SIGTERM first: the app then stops its embedded PostgreSQL too
  const stop = async () => {
    running.delete(handle);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited(child);
    clearTimeout(timer);
  };
  const handle: AppProcess = {
    pid: child.pid as number,
    url,
    readyMs: 0,
    rssMb: () => rssMb(child.pid as number),
    stop,
  };
  running.add(handle);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited with ${child.exitCode} before it was ready:\n${output}`);
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`the app was not ready within ${timeoutMs} ms:\n${output}`);
    }
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  handle.readyMs = performance.now() - started;
  return handle;
}
