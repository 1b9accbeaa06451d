import { Inject, Injectable } from '@nestjs/common';
import { JobsService, type JobInfo } from '../../../common/jobs/jobs.service';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { MessagesService } from '../../../conversations/messages.service';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { ComposeError, MailComposer } from './composer';
import { SEND_QUEUE } from './outbound-mail.service';
import { OutboundRepository } from './outbound.repository';
import { TransportPool } from './transports';

const log = logger('email-send');

interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/** 5xx answers and refused addresses will not get better by waiting; everything else is retried. */
export function isPermanent(err: unknown): boolean {
  if (err instanceof ComposeError) return true;
  const e = err as SmtpError;
  if (typeof e.responseCode === 'number') return e.responseCode >= 500;
  return e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
}

export function reasonOf(err: unknown): string {
  const e = err as SmtpError;
  return (e.response || e.message || String(err)).replace(/\s+/g, ' ').slice(0, 900);
}

/**
 * The send job: composes the mail, hands it to the mailbox's (pooled) SMTP server and records
 * the outcome on the outbound row and, for messages, on the message (sent / failed + reason).
 * Temporary failures are retried with exponential backoff; the last attempt marks it failed.
 */
@Injectable()
export class SenderService {
  constructor(
    private readonly repo: OutboundRepository,
    private readonly mailboxes: MailboxesService,
    private readonly composer: MailComposer,
    private readonly transports: TransportPool,
    private readonly messages: MessagesService,
    jobs: JobsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    jobs.register<{ id: string }>(SEND_QUEUE, (data, job) => this.send(data.id, job), {
      retryLimit: 6,
      retryDelaySeconds: 15,
      concurrency: config.email.sendConcurrency,
    });
  }

  async send(id: string, job: Pick<JobInfo, 'retryCount' | 'retryLimit'>): Promise<void> {
    const row = await this.repo.find(id);
    if (!row || row.state !== 'queued') return;
    await this.repo.startAttempt(id);
    try {
      const mail = await this.composer.compose(row);
      if (!row.toAddresses.length) throw new ComposeError('The recipient has no email address.');
      const transport = this.transports.for(await this.mailboxes.byId(row.mailboxId));
      const sent = await transport.send(mail);
      await this.repo.markSent(id, sent.response);
      if (row.messageId) await this.messages.markDelivery(row.messageId, 'sent');
    } catch (err) {
      const reason = reasonOf(err);
      const final = isPermanent(err) || job.retryCount >= job.retryLimit;
      await this.repo.recordError(id, reason, final);
      if (final && row.messageId) await this.messages.markDelivery(row.messageId, 'failed', reason);
      log.warn({ outboundId: id, reason, final, attempt: job.retryCount + 1 }, 'sending failed');
      if (!final) throw err;
    }
  }
}
