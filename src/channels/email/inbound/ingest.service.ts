import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError, ValidationError } from '../../../common/errors/domain-error';
import { JobsService, type JobInfo } from '../../../common/jobs/jobs.service';
import { logger } from '../../../common/logging/logger';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { ContactsService } from '../../../contacts/contacts.service';
import type { Contact } from '../../../contacts/entities';
import { SYSTEM_ACTOR } from '../../../common/auth/actor';
import { AgentsService } from '../../../identity/agents.service';
import type { Agent } from '../../../identity/entities';
import type { InboundMail, Mailbox } from '../entities';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { DeliveryReportsService } from '../outbound/delivery-reports.service';
import { baseAddress } from '../threading/tokens';
import { loopReason, noAutoAnswerReason } from './auto-reply';
import { deliveryReport } from './dsn';
import { InboundRepository } from './inbound.repository';
import { InboundThreadingService } from './inbound-threading.service';
import { InboundWriterService } from './inbound-writer.service';
import { INBOUND_QUEUE } from './intake.service';
import { MailParseError, parseEmail, type MailAddress, type ParsedEmail } from './parse';
import { mailPeople, ticketCopies } from './people';

const log = logger('email-ingest');

// connection trouble, deadlocks, timeouts, a database shutting down: worth retrying
const TRANSIENT_SQLSTATE = /^(08|40|53|55P03|57)/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOSPC', 'EMFILE', 'EAGAIN']);

export function isTransient(err: unknown): boolean {
  if (err instanceof DomainError || err instanceof MailParseError) return false;
  const code = err instanceof QueryFailedError ? (err.driverError as { code?: string }).code : undefined;
  if (code) return TRANSIENT_SQLSTATE.test(code);
  const errno = (err as NodeJS.ErrnoException)?.code;
  if (errno && TRANSIENT_ERRNO.has(errno)) return true;
  return /connection|terminat|timeout/i.test(err instanceof Error ? err.message : '');
}

/**
 * The processing job of a stored mail. Reads it, parses it, and decides: a delivery report
 * (applied to the mail it is about), a loop, a rate-limited sender, or a message to write. A mail
 * that cannot be processed is marked failed with the reason and never holds up the others;
 * database trouble is retried by the job system.
 */
@Injectable()
export class IngestService {
  private agentCache?: { at: number; map: Promise<Map<string, Agent>> };

  constructor(
    private readonly repo: InboundRepository,
    private readonly mailboxes: MailboxesService,
    private readonly agents: AgentsService,
    private readonly contacts: ContactsService,
    private readonly threading: InboundThreadingService,
    private readonly writer: InboundWriterService,
    private readonly reports: DeliveryReportsService,
    jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    jobs.register<{ id: number }>(INBOUND_QUEUE, (data, job) => this.process(data.id, job), {
      retryLimit: 5,
      retryDelaySeconds: 5,
      // two workers each claiming half the mails at once: fewer round trips to claim and
      // complete, and one worker claims more while the other finishes its slowest mail
      concurrency: Math.min(2, config.email.ingestConcurrency),
      batchSize: Math.ceil(config.email.ingestConcurrency / 2),
    });
  }

