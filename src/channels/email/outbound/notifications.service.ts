import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../../../common/auth/actor';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { ContactsService } from '../../../contacts/contacts.service';
import { AgentsService, readerActorOf } from '../../../identity/agents.service';
import type { Agent } from '../../../identity/entities';
import type { Ticket } from '../../../tickets/entities';
import { canSeeTicket } from '../../../tickets/ticket-access';
import { TicketsService } from '../../../tickets/tickets.service';
import { NotificationsRepository } from './notifications.repository';
import { OutboundMailService } from './outbound-mail.service';
import { renderSubject, type EmailLocale, type TemplateName } from './templates';

const WINDOW = 1000;

interface Notice {
  key: string;
  agentId: string;
  ticketId: string;
  template: TemplateName;
  actorAgentId?: string | null;
  contactId?: string | null;
  excerpt?: string;
}

/**
 * Emails agents about their work: a ticket assigned to them (by someone else), a customer's
 * reply on a ticket assigned to them, a mention in an internal note. Each notice is sent once
 * (claimed by key in the same transaction that queues it), by whichever process scans first.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly outbound: OutboundMailService,
    private readonly agents: AgentsService,
    private readonly tickets: TicketsService,
    private readonly contacts: ContactsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async scan(): Promise<void> {
    await this.repo.transaction(async (m) => {
      if (!(await this.repo.tryLock(m))) return;
      const notices: Notice[] = [];
      const auditAt = await this.repo.cursor('notify:audit', 'audit_event', m);
      const auditEnd = Math.min(auditAt + WINDOW, await this.repo.maxAuditId(m));
      for (const e of await this.repo.assignmentsAfter(auditAt, auditEnd - auditAt, m)) {
        if (e.actorAgentId === e.assigneeId) continue;
        notices.push({
          key: `assigned:${e.id}`,
          agentId: e.assigneeId,
          ticketId: e.ticketId,
          template: 'notify-assigned',
          actorAgentId: e.actorAgentId,
        });
      }
      await this.repo.advance('notify:audit', auditEnd, m);
      const messageAt = await this.repo.cursor('notify:message', 'message', m);
      const messageEnd = Math.min(messageAt + WINDOW, await this.repo.maxMessageId(m));
      for (const r of await this.repo.customerRepliesAfter(messageAt, messageEnd - messageAt, m)) {
        notices.push({
          key: `replied:${r.id}`,
          agentId: r.assigneeId,
          ticketId: r.ticketId,
          template: 'notify-customer-replied',
          contactId: r.authorContactId,
          excerpt: r.bodyText,
        });
      }
      await this.repo.advance('notify:message', messageEnd, m);
      for (const n of await this.repo.recentMentions(m)) {
        for (const agentId of n.mentionIds) {
          if (agentId === n.authorAgentId) continue;
          notices.push({
            key: `mention:${n.id}:${agentId}`,
            agentId,
            ticketId: n.ticketId,
            template: 'notify-mentioned',
            actorAgentId: n.authorAgentId,
            excerpt: n.bodyText,
          });
        }
      }
      await this.send(notices, m);
    });
    this.outbound.wake();
  }

  private async send(notices: Notice[], m: EntityManager): Promise<void> {
    if (!notices.length) return;
    const agentIds = [...new Set(notices.flatMap((n) => [n.agentId, n.actorAgentId ?? '']).filter(Boolean))];
    const agents = new Map((await this.agents.agentsByIds(agentIds, m)).map((a) => [a.id, a]));
    const groups = await this.agents.groupsByAgent(agentIds, m);
    const tickets = new Map(
      (await this.tickets.getMany(SYSTEM_ACTOR, [...new Set(notices.map((n) => n.ticketId))])).map((t) => [t.id, t]),
    );
    for (const n of notices) {
      const agent = agents.get(n.agentId);
      const ticket = tickets.get(n.ticketId);
      const groupIds = (groups.get(n.agentId) ?? []).map((g) => g.id);
      if (!agent?.isActive || !ticket || !this.maySee(agent, groupIds, ticket)) continue;
      if (!(await this.repo.claim(n.key, m))) continue;
      const locale: EmailLocale = agent.locale === 'ko' ? 'ko' : 'en';
      const contact = n.contactId ? (await this.contacts.getMany([n.contactId], m))[0] : undefined;
      const data = {
        agentName: agent.name,
        actorName: n.actorAgentId ? (agents.get(n.actorAgentId)?.name ?? '') : '',
        contactName: contact?.name || (locale === 'ko' ? '고객' : 'The customer'),
        ticketNumber: ticket.number,
        subject: ticket.subject,
        excerpt: n.excerpt ?? '',
        url: `${this.config.baseUrl}/app/tickets/${ticket.number}`,
      };
      await this.outbound.queue(
        {
          kind: 'notification',
          mailbox: null,
          ticket: null,
          to: [agent.email],
          subject: renderSubject(n.template, locale, data),
          payload: { template: n.template, locale, data, ticketId: ticket.id },
        },
        m,
      );
    }
  }

  /** Notices follow the agent's ticket access, like everything else they read. */
  private maySee(agent: Agent, groupIds: string[], ticket: Ticket): boolean {
    return canSeeTicket(readerActorOf(agent, groupIds), ticket);
  }
}
