import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobsService } from '../../common/jobs/jobs.service';
import { logger } from '../../common/logging/logger';
import { MailService } from '../../common/mail/mail.service';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { InboundRepository } from './inbound/inbound.repository';
import { IntakeService } from './inbound/intake.service';
import { NotificationsService } from './outbound/notifications.service';
import { OutboundMailService } from './outbound/outbound-mail.service';
import { OutboundRepository } from './outbound/outbound.repository';
import { TransportPool } from './outbound/transports';

const log = logger('email-maintenance');
const SWEEP_MS = 15_000;

/**
 * Keeps the pipeline honest in processes that run jobs: mail stored while no job could be
 * queued (a web-only process, a lost job) is queued again; agent notifications are scanned.
 * Also routes system mail (invitations, resets) through SMTP when MAIL_TRANSPORT=smtp.
 */
@Injectable()
export class EmailMaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly inbound: InboundRepository,
    private readonly intake: IntakeService,
    private readonly outboundRepo: OutboundRepository,
    private readonly outbound: OutboundMailService,
    private readonly notifications: NotificationsService,
    private readonly jobs: JobsService,
    transports: TransportPool,
    mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (config.mail.transport === 'smtp') {
      mail.useTransport(async (m) => {
        await transports
          .for(null)
          .send({ from: config.mail.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
      });
    }
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => void this.tick(), SWEEP_MS);
    this.timer.unref();
  }

  /** One round (also called by tests). Never throws. */
  tick(): Promise<void> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<void> {
    if (!this.jobs.started) return;
    try {
      for (const w of await this.inbound.waiting(60, 500)) await this.intake.enqueue(w.id, w.retryCount);
      for (const id of await this.outboundRepo.waiting(120, 500)) await this.outbound.requeue(id);
      this.outbound.wake();
      await this.notifications.scan();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'email maintenance round failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
