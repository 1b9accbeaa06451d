import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { logger } from '../logging/logger';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is for, e.g. `password_reset`; useful in logs and tests. */
  purpose: string;
}

/**
 * System mail (invitations, password resets, notifications). Starts with a logging transport:
 * each mail is logged as JSON and kept in a small in-memory outbox; the email channel module
 * adds real SMTP delivery.
 */
@Injectable()
export class MailService {
  private readonly log = logger('mail');
  readonly outbox: OutgoingMail[] = [];
  private transport?: (mail: OutgoingMail) => Promise<void>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The email module plugs its SMTP delivery in here. */
  useTransport(send: (mail: OutgoingMail) => Promise<void>): void {
    this.transport = send;
  }

  async send(mail: OutgoingMail): Promise<void> {
    this.outbox.push(mail);
    if (this.outbox.length > 200) this.outbox.shift();
    if (this.transport) return this.transport(mail);
    this.log.info(
      { to: mail.to, subject: mail.subject, purpose: mail.purpose, text: mail.text, from: this.config.mail.from },
      'mail (log transport)',
    );
  }
}
