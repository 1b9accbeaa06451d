import Redis from 'ioredis';
import { logger } from '../logging/logger';
import type { BusTransport } from './bus-transport';

/**
 * Redis pub/sub for many replicas: one subscriber and one publisher connection per process.
 * ioredis reconnects by itself and re-subscribes; every time the subscriber is ready again the
 * bus is told to resync, so streams re-read from their cursors whatever was published meanwhile.
 */
export class RedisTransport implements BusTransport {
  private sub?: Redis;
  private pub?: Redis;
  private readonly log = logger('realtime-bus');

  /** `channel` is per database, so installs sharing one Redis never see each other's events. */
  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {}

  async start(deliver: (raw: string) => void, resynced: () => void): Promise<void> {
    const options = {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectionName: 'sori-bus',
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    const sub = new Redis(this.url, options);
    const pub = new Redis(this.url, options);
    this.sub = sub;
    this.pub = pub;
    for (const c of [sub, pub])
      c.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis connection error'));
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
    await Promise.all([sub.connect(), pub.connect()]);
    await sub.subscribe(this.channel);
    resynced();
  }

  async publish(payload: string): Promise<void> {
    if (!this.pub) throw new Error('the Redis bus is not started');
    await this.pub.publish(this.channel, payload);
  }

  async stop(): Promise<void> {
    for (const c of [this.sub, this.pub]) {
      if (!c) continue;
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.quit().catch(() => c.disconnect());
    }
    this.sub = this.pub = undefined;
  }
}
