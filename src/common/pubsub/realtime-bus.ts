import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { logger } from '../logging/logger';

/** What crosses processes: never the data, only which kind of thing changed and its id. */
export interface BusEvent {
  kind: string;
  id: string | number;
  topics: string[];
}

const CHANNEL = 'sori_events';

/**
 * Cross-process fan-out through PostgreSQL LISTEN/NOTIFY. Each process holds one listening
 * connection and re-emits events locally by topic. After that connection drops and comes back,
 * a `resync` event tells every live stream to re-read from its last cursor, so nothing is lost.
 */
@Injectable()
export class RealtimeBus implements OnModuleInit, OnApplicationShutdown {
  private readonly local = new EventEmitter();
  private client?: Client;
  private closing = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly log = logger('realtime-bus');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.local.setMaxListeners(0);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  /** Publish after the transaction that made the change has committed. */
  async publish(event: BusEvent): Promise<void> {
    await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
  }

  /** Local subscription; returns the unsubscribe function. */
  on(topic: string, listener: (e: BusEvent) => void): () => void {
    this.local.on(topic, listener);
    return () => this.local.off(topic, listener);
  }

  onResync(listener: () => void): () => void {
    this.local.on('__resync', listener);
    return () => this.local.off('__resync', listener);
  }

  private dispatch(raw: string | undefined): void {
    if (!raw) return;
    let event: BusEvent;
    try {
      event = JSON.parse(raw) as BusEvent;
    } catch {
      this.log.warn({ raw: raw.slice(0, 200) }, 'ignored malformed bus event');
      return;
    }
    for (const topic of event.topics ?? []) this.local.emit(topic, event);
  }

  private async connect(): Promise<void> {
    const url = this.dataSource.options.type === 'postgres' ? this.dataSource.options.url : undefined;
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: 3000,
      application_name: 'sori-listen',
    });
    client.on('notification', (msg) => this.dispatch(msg.payload));
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'listen connection error');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      this.local.emit('__resync');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not LISTEN; will retry');
      this.scheduleReconnect(client);
    }
  }

  private scheduleReconnect(client: Client): void {
    if (this.closing || this.retryTimer || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, 1000);
    this.retryTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.local.removeAllListeners();
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
    void this.config;
  }
}
