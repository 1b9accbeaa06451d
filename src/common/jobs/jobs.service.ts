import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PreparingAllClient } from '../../database/prepared';
import PgBoss from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { logger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';

export interface JobInfo {
  id: string;
  /** How many times this job failed before this run (0 on the first run). */
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<T extends object> = (data: T, job: JobInfo) => Promise<void>;

interface Registration {
  queue: string;
  handler: JobHandler<object>;
  options: QueueSettings;
  workerIds: string[];
}

export interface QueueSettings {
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Handlers run at most this many jobs at once in this process (one worker loop each). */
  concurrency?: number;
  /**
   * Each worker claims up to this many jobs in one fetch and runs them side by side (one round
   * trip to claim, one to complete); a job that fails is failed (and retried) on its own.
   */
  batchSize?: number;
  /** Also enqueue a job on this cron schedule (UTC), once across all processes. */
  cron?: string;
}

export interface SendOptions {
  singletonKey?: string;
  startAfterSeconds?: number;
  /**
   * A fixed job id (see `jobIdFor`): sending the same id again adds nothing while the first job
   * is kept, so a sweeper may re-send "just in case" without doubling work.
   */
  id?: string;
  /** Enqueue inside this transaction: the job exists if and only if the transaction commits. */
  manager?: EntityManager;
}

const DEAD_LETTER = 'dead-letter';

/** A stable UUID for a job key such as `email-inbound:42:0`. */
export function jobIdFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** pg-boss's `db` option over a TypeORM transaction. */
function inTransaction(manager: EntityManager) {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const rows = await manager.query<unknown[]>(text, values);
      return { rows: Array.isArray(rows) ? rows : [] };
    },
  };
}

/**
 * Background jobs on pg-boss, in the same PostgreSQL. Every queue retries with exponential
 * backoff and sends jobs that exhaust their retries to one visible dead-letter queue.
 * Modules register handlers in their constructors; workers start once the app is up.
 * A worker that found work asks for the next job at once instead of waiting for the next poll.
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
    this.registrations.push({ queue, handler: handler as JobHandler<object>, options, workerIds: [] });
  }

  get started(): boolean {
    return this.boss !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    const url = this.dataSource.options.type === 'postgres' ? this.dataSource.options.url : undefined;
    const boss = new PgBoss({
      connectionString: url,
      max: 3,
      application_name: 'sori-jobs',
      schema: 'pgboss',
      // its fetch/complete/insert statements are planned once per connection, not per call
      Client: PreparingAllClient,
    } as PgBoss.ConstructorOptions);
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
      for (let i = 0; i < Math.max(1, r.options.concurrency ?? 1); i++) await this.startWorker(boss, r);
      if (r.options.cron) await boss.schedule(r.queue, r.options.cron, {});
    }
    this.boss = boss;
  }

  private async startWorker(boss: PgBoss, r: Registration): Promise<void> {
    let workerId = '';
    const run = (job: PgBoss.JobWithMetadata<object>) =>
      r.handler(job.data, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit });
    workerId = await boss.work<object>(
      r.queue,
      { batchSize: Math.max(1, r.options.batchSize ?? 1), pollingIntervalSeconds: 0.5, includeMetadata: true },
      async (jobs) => {
        try {
          if (jobs.length === 1) return await run(jobs[0]);
          const settled = await Promise.allSettled(jobs.map(run));
          // pg-boss completes the whole batch when this returns: fail the ones that failed first
          for (const [i, s] of settled.entries()) {
            if (s.status === 'rejected') {
              const err = s.reason instanceof Error ? s.reason : new Error(String(s.reason));
              await boss.fail(r.queue, jobs[i].id, { message: err.message, stack: err.stack });
            }
          }
        } finally {
          // there may be more: skip the polling pause
          if (workerId && this.boss) this.boss.notifyWorker(workerId);
        }
      },
    );
    r.workerIds.push(workerId);
  }

  /** Enqueue; `singletonKey` makes the send idempotent while a job with that key is queued. */
  async send<T extends object>(queue: string, data: T, opts: SendOptions = {}): Promise<string | null> {
    if (!this.boss) throw new Error(`job system is not running; cannot enqueue ${queue}`);
    return this.boss.send(queue, data, {
      id: opts.id,
      singletonKey: opts.singletonKey,
      startAfter: opts.startAfterSeconds,
      ...(opts.manager ? { db: inTransaction(opts.manager) } : {}),
    });
  }

  /** Enqueues several jobs of one queue in one statement of the caller's transaction. */
  async sendMany<T extends object>(
    queue: string,
    jobs: Array<{ data: T; id: string }>,
    manager: EntityManager,
  ): Promise<void> {
    if (!this.boss) throw new Error(`job system is not running; cannot enqueue ${queue}`);
    if (!jobs.length) return;
    await this.boss.insert(
      jobs.map((j) => ({ name: queue, data: j.data, id: j.id })),
      { db: inTransaction(manager) },
    );
  }

  /** Tells this process's idle workers of a queue to look for work now (e.g. after a commit). */
  wake(queue: string): void {
    const boss = this.boss;
    if (!boss) return;
    for (const r of this.registrations) if (r.queue === queue) for (const id of r.workerIds) boss.notifyWorker(id);
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
