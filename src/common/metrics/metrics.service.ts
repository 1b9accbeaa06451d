import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so several apps in one process (tests) never collide. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'sori_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'sori_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation type and name',
    labelNames: ['type', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'sori_graphql_errors_total',
    help: 'GraphQL errors by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly dbPool = new Gauge({
    name: 'sori_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly jobQueueDepth = new Gauge({
    name: 'sori_job_queue_depth',
    help: 'Jobs waiting per queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly wsConnections = new Gauge({
    name: 'sori_websocket_connections',
    help: 'Open GraphQL WebSocket connections',
    registers: [this.registry],
  });

  private readonly collectors: Array<() => Promise<void> | void> = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sori_' });
  }

  /** Gauges read at scrape time (pool sizes, queue depths) register a collector here. */
  addCollector(fn: () => Promise<void> | void): void {
    this.collectors.push(fn);
  }

  async render(): Promise<string> {
    await Promise.allSettled(this.collectors.map(async (c) => c()));
    return this.registry.metrics();
  }
}
