import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { prepared } from '../../database/prepared';
import { logger } from '../logging/logger';
import { BUS_CHANNEL, type BusTransport } from './bus-transport';

const NOTIFY_ONE = prepared('SELECT pg_notify($1, $2)');
const NOTIFY_MANY = prepared('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p');

/**
 * LISTEN on one connection per process, NOTIFY through the pool. When the listening connection
 * drops it reconnects every second and reports a resync, since events may have been missed.
 */
export class PgNotifyTransport implements BusTransport {
  private client?: Client;
  private closing = false;
  private retryTimer?: NodeJS.Timeout;
  private deliver: (raw: string) => void = () => undefined;
  private resynced: () => void = () => undefined;
  private readonly log = logger('realtime-bus');

  constructor(private readonly dataSource: DataSource) {}

  async start(deliver: (raw: string) => void, resynced: () => void): Promise<void> {
    this.deliver = deliver;
    this.resynced = resynced;
    await this.connect();
  }

  async publish(payloads: string[]): Promise<void> {
    if (payloads.length === 1) await this.dataSource.query(NOTIFY_ONE, [BUS_CHANNEL, payloads[0]]);
    else await this.dataSource.query(NOTIFY_MANY, [BUS_CHANNEL, payloads]);
  }

  private async connect(): Promise<void> {
    const url = this.dataSource.options.type === 'postgres' ? this.dataSource.options.url : undefined;
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: 3000,
      application_name: 'sori-listen',
    });
    client.on('notification', (msg) => msg.payload && this.deliver(msg.payload));
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'listen connection error');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${BUS_CHANNEL}`);
      this.client = client;
      this.resynced();
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

  async stop(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
