import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { logger } from '../logging/logger';
import { BUS_CHANNEL, type BusTransport } from './bus-transport';
import { PgNotifyTransport } from './pg-transport';
import { RedisTransport } from './redis-transport';

/** What crosses processes: never the data, only which kind of thing changed and its id. */
export interface BusEvent {
  kind: string;
  id: string | number;
  topics: string[];
}

const RESYNC = '__resync';

type Listener = (e: BusEvent) => void;

/**
 * Cross-process fan-out: PostgreSQL LISTEN/NOTIFY, or Redis pub/sub when REDIS_URL is set (same
 * events, same contract). Each process re-emits events locally by topic. After the transport's
 * connection drops and comes back, a `resync` event tells every live stream to re-read from its
 * last cursor, so nothing is lost.
 */
@Injectable()
export class RealtimeBus implements OnModuleInit, OnApplicationShutdown {
  /** topic → listeners. Not an EventEmitter: one throwing listener must not starve the others. */
  private readonly local = new Map<string, Set<Listener>>();
  /** Created at once (publishing works before the app is initialised, e.g. while seeding); started at init. */
  private transport?: BusTransport;
  private readonly log = logger('realtime-bus');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private transportOf(): BusTransport {
    this.transport ??= this.config.redisUrl
      ? new RedisTransport(this.config.redisUrl, `${BUS_CHANNEL}:${this.databaseName()}`)
      : new PgNotifyTransport(this.dataSource);
    return this.transport;
  }

  /** `redis` when REDIS_URL is set, else `postgres`. */
  get transportName(): 'redis' | 'postgres' {
    return this.config.redisUrl ? 'redis' : 'postgres';
  }

  async onModuleInit(): Promise<void> {
    await this.transportOf().start(
      (raw) => this.dispatch(raw),
      () => this.emit(RESYNC, { kind: RESYNC, id: 0, topics: [] }),
    );
  }

  private databaseName(): string {
    const url = this.dataSource.options.type === 'postgres' ? this.dataSource.options.url : undefined;
    return url ? decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres' : 'postgres';
  }

  /** Publish after the transaction that made the change has committed. */
  async publish(event: BusEvent): Promise<void> {
    await this.transportOf().publish([JSON.stringify(event)]);
  }

  /** Several events in order, in one round trip (e.g. a ticket change and the message that made it). */
  async publishAll(events: BusEvent[]): Promise<void> {
    if (events.length) await this.transportOf().publish(events.map((e) => JSON.stringify(e)));
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

  /** Called after the transport (re)connects: events may have been missed meanwhile. */
  onResync(listener: () => void): () => void {
    return this.on(RESYNC, () => listener());
  }

  /** Number of local listeners on a topic (metrics, tests). */
  listenerCount(topic: string): number {
    return this.local.get(topic)?.size ?? 0;
  }

  /** Local listeners on every topic (tests wait on it for a subscription to be live). */
  get listenerTotal(): number {
    let n = 0;
    for (const set of this.local.values()) n += set.size;
    return n;
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

  async onApplicationShutdown(): Promise<void> {
    this.local.clear();
    const transport = this.transport;
    this.transport = undefined;
    await transport?.stop();
  }
}
