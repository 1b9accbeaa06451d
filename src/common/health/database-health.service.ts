import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { logger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';

interface PgPoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

/** True for errors that mean "the database is away", as opposed to a bad query. */
export function isConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown };
  if (e.driverError && isConnectionError(e.driverError)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08')) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Connection ended/i.test(
    message,
  );
}

/**
 * Tracks whether the database answers. While it is down, requests are refused at once with 503
 * (instead of each waiting for a connection timeout) and a probe runs every second; when the
 * database is back the pool reconnects by itself and requests flow again, no restart needed.
 */
@Injectable()
export class DatabaseHealthService implements OnApplicationShutdown {
  private down = false;
  private probe?: NodeJS.Timeout;
  private readonly log = logger('database-health');

  constructor(
    private readonly dataSource: DataSource,
    metrics: MetricsService,
  ) {
    metrics.addCollector(() => {
      const pool = (this.dataSource.driver as unknown as { master?: PgPoolStats }).master;
      if (!pool) return;
      metrics.dbPool.set({ state: 'total' }, pool.totalCount);
      metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
      metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
    });
  }

  get isDown(): boolean {
    return this.down;
  }

  async check(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    // A database that does not answer at all is as unavailable as one that refuses connections.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('readiness check timed out'), { code: 'ETIMEDOUT' })),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      if (this.down) this.markUp();
      return true;
    } catch (err) {
      this.reportFailure(err);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called by the error filter for every failed request. */
  reportFailure(err: unknown): void {
    if (this.down || !isConnectionError(err)) return;
    this.down = true;
    this.log.error({ err: String(err) }, 'database unreachable; refusing requests until it answers');
    this.probe = setInterval(() => void this.check(1000), 1000);
    this.probe.unref();
  }

  private markUp(): void {
    this.down = false;
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
    this.log.info('database reachable again');
  }

  onApplicationShutdown(): void {
    if (this.probe) clearInterval(this.probe);
  }
}
