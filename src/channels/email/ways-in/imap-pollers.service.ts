import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import type { Mailbox } from '../entities';
import { IntakeService } from '../inbound/intake.service';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { ImapPoller } from './imap-poller';

const log = logger('imap');
const RECONCILE_MS = 20_000;

/** A 63-bit advisory lock key per mailbox. */
function lockKey(mailboxId: string): string {
  return BigInt.asIntN(
    64,
    BigInt(`0x${createHash('sha256').update(`imap:${mailboxId}`).digest('hex').slice(0, 16)}`),
  ).toString();
}

/**
 * Runs one IMAP poller per mailbox with IMAP enabled, in processes that run jobs. A session-level
 * advisory lock per mailbox (on a connection of its own) makes sure only one process polls a
 * mailbox; settings changes restart its poller.
 */
@Injectable()
export class ImapPollersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly pollers = new Map<string, ImapPoller>();
  private lockClient?: Client;
  private timer?: NodeJS.Timeout;
  private reconciling?: Promise<void>;

  constructor(
    private readonly mailboxes: MailboxesService,
    private readonly intake: IntakeService,
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.timer.unref();
  }

  /** Starts, restarts and stops pollers to match the mailboxes; resolves when done. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.doReconcile()
      .catch((err: Error) => log.warn({ err: err.message }, 'IMAP reconcile failed'))
      .finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  /** Fetch now on every running poller (tests). */
  pokeAll(): void {
    for (const p of this.pollers.values()) p.poke();
  }

  private async doReconcile(): Promise<void> {
    this.mailboxes.invalidate();
    const wanted = new Map<string, Mailbox>();
    for (const mb of await this.mailboxes.active()) if (mb.imapEnabled && mb.imapHost) wanted.set(mb.id, mb);
    for (const [id, poller] of this.pollers) {
      const mb = wanted.get(id);
      if (!mb || mb.updatedAt.getTime() !== poller.mailbox.updatedAt.getTime()) {
        await poller.stop();
        this.pollers.delete(id);
        if (!mb) await this.unlock(id);
      }
    }
    for (const mb of wanted.values()) {
      if (this.pollers.has(mb.id) || !(await this.lock(mb.id))) continue;
      const poller = new ImapPoller(mb, {
        intake: this.intake,
        repo: this.mailboxes.repository,
        password: this.mailboxes.imapPassword(mb),
        pollSeconds: this.config.email.imapPollSeconds,
      });
      this.pollers.set(mb.id, poller);
      poller.start();
    }
  }

  private async connection(): Promise<Client> {
    if (this.lockClient) return this.lockClient;
    const url = this.ds.options.type === 'postgres' ? this.ds.options.url : undefined;
    const client = new Client({ connectionString: url, application_name: 'sori-imap-locks' });
    client.on('error', () => {
      // the locks went with the connection: stop polling and take them again on the next round
      this.lockClient = undefined;
      void this.stopAll();
    });
    await client.connect();
    this.lockClient = client;
    return client;
  }

  private async lock(mailboxId: string): Promise<boolean> {
    const c = await this.connection();
    const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(mailboxId)]);
    return r.rows[0].ok;
  }

  private async unlock(mailboxId: string): Promise<void> {
    await this.lockClient?.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(mailboxId)]).catch(() => undefined);
  }

  private async stopAll(): Promise<void> {
    const all = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(all.map((p) => p.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    await this.stopAll();
    const client = this.lockClient;
    this.lockClient = undefined;
    await client?.end().catch(() => undefined);
  }
}
