import { Inject, Injectable } from '@nestjs/common';
import { jobIdFor, JobsService } from '../../../common/jobs/jobs.service';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import type { InboundSource } from '../entities';
import { InboundRepository } from './inbound.repository';
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
  constructor(
    private readonly repo: InboundRepository,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.email.maxMessageBytes;
  }

  async store(mail: IncomingMail): Promise<Stored> {
    if (mail.raw.length > this.maxBytes) throw new MessageTooLargeError(this.maxBytes);
    const identity = rawIdentity(mail.raw);
    const id = await this.repo.transaction(async (m) => {
      const inserted = await this.repo.insertRaw(
        {
          mailboxId: mail.mailboxId,
          source: mail.source,
          raw: mail.raw,
          sha256: identity.sha256,
          contentSha256: identity.contentSha256,
          messageIdHeader: identity.messageId,
          messageIdGenerated: identity.messageIdGenerated,
          envelopeFrom: mail.envelopeFrom?.toLowerCase().slice(0, 320) || null,
          envelopeTo: (mail.envelopeTo ?? []).map((a) => a.toLowerCase().slice(0, 320)).slice(0, 100),
        },
        m,
      );
      // without workers in this process the sweeper of a process with workers picks the mail up
      if (inserted !== null && this.jobs.started) {
        await this.jobs.send(INBOUND_QUEUE, { id: inserted }, { id: inboundJobId(inserted, 0), manager: m });
      }
      return inserted;
    });
    if (id === null) {
      const existing = await this.repo.findDuplicate(identity.messageId, identity.contentSha256);
      log.info({ messageId: identity.messageId, existing }, 'duplicate mail, already stored');
      return { id: existing ?? 0, duplicate: true };
    }
    this.jobs.wake(INBOUND_QUEUE);
    return { id, duplicate: false };
  }

  /** Queues processing of a stored mail (again): admin retry and the sweeper. */
  async enqueue(id: number, retry: number): Promise<void> {
    if (!this.jobs.started) return;
    await this.jobs.send(INBOUND_QUEUE, { id }, { id: inboundJobId(id, retry) });
    this.jobs.wake(INBOUND_QUEUE);
  }
}
