import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
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
const RESYNC = '__resync';

type Listener = (e: BusEvent) => void;

/**
 * Cross-process fan-out through PostgreSQL LISTEN/NOTIFY. Each process holds one listening
 * connection and re-emits events locally by topic. After that connection drops and comes back,
 * a `resync` event tells every live stream to re-read from its last cursor, so nothing is lost.
 */
@Injectable()
export class RealtimeBus implements OnModuleInit, OnApplicationShutdown {
  /** topic → listeners. Not an EventEmitter: one throwing listener must not starve the others. */
  private readonly local = new Map<string, Set<Listener>>();
  private client?: Client;
  private closing = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly log = logger('realtime-bus');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  /** Publish after the transaction that made the change has committed. */
  async publish(event: BusEvent): Promise<void> {
    await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
  }

  /** Local subscription; returns the unsubscribe function. */
  on(topic: string, listener: Listener): () => void {
    let set = this.local.get(topic);
    if (!set) this.local.set(topic, (set = new Set()));
    // a wrapper per subscription, so the same function subscribed twice is also removed twice
    const entry: Listener = (e) => listener(e);
    set.add(entry);
    return () => {
      const current = this.local.get(topic);
      if (!current?.delete(entry)) return;
      if (!current.size) this.local.delete(topic);
    };
  }

  /** Called after the listening connection (re)connects: events may have been missed meanwhile. */
  onResync(listener: () => void): () => void {
    return this.on(RESYNC, () => listener());
  }

  /** Number of local listeners on a topic (metrics, tests). */
  listenerCount(topic: string): number {
    return this.local.get(topic)?.size ?? 0;
  }

  private emit(topic: string, event: BusEvent): void {
    const listeners = this.local.get(topic);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err: (err as Error).message, topic }, 'realtime listener failed');
      }
    }
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
    if (!Array.isArray(event.topics)) return;
    for (const topic of new Set(event.topics))
      if (typeof topic === 'string' && topic !== RESYNC) this.emit(topic, event);
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
      this.emit(RESYNC, { kind: RESYNC, id: 0, topics: [] });
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
    this.local.clear();
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
