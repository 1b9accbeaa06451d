import Redis from 'ioredis';
import { logger } from '../logging/logger';
import type { BusTransport } from './bus-transport';

/**
 * Redis pub/sub for many replicas: one subscriber and one publisher connection per process.
 * ioredis reconnects by itself and re-subscribes; every time the subscriber is ready again the
 * bus is told to resync, so streams re-read from their cursors whatever was published meanwhile.
 */
export class RedisTransport implements BusTransport {
  private readonly sub: Redis;
  private readonly pub: Redis;
  private readonly log = logger('realtime-bus');

  /** `channel` is per database, so installs sharing one Redis never see each other's events. */
  constructor(
    url: string,
    private readonly channel: string,
  ) {
    // lazy: the publisher connects on its first command (publishing may come before start())
    const options = {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectionName: 'sori-bus',
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    this.sub = new Redis(url, options);
    this.pub = new Redis(url, options);
    for (const c of [this.sub, this.pub]) {
      c.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis connection error'));
    }
  }

  async start(deliver: (raw: string) => void, resynced: () => void): Promise<void> {
    const sub = this.sub;
    sub.on('message', (_channel: string, message: string) => deliver(message));
    let first = true;
    sub.on('ready', () => {
      if (first) {
        first = false;
        return;
      }
      this.log.info('redis subscriber reconnected; resyncing streams');
      resynced();
    });
    await sub.connect();
    await sub.subscribe(this.channel);
    resynced();
  }

  async publish(payloads: string[]): Promise<void> {
    const batch = this.pub.pipeline();
    for (const p of payloads) batch.publish(this.channel, p);
    const results = (await batch.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0] as Error;
  }

  async stop(): Promise<void> {
    for (const c of [this.sub, this.pub]) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      if (c.status === 'wait') c.disconnect();
      else await c.quit().catch(() => c.disconnect());
    }
  }
}
