import { ImapFlow } from 'imapflow';
import { logger } from '../../../common/logging/logger';
import type { Mailbox } from '../entities';
import type { IntakeService } from '../inbound/intake.service';
import type { MailboxesRepository } from '../mailboxes/mailboxes.repository';

const log = logger('imap');
const BATCH = 50;

export interface PollerDeps {
  intake: IntakeService;
  repo: MailboxesRepository;
  password: string | null;
  pollSeconds: number;
}

/**
 * Polls one mailbox's IMAP folder: stores every mail with a UID above the last one stored
 * (progress saved with the UIDVALIDITY, so a restart resumes and never re-reads), then marks it
 * seen or moves it. Waits in IDLE where the server offers it, and polls on a timer anyway.
 * A mail over the size limit is left on the server and reported as the mailbox's last error.
 */
export class ImapPoller {
  private client?: ImapFlow;
  private stopped = false;
  private wake?: () => void;
  private pending = false;
  private loop?: Promise<void>;

  constructor(
    readonly mailbox: Mailbox,
    private readonly deps: PollerDeps,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
    await this.loop;
  }

  /** Fetch now (tests, and new mail announced by IDLE). */
  poke(): void {
    this.pending = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    while (!this.stopped) {
      try {
        await this.session();
        backoff = 1000;
      } catch (err) {
        if (this.stopped) break;
        const message = err instanceof Error ? err.message : String(err);
        log.warn({ mailbox: this.mailbox.address, err: message }, 'IMAP session failed; reconnecting');
        await this.deps.repo.saveImapError(this.mailbox.id, message).catch(() => undefined);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  private async session(): Promise<void> {
    const mb = this.mailbox;
    const client = new ImapFlow({
      host: mb.imapHost as string,
      port: mb.imapPort ?? (mb.imapTls ? 993 : 143),
      secure: mb.imapTls,
      auth: { user: mb.imapUser ?? '', pass: this.deps.password ?? '' },
      logger: false,
      disableAutoIdle: false,
      connectionTimeout: 15_000,
    });
    this.client = client;
    client.on('exists', () => this.poke());
    client.on('error', (err: Error) => log.warn({ mailbox: mb.address, err: err.message }, 'IMAP error'));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await client.connect();
    try {
      const folder = await client.mailboxOpen(mb.imapFolder);
      let lastUid = await this.checkValidity(Number(folder.uidValidity));
      while (!this.stopped && client.usable) {
        lastUid = await this.fetchNew(client, Number(folder.uidValidity), lastUid);
        await Promise.race([this.sleep(this.deps.pollSeconds * 1000), closed]);
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** A new UIDVALIDITY means the UIDs were renumbered: start over (duplicates are still detected). */
  private async checkValidity(uidValidity: number): Promise<number> {
    const current = await this.deps.repo.find(this.mailbox.id);
    if (current?.imapUidValidity !== uidValidity) {
      await this.deps.repo.resetImapProgress(this.mailbox.id, uidValidity);
      return 0;
    }
    return current.imapLastUid;
  }

  private async fetchNew(client: ImapFlow, uidValidity: number, lastUid: number): Promise<number> {
    let last = lastUid;
    for (;;) {
      const found = await client.search({ uid: `${last + 1}:*` }, { uid: true });
      const uids = (found || [])
        .filter((u) => u > last)
        .sort((a, b) => a - b)
        .slice(0, BATCH);
      if (!uids.length) break;
      const messages = await client.fetchAll(uids.join(','), { uid: true, source: true, size: true }, { uid: true });
      for (const msg of messages.sort((a, b) => a.uid - b.uid)) {
        if (this.stopped) return last;
        await this.store(msg.uid, msg.source);
        await this.deps.repo.saveImapProgress(this.mailbox.id, uidValidity, msg.uid);
        await this.afterFetch(client, msg.uid);
        last = msg.uid;
      }
      if (uids.length < BATCH) break;
    }
    await this.deps.repo.saveImapProgress(this.mailbox.id, uidValidity, last);
    return last;
  }

  private async store(uid: number, source: Buffer | undefined): Promise<void> {
    if (!source) return;
    if (source.length > this.deps.intake.maxBytes) {
      const error = `mail UID ${uid} (${source.length} bytes) is over the size limit; left on the server`;
      log.warn({ mailbox: this.mailbox.address, uid }, error);
      await this.deps.repo.saveImapError(this.mailbox.id, error);
      return;
    }
    await this.deps.intake.store({ raw: source, source: 'imap', mailboxId: this.mailbox.id });
  }

  private async afterFetch(client: ImapFlow, uid: number): Promise<void> {
    if (this.mailbox.imapAfterFetch === 'move' && this.mailbox.imapMoveTo) {
      await client.messageMove(String(uid), this.mailbox.imapMoveTo, { uid: true });
    } else {
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.pending = false;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