  async process(id: number, job: Pick<JobInfo, 'retryCount' | 'retryLimit'> = { retryCount: 0, retryLimit: 0 }) {
    const found = await this.repo.waitingWithRaw(id);
    if (!found) return;
    try {
      if (!found.raw.length) return await this.repo.markDone(id, 'ignored', { reason: 'empty mail (0 bytes)' });
      await this.route(found.row, await parseEmail(found.raw));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isTransient(err) && job.retryCount < job.retryLimit) {
        log.warn({ inboundId: id, err: message, attempt: job.retryCount + 1 }, 'processing failed; will retry');
        throw err;
      }
      log.error({ inboundId: id, err: message }, 'mail could not be processed; kept as failed');
      await this.repo.markFailed(id, err instanceof MailParseError ? `parse: ${message}` : message);
    }
  }

  private async route(row: InboundMail, mail: ParsedEmail): Promise<void> {
    const all = await this.mailboxes.all();
    const ours = new Set(all.map((mb) => mb.address));
    const mailbox = this.mailboxOf(row, mail, all);
    const base = {
      mailboxId: mailbox?.id ?? null,
      fromAddress: (mail.from?.address ?? row.envelopeFrom)?.slice(0, 320) ?? null,
      subject: mail.subject.slice(0, 1000),
    };
    const report = deliveryReport(mail);
    if (report) {
      const ticketId = await this.reports.apply(report);
      const what = report.kind === 'read' ? 'read receipt' : `delivery report (${report.kind})`;
      return this.repo.markDone(row.id, 'ignored', {
        ...base,
        ticketId,
        reason: `${what}: ${report.reason}`.slice(0, 1000),
      });
    }
    const loop = loopReason(mail, ours);
    if (loop) return this.repo.markDone(row.id, 'ignored', { ...base, reason: `loop: ${loop}` });
    const agents = await this.agentsByEmail();
    const people = await mailPeople(mail, row.envelopeFrom, ours, (a) => Promise.resolve(agents.get(a) ?? null));
    const sender = people.author?.address;
    if (sender && !people.agent && !people.forwardedBy) {
      const recent = await this.repo.countRecentFrom(sender, row.id);
      if (recent >= this.config.email.senderRateLimitPerHour) {
        const reason = `rate limit: ${recent} mails from ${sender} in the last hour (possible mail loop)`;
        return this.repo.markDone(row.id, 'ignored', { ...base, fromAddress: sender, reason });
      }
    }
    const noAnswer = noAutoAnswerReason(mail);
    // mailing lists, robots and mass mailings do not get to copy people onto tickets
    const copies = ticketCopies(people, mail, noAnswer).filter((a) => !agents.has(a.address));
    const recipients = [...mail.to, ...mail.cc].map((a) => a.address).concat(row.envelopeTo);
    const target = await this.threading.target(mail, recipients, all, {
      contactId: async () => (people.agent ? null : ((await this.knownContact(people.author))?.id ?? null)),
      isAgent: !!people.agent,
    });
    await this.writer.write({ row, mail, mailbox, people, copies, target, noAnswer });
  }

  /** The mailbox it was delivered to, else the one it was addressed to, else the default. */
  private mailboxOf(row: InboundMail, mail: ParsedEmail, all: Mailbox[]): Mailbox | null {
    const active = all.filter((mb) => mb.isActive);
    const byId = all.find((mb) => mb.id === row.mailboxId);
    if (byId) return byId;
    const addressed = [...row.envelopeTo, ...[...mail.to, ...mail.cc].map((a) => a.address)].map(baseAddress);
    return (
      active.find((mb) => addressed.includes(mb.address)) ?? active.find((mb) => mb.isDefault) ?? active[0] ?? null
    );
  }

  /** The author's contact if they wrote before (threading may only let known people into a ticket). */
  private async knownContact(author: MailAddress | null): Promise<Contact | null> {
    if (!author) return null;
    try {
      return await this.contacts.findByIdentity('email', author.address);
    } catch (err) {
      if (err instanceof ValidationError) return null;
      throw err;
    }
  }

  /** Active agents by email, cached for a few seconds (read for every mail). */
  private agentsByEmail(): Promise<Map<string, Agent>> {
    if (!this.agentCache || Date.now() - this.agentCache.at > 5000) {
      const map = this.agents
        .list(SYSTEM_ACTOR)
        .then((all) => new Map(all.filter((a) => a.isActive).map((a) => [a.email.toLowerCase(), a])));
      map.catch(() => (this.agentCache = undefined));
      this.agentCache = { at: Date.now(), map };
    }
    return this.agentCache.map;
  }
}
