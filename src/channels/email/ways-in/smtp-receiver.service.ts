import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { IntakeService } from '../inbound/intake.service';
import { MailboxesService } from '../mailboxes/mailboxes.service';

const log = logger('smtp-receiver');
const MAX_OUR_RECIPIENTS = 100;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The built-in SMTP receiver (EMAIL_SMTP_ENABLED): accepts mail for our mailboxes only, up to
 * EMAIL_MAX_MESSAGE_BYTES, with optional AUTH and STARTTLS, and answers 250 only once the raw
 * message is committed. Point MX records (or a relay) at it.
 */
@Injectable()
export class SmtpReceiverService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: SMTPServer;
  private boundPort?: number;

  constructor(
    private readonly intake: IntakeService,
    private readonly mailboxes: MailboxesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The port it listens on (useful with EMAIL_SMTP_PORT=0). */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.email.smtp.enabled) await this.start();
  }

  async start(): Promise<number> {
    const c = this.config.email.smtp;
    const tls = c.tls ? { key: readFileSync(c.tls.keyPath), cert: readFileSync(c.tls.certPath) } : {};
    const server = new SMTPServer({
      name: c.hostname,
      banner: 'Sori',
      size: this.config.email.maxMessageBytes,
      ...tls,
      hideSTARTTLS: !c.tls,
      authOptional: !c.auth,
      disabledCommands: c.auth ? [] : ['AUTH'],
      allowInsecureAuth: !c.tls,
      disableReverseLookup: true,
      maxClients: 200,
      socketTimeout: 120_000,
      closeTimeout: 2000,
      logger: false,
      onAuth: (auth, _session, callback) => {
        const ok = !!c.auth && same(auth.username ?? '', c.auth.user) && same(auth.password ?? '', c.auth.password);
        if (!ok) return callback(smtpError(535, 'Authentication failed'));
        callback(null, { user: auth.username });
      },
      onRcptTo: (address, session, callback) => {
        this.mailboxes.byAddress(address.address).then(
          (mailbox) => {
            if (!mailbox) return callback(smtpError(550, `No mailbox here for <${address.address}>`));
            if (session.envelope.rcptTo.length >= MAX_OUR_RECIPIENTS)
              return callback(smtpError(452, 'Too many recipients'));
            callback();
          },
          () => callback(smtpError(451, 'Temporary failure, try again later')),
        );
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          (reply) => callback(null, reply),
          (err: Error) => callback(err),
        );
      },
    });
    server.on('error', (err) => log.warn({ err: err.message }, 'SMTP receiver error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(c.port, c.host, () => resolve());
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
    log.info({ host: c.host, port: this.boundPort }, 'SMTP receiver listening');
    return this.boundPort;
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= this.config.email.maxMessageBytes) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > this.config.email.maxMessageBytes) {
      throw smtpError(552, `Message exceeds the size limit of ${this.config.email.maxMessageBytes} bytes`);
    }
    const rcpt = session.envelope.rcptTo.map((r) => r.address);
    const mailbox = await this.mailboxes.byAddress(rcpt[0] ?? '');
    try {
      const stored = await this.intake.store({
        raw: Buffer.concat(chunks, size),
        source: 'smtp',
        mailboxId: mailbox?.id ?? null,
        envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        envelopeTo: rcpt,
      });
      return stored.duplicate ? 'OK: already received' : `OK: queued as ${stored.id}`;
    } catch (err) {
      log.error({ err: (err as Error).message }, 'could not store received mail');
      throw smtpError(451, 'Temporary failure storing the message, try again later');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
