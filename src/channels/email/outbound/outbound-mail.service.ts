import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { jobIdFor, JobsService } from '../../../common/jobs/jobs.service';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { ContactsService } from '../../../contacts/contacts.service';
import type { Conversation } from '../../../conversations/entities';
import { OutboundDispatch, type OutboundMessage } from '../../../conversations/outbound-dispatch';
import type { Ticket } from '../../../tickets/entities';
import { TicketContactFollowersService } from '../../../tickets/ticket-contact-followers.service';
import type { Mailbox, OutboundKind, OutboundMail } from '../entities';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { subjectWithTag } from '../threading/thread-keys';
import { domainOf, newMessageId, threadIndexFor, threadIndexRoot, ticketToken } from '../threading/tokens';
import { headerSafe, referencesFor, replySubject } from './headers';
import { OutboundRepository } from './outbound.repository';

export const SEND_QUEUE = 'email-send';
export const sendJobId = (outboundId: string) => jobIdFor(`${SEND_QUEUE}:${outboundId}`);

export interface QueueRequest {
  kind: OutboundKind;
  mailbox: Mailbox | null;
  ticket: Pick<Ticket, 'id' | 'number' | 'createdAt'> | null;
  conversationId?: string | null;
  messageId?: number | null;
  to: string[];
  cc?: string[];
  subject: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Template and data for mails that are not messages. */
  payload?: Record<string, unknown>;
}

/**
 * Queues outbound mail: a row with our Message-ID (the ticket token inside), the threading
 * headers and the recipients, plus a send job, in the caller's transaction. Agent and bot
 * messages on email conversations arrive here through OutboundDispatch.
 */
@Injectable()
export class OutboundMailService {
  /** Extra Cc of the next message on a conversation (new outbound email with copies). */
  private readonly pendingCc = new Map<string, string[]>();

  constructor(
    private readonly repo: OutboundRepository,
    private readonly mailboxes: MailboxesService,
    private readonly contacts: ContactsService,
    private readonly contactFollowers: TicketContactFollowersService,
    private readonly jobs: JobsService,
    dispatch: OutboundDispatch,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    dispatch.register('email', {
      enqueue: (out, m) => this.queueMessage(out, m),
      committed: () => this.jobs.wake(SEND_QUEUE),
    });
  }

  withCc(conversationId: string, cc: string[]): void {
    this.pendingCc.set(conversationId, cc);
  }

  async queueMessage(out: OutboundMessage, m: EntityManager): Promise<void> {
    const { conversation, ticket, message } = out;
    const mailbox = (await this.mailboxes.byId(conversation.channelId)) ?? (await this.mailboxes.fallback());
    const to = await this.emailOf(conversation.contactId, m);
    const thread = await this.repo.threadOf(conversation.id, m);
    const lastInbound = [...thread].reverse().find((t) => t.inbound)?.id;
    const base = conversation.subject ?? ticket?.subject ?? '';
    const subject = thread.length ? replySubject(base) : base;
    const cc = await this.ccFor(conversation, ticket, to, m);
    this.pendingCc.delete(conversation.id);
    await this.queue(
      {
        kind: 'message',
        mailbox,
        ticket,
        conversationId: conversation.id,
        messageId: message.id,
        to: to ? [to] : [],
        cc,
        subject: ticket && mailbox?.subjectTag ? subjectWithTag(subject, mailbox.subjectTag, ticket.number) : subject,
        inReplyTo: lastInbound ?? thread.at(-1)?.id ?? null,
        references: referencesFor(thread.map((t) => t.id)),
      },
      m,
    );
  }

  async queue(q: QueueRequest, m: EntityManager): Promise<OutboundMail> {
    const from = q.mailbox?.address ?? this.systemAddress();
    const token = q.ticket ? ticketToken(this.config.secrets.app, q.ticket.number) : null;
    const sequence = q.ticket ? await this.repo.countOfTicket(q.ticket.id, m) : 0;
    const threadIndex = q.ticket
      ? threadIndexFor(this.config.secrets.app, q.ticket.id, q.ticket.createdAt, sequence)
      : null;
    const row = await this.repo.insert(
      {
        mailboxId: q.mailbox?.id ?? null,
        kind: q.kind,
        messageId: q.messageId ?? null,
        ticketId: q.ticket?.id ?? null,
        conversationId: q.conversationId ?? null,
        messageIdHeader: newMessageId(domainOf(from), token),
        inReplyTo: q.inReplyTo ?? null,
        references: q.references ?? [],
        threadIndexRoot: threadIndexRoot(threadIndex),
        fromAddress: from,
        toAddresses: [...new Set(q.to)],
        ccAddresses: [...new Set(q.cc ?? [])].filter((a) => !q.to.includes(a)),
        subject: headerSafe(q.subject, 900),
        payload: { ...q.payload, ...(q.ticket ? { threadIndex, ticketNumber: q.ticket.number } : {}) },
      },
      m,
    );
    if (this.jobs.started) await this.jobs.send(SEND_QUEUE, { id: row.id }, { id: sendJobId(row.id), manager: m });
    return row;
  }

  /** Re-queues a mail whose job was lost (the sweeper); harmless when the job exists. */
  async requeue(id: string): Promise<void> {
    if (this.jobs.started) await this.jobs.send(SEND_QUEUE, { id }, { id: sendJobId(id) });
  }

  wake(): void {
    this.jobs.wake(SEND_QUEUE);
  }

  systemAddress(): string {
    const from = this.config.mail.from;
    return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
  }

  async emailOf(contactId: string, m?: EntityManager): Promise<string | null> {
    const identities = await this.contacts.identitiesOf([contactId], m);
    return identities.find((i) => i.kind === 'email')?.value ?? null;
  }

  /** Copies: customers copied on the ticket when writing to its requester, plus any given for this mail. */
  private async ccFor(
    conversation: Conversation,
    ticket: Ticket | null,
    to: string | null,
    m: EntityManager,
  ): Promise<string[]> {
    const cc = [...(this.pendingCc.get(conversation.id) ?? [])];
    if (ticket && conversation.contactId === ticket.requesterId) {
      const followers = await this.contactFollowers.contactFollowersOf([ticket.id], m);
      const identities = await this.contacts.identitiesOf(
        followers.map((f) => f.contactId),
        m,
      );
      for (const f of followers) {
        const email = identities.find((i) => i.contactId === f.contactId && i.kind === 'email')?.value;
        if (email) cc.push(email);
      }
    }
    const ours = await this.mailboxes.ourAddresses();
    return [...new Set(cc)].filter((a) => a !== to && !ours.has(a)).slice(0, 50);
  }
}
