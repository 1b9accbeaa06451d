import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { logger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';

export type JobHandler<T extends object> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

interface Registration {
  queue: string;
  handler: JobHandler<object>;
  options: QueueSettings;
}

export interface QueueSettings {
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Handlers run at most this many jobs at once in this process. */
  concurrency?: number;
  /** Also enqueue a job on this cron schedule (UTC), once across all processes. */
  cron?: string;
}

const DEAD_LETTER = 'dead-letter';

/**
 * Background jobs on pg-boss, in the same PostgreSQL. Every queue retries with exponential
 * backoff and sends jobs that exhaust their retries to one visible dead-letter queue.
 * Modules register handlers in their constructors; workers start once the app is up.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private boss?: PgBoss;
  private readonly registrations: Registration[] = [];
  private readonly log = logger('jobs');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    metrics.addCollector(async () => {
      if (!this.boss) return;
      for (const r of this.registrations) {
        metrics.jobQueueDepth.set({ queue: r.queue }, await this.boss.getQueueSize(r.queue));
      }
    });
  }

  register<T extends object>(queue: string, handler: JobHandler<T>, options: QueueSettings = {}): void {
    this.registrations.push({ queue, handler: handler as JobHandler<object>, options });
  }

  get started(): boolean {
    return this.boss !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    const url = this.dataSource.options.type === 'postgres' ? this.dataSource.options.url : undefined;
    const boss = new PgBoss({ connectionString: url, max: 3, application_name: 'sori-jobs', schema: 'pgboss' });
    boss.on('error', (err: Error) => this.log.error({ err: err.message }, 'job system error'));
    await boss.start();
    await boss.createQueue(DEAD_LETTER);
    for (const r of this.registrations) {
      await boss.createQueue(r.queue, {
        name: r.queue,
        retryLimit: r.options.retryLimit ?? 5,
        retryDelay: r.options.retryDelaySeconds ?? 5,
        retryBackoff: true,
        deadLetter: DEAD_LETTER,
      });
      await boss.work<object>(r.queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        await r.handler(job.data, { id: job.id, retryCount: 0 });
      });
      if (r.options.cron) await boss.schedule(r.queue, r.options.cron, {});
    }
    this.boss = boss;
  }

  /** Enqueue; `singletonKey` makes the send idempotent while a job with that key is queued. */
  async send<T extends object>(
    queue: string,
    data: T,
    opts: { singletonKey?: string; startAfterSeconds?: number } = {},
  ) {
    if (!this.boss) throw new Error(`job system is not running; cannot enqueue ${queue}`);
    return this.boss.send(queue, data, {
      singletonKey: opts.singletonKey,
      startAfter: opts.startAfterSeconds,
    });
  }

  /** Jobs that exhausted their retries, newest first (read-only view for admins). */
  async deadLetters(limit = 50): Promise<Array<{ id: string; data: unknown; createdOn: Date }>> {
    if (!this.boss) return [];
    const rows: Array<{ id: string; data: unknown; created_on: Date }> = await this.dataSource.query(
      `SELECT id, data, created_on FROM pgboss.job WHERE name = $1 ORDER BY created_on DESC LIMIT $2`,
      [DEAD_LETTER, limit],
    );
    return rows.map((r) => ({ id: r.id, data: r.data, createdOn: r.created_on }));
  }

  async onApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    if (boss) await boss.stop({ graceful: true, timeout: Math.min(this.config.shutdownTimeoutMs, 5000), wait: true });
  }
}
