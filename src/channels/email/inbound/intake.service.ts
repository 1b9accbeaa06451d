import { Inject, Injectable } from '@nestjs/common';
import { jobIdFor, JobsService } from '../../../common/jobs/jobs.service';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import type { InboundSource } from '../entities';
import { InboundRepository, type NewRawMail } from './inbound.repository';
import { rawIdentity } from './raw-mail';

export const INBOUND_QUEUE = 'email-inbound';

export interface IncomingMail {
  raw: Buffer;
  source: InboundSource;
  mailboxId: string | null;
  envelopeFrom?: string | null;
  envelopeTo?: string[];
}

export interface Stored {
  id: number;
  /** The same mail was stored before; nothing new was queued. */
  duplicate: boolean;
}

export class MessageTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The message is larger than ${maxBytes} bytes.`);
  }
}

const log = logger('email-intake');

/** At most this many mails share one commit. */
const MAX_GROUP = 32;

interface Waiting {
  row: NewRawMail;
  resolve: (stored: Stored) => void;
  reject: (err: unknown) => void;
}

/** The job id of processing attempt `retry` of a stored mail: re-sending it is harmless. */
export function inboundJobId(id: number, retry: number): string {
  return jobIdFor(`${INBOUND_QUEUE}:${id}:${retry}`);
}

/**
 * The one door every way in (SMTP receiver, IMAP, webhook) goes through: the raw bytes and
 * their hashes are committed together with the processing job before the sender is told "OK".
 * Parsing happens later, in the job; whatever it finds, the raw mail stays.
 */
@Injectable()
export class IntakeService {
  private readonly waiting: Waiting[] = [];
  private committing = false;

  constructor(
    private readonly repo: InboundRepository,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.email.maxMessageBytes;
  }

  /**
   * Stores a mail; resolves once it is committed. Mails arriving while a commit is under way
   * are stored together in the next one (group commit: one INSERT of the raw mails and one of
   * their jobs for the lot), so a busy receiver spends a few statements on many mails.
   */
  store(mail: IncomingMail): Promise<Stored> {
    if (mail.raw.length > this.maxBytes) return Promise.reject(new MessageTooLargeError(this.maxBytes));
    const identity = rawIdentity(mail.raw);
    const row: NewRawMail = {
      mailboxId: mail.mailboxId,
      source: mail.source,
      raw: mail.raw,
      sha256: identity.sha256,
      contentSha256: identity.contentSha256,
      messageIdHeader: identity.messageId,
      messageIdGenerated: identity.messageIdGenerated,
      envelopeFrom: mail.envelopeFrom?.toLowerCase().slice(0, 320) || null,
      envelopeTo: (mail.envelopeTo ?? []).map((a) => a.toLowerCase().slice(0, 320)).slice(0, 100),
    };
    return new Promise<Stored>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (!this.committing) void this.commitWaiting();
    });
  }

  private async commitWaiting(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, MAX_GROUP);
        try {
          this.settle(batch, await this.insert(batch.map((w) => w.row)));
        } catch (err) {
          if (batch.length === 1) {
            batch[0].reject(err);
            continue;
          }
          // one bad mail must not fail the others: each on its own
          for (const w of batch) await this.insert([w.row]).then((ids) => this.settle([w], ids), w.reject);
        }
      }
    } finally {
      this.committing = false;
    }
  }

  /** Raw mails and their jobs in one transaction; the stored id per mail (null: stored before). */
  private async insert(rows: NewRawMail[]): Promise<Array<number | null>> {
    // the same mail twice in one group: the first is stored, the second is its duplicate
    const keys = rows.map((r) => `${r.messageIdHeader}\n${r.contentSha256}`);
    const unique = rows.filter((_, i) => keys.indexOf(keys[i]) === i);
    const stored = await this.repo.transaction(async (m) => {
      const ids = await this.repo.insertRaw(unique, m);
      const fresh = ids.filter((id): id is number => id !== null);
      // without workers in this process the sweeper of a process with workers picks the mails up
      if (fresh.length && this.jobs.started) {
        await this.jobs.sendMany(
          INBOUND_QUEUE,
          fresh.map((id) => ({ data: { id }, id: inboundJobId(id, 0) })),
          m,
        );
      }
      return ids;
    });
    if (stored.some((id) => id !== null)) this.jobs.wake(INBOUND_QUEUE);
    return rows.map((_, i) => {
      const first = keys.indexOf(keys[i]);
      return first === i ? stored[unique.indexOf(rows[i])] : null;
    });
  }

  private settle(batch: Waiting[], ids: Array<number | null>): void {
    batch.forEach((w, i) => {
      const id = ids[i];
      if (id !== null) return w.resolve({ id, duplicate: false });
      this.repo.findDuplicate(w.row.messageIdHeader, w.row.contentSha256).then((existing) => {
        log.info({ messageId: w.row.messageIdHeader, existing }, 'duplicate mail, already stored');
        w.resolve({ id: existing ?? 0, duplicate: true });
      }, w.reject);
    });
  }

  /** Queues processing of a stored mail (again): admin retry and the sweeper. */
  async enqueue(id: number, retry: number): Promise<void> {
    if (!this.jobs.started) return;
    await this.jobs.send(INBOUND_QUEUE, { id }, { id: inboundJobId(id, retry) });
    this.jobs.wake(INBOUND_QUEUE);
  }
}
