/** Benchmark settings from the environment (the only place the bench reads it). */
export interface BenchConfig {
  /** Server to create the bench database on; unset: an embedded PostgreSQL in a temp dir. */
  databaseUrl: string | undefined;
  tickets: number;
  iterations: number;
  warmup: number;
  /** Keep the seeded database after the run, and reuse a kept one with the same size. */
  keep: boolean;
  reuse: boolean;
  /** The whole run is aborted after this long. */
  timeoutMs: number;
  skipColdStart: boolean;
}

function int(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}`);
  return value;
}

const flag = (name: string) => ['1', 'true', 'yes'].includes(process.env[name] ?? '');

export function benchConfig(): BenchConfig {
  return {
    databaseUrl: process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined,
    tickets: int('BENCH_TICKETS', 1_000_000, 1000),
    iterations: int('BENCH_ITERATIONS', 300, 200),
    warmup: int('BENCH_WARMUP', 50, 0),
    keep: flag('BENCH_KEEP'),
    reuse: flag('BENCH_REUSE'),
    timeoutMs: int('BENCH_TIMEOUT_MS', 30 * 60_000, 10_000),
    skipColdStart: flag('BENCH_SKIP_COLD_START'),
  };
}

/** The environment for a child app process: ours minus database settings, plus the given values. */
export function childEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.BENCH_DATABASE_URL;
  return { ...env, ...values };
}
