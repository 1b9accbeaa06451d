import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import type { Mailbox } from '../entities';
import { MailboxesService } from '../mailboxes/mailboxes.service';

export interface Sent {
  response: string;
}

/** Sends a composed mail; the log transport only writes it to the log. */
export interface MailTransport {
  send(mail: SendMailOptions): Promise<Sent>;
}

const log = logger('email-transport');

/**
 * Pooled SMTP connections: one pool per mailbox with its own server (rebuilt when its settings
 * change), one for the system server (`SMTP_URL`). Without either, mail is logged, not sent
 * (`MAIL_TRANSPORT=log`, the default on a laptop).
 */
@Injectable()
export class TransportPool implements OnApplicationShutdown {
  private readonly pools = new Map<
    string,
    { version: string; transporter: Transporter<SMTPTransport.SentMessageInfo> }
  >();

  constructor(
    private readonly mailboxes: MailboxesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  for(mailbox: Mailbox | null): MailTransport {
    if (mailbox?.smtpHost)
      return this.smtp(`mailbox:${mailbox.id}`, mailbox.updatedAt.toISOString(), this.options(mailbox));
    if (this.config.mail.transport === 'smtp' && this.config.mail.smtpUrl) {
      return this.smtp('system', this.config.mail.smtpUrl, this.config.mail.smtpUrl);
    }
    return {
      send: (mail) => {
        log.info({ to: mail.to, subject: mail.subject, messageId: mail.messageId }, 'mail (log transport)');
        return Promise.resolve({ response: 'logged (MAIL_TRANSPORT=log, no SMTP server configured)' });
      },
    };
  }

  private options(mb: Mailbox): SMTPTransport.Options {
    const password = this.mailboxes.smtpPassword(mb);
    return {
      host: mb.smtpHost as string,
      port: mb.smtpPort ?? (mb.smtpSecurity === 'tls' ? 465 : 587),
      secure: mb.smtpSecurity === 'tls',
      requireTLS: mb.smtpSecurity === 'starttls',
      ignoreTLS: mb.smtpSecurity === 'none',
      auth: mb.smtpUser ? { user: mb.smtpUser, pass: password ?? '' } : undefined,
      name: this.config.email.smtp.hostname,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    };
  }

  private smtp(key: string, version: string, options: SMTPTransport.Options | string): MailTransport {
    let entry = this.pools.get(key);
    if (!entry || entry.version !== version) {
      entry?.transporter.close();
      const base = typeof options === 'string' ? { url: options } : options;
      const transporter = nodemailer.createTransport({
        ...base,
        pool: true,
        maxConnections: 3,
        maxMessages: 100,
      } as SMTPTransport.Options);
      entry = { version, transporter };
      this.pools.set(key, entry);
    }
    const transporter = entry.transporter;
    return { send: async (mail) => ({ response: (await transporter.sendMail(mail)).response }) };
  }

  onApplicationShutdown(): void {
    for (const { transporter } of this.pools.values()) transporter.close();
    this.pools.clear();
  }
}
