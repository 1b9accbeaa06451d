import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../../../common/auth/actor';
import { NotFoundError, ValidationError } from '../../../common/errors/domain-error';
import { htmlToText } from '../../../common/text/html';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { ContactsService } from '../../../contacts/contacts.service';
import type { Contact } from '../../../contacts/entities';
import { AttachmentsService } from '../../../conversations/attachments/attachments.service';
import { ConversationsService } from '../../../conversations/conversations.service';
import { bodyFromInbound } from '../../../conversations/message-body';
import { MessagesService, type HeldRows, type WrittenMessage } from '../../../conversations/messages.service';
import { retryOnDeadlock } from '../../../conversations/transactions';
import type { Ticket } from '../../../tickets/entities';
import { TicketContactFollowersService } from '../../../tickets/ticket-contact-followers.service';
import { TicketsService, type PendingTicket, type TicketChange } from '../../../tickets/tickets.service';
import type { InboundMail, Mailbox } from '../entities';
import { AutoAnswersService } from '../outbound/auto-answers.service';
import { emailLocale, guessLocale } from '../outbound/templates';
import type { ThreadTarget } from '../threading/thread-match';
import { threadIndexRoot } from '../threading/tokens';
import { stripForwardPrefix } from './forwarded';
import { InboundRepository } from './inbound.repository';
import { rewriteCidLinks, storeInboundAttachments, worthTelling, type StoredAttachments } from './inbound-attachments';
import type { MailAddress, ParsedEmail } from './parse';
import type { MailPeople } from './people';
import { quotedTextStart, visibleHtml } from './quotes';

export interface WriteRequest {
  row: InboundMail;
  mail: ParsedEmail;
  mailbox: Mailbox | null;
  people: MailPeople;
  /** People to copy on the ticket. */
  copies: MailAddress[];
  target: ThreadTarget | null;
  /** Why no automatic answer may be sent; null for a person's mail. */
  noAnswer: string | null;
}

interface Written {
  written: WrittenMessage;
  changes: TicketChange[];
  /** An automatic answer was queued: the send workers are woken after the commit. */
  answered: boolean;
}

/**
 * Turns a parsed mail into a message: on the ticket it continues, or on a new ticket with its
 * conversation. Everything (ticket, conversation, message, copies, automatic answers and the
 * raw mail's status) is one transaction, so a retried job never doubles anything.
 */
@Injectable()
export class InboundWriterService {
  constructor(
    private readonly repo: InboundRepository,
    private readonly tickets: TicketsService,
    private readonly contacts: ContactsService,
    private readonly contactFollowers: TicketContactFollowersService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly attachments: AttachmentsService,
    private readonly answers: AutoAnswersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async write(r: WriteRequest): Promise<void> {
    const files = await storeInboundAttachments(r.mail.attachments, this.attachments);
    const html = r.mail.html ? rewriteCidLinks(r.mail.html, files.byCid) : null;
    const text = (r.mail.text ?? (html ? htmlToText(html) : '')).replace(/\r\n?/g, '\n').trim();
    const body = bodyFromInbound({ html, text });
    const result = await retryOnDeadlock(() =>
      this.repo.transaction(async (m) => {
        // Everything written here is derived from the raw mail, which its own (synchronous) commit
        // made durable before the sender was told "OK". So this commit does not wait for its WAL
        // flush: it holds the commit-order lock (taken by the message insert) for a few
        // statements instead of a disk sync, and concurrent mails no longer queue behind each
        // other's fsync. If the server crashes in the ~0.2 s before the WAL writer flushes, the
        // whole transaction is gone together — the mail is back to `received` and the sweeper
        // processes it again; any later synchronous commit flushes this one with it.
        await this.repo.asynchronousCommit(m);
        return this.writeIn(r, files, body, m);
      }),
    );
    await this.messages.publish(result.written, result.changes);
    if (result.answered) this.answers.wake();
  }

  private async writeIn(
    r: WriteRequest,
    files: StoredAttachments,
    body: { html: string; text: string },
    m: EntityManager,
  ): Promise<Written> {
    const changes: TicketChange[] = [];
    const existing = r.target ? await this.ticketOrNull(r.target.ticketId, m) : null;
    // an agent's own mail only joins an open ticket; otherwise it is treated as a customer's
    const agent = existing && !['closed', 'merged'].includes(existing.status) ? r.people.agent : null;
    // contacts first: their rows are locked before anything takes the commit-order lock
    const contact = agent ? null : ((await this.contactOf(r.people.author, m)) ?? (await this.fallbackContact(r, m)));
    const copies: Contact[] = [];
    for (const a of r.copies) {
      const c = await this.contactOf(a, m);
      if (c && c.id !== contact?.id && !copies.some((x) => x.id === c.id)) copies.push(c);
    }
    let conversationId: string;
    let pending: PendingTicket | null = null;
    let held: HeldRows | undefined;
    if (existing) {
      conversationId = await this.conversationOn(existing, r, contact, m);
    } else {
      const subject = this.subjectOf(r);
      const requester = contact as Contact;
      pending = await this.tickets.createPending(
        SYSTEM_ACTOR,
        {
          subject,
          requester: { contactId: requester.id },
          resolvedRequester: requester,
          channel: 'email',
          groupId: r.mailbox?.groupId,
          firstMessageText: body.text,
        },
        m,
      );
      // both rows are new in this transaction (nobody else can write to them before it commits)
      // and already record the message: its text indexed, the conversation's last message time set
      const conversation = await this.newConversation(pending.ticket, requester.id, r, subject, m, true);
      held = { ticket: pending.ticket, conversation, recorded: true };
      conversationId = held.conversation.id;
    }
    const written = await this.messages.write(
      SYSTEM_ACTOR,
      {
        conversationId,
        authorKind: agent ? 'agent' : 'contact',
        authorAgentId: agent?.id ?? null,
        authorContactId: contact?.id ?? null,
        body,
        externalId: `inbound:${r.row.id}`,
        channelKey: `email:${r.mailbox?.id ?? 'default'}`,
        attachmentIds: files.ids,
        deliveryState: agent ? 'sent' : undefined,
      },
      m,
      held,
    );
    // the commit-order lock is taken by the message insert above; the audit event joins it there
    if (pending) changes.push(await pending.recordCreation());
    const ticket = written.ticket;
    if (ticket && contact && !r.noAnswer) {
      const copyIds = [...(contact.id !== ticket.requesterId ? [contact.id] : []), ...copies.map((c) => c.id)];
      const change = await this.contactFollowers.addLocked(SYSTEM_ACTOR, ticket, copyIds, m);
      if (change) changes.push(change);
    }
    const answered =
      !!ticket && !!contact && !agent && !r.noAnswer && !!r.people.replyTo
        ? await this.answer(r, ticket, pending !== null, written.conversation.id, contact, files, m)
        : false;
    await this.repo.markDone(
      r.row.id,
      'parsed',
      {
        mailboxId: r.mailbox?.id ?? null,
        fromAddress: (r.people.author?.address ?? r.row.envelopeFrom)?.slice(0, 320) ?? null,
        subject: r.mail.subject.slice(0, 1000),
        ticketId: ticket?.id ?? null,
        conversationId: written.conversation.id,
        messageId: written.message.id,
        threadIndexRoot: threadIndexRoot(r.mail.headers.get('thread-index')?.[0]),
        autoReply: r.noAnswer,
        rejectedAttachments: files.rejected,
        quotedTextStart: quotedTextStart(body.text),
        visibleHtml: r.mail.html ? visibleHtml(r.mail.html && rewriteCidLinks(r.mail.html, files.byCid)) : null,
      },
      m,
    );
    return { written, changes, answered };
  }

  private async answer(
    r: WriteRequest,
    ticket: Ticket,
    isNew: boolean,
    conversationId: string,
    contact: Contact,
    files: StoredAttachments,
    m: EntityManager,
  ): Promise<boolean> {
    const fallback = r.mailbox?.locale === 'ko' ? 'ko' : 'en';
    const locale = contact.locale
      ? emailLocale(contact.locale, fallback)
      : guessLocale(`${r.mail.subject}\n${r.mail.text ?? ''}`, fallback);
    const c = {
      mailbox: r.mailbox,
      ticket,
      conversationId,
      to: (r.people.replyTo ?? r.people.author)?.address as string,
      contactName: contact.name,
      locale,
      inReplyTo: r.row.messageIdHeader,
      references: r.mail.references,
    };
    const ack = isNew && !!r.mailbox?.ackEnabled;
    if (ack) await this.answers.queueAck(c, m);
    const rejected = worthTelling(files.rejected);
    if (rejected.length) await this.answers.queueRejection(c, rejected, this.config.storage.maxUploadBytes, m);
    return ack || rejected.length > 0;
  }

  /** The conversation of the mail it answers, else the ticket's email conversation with this person, else a new one. */
  private async conversationOn(
    ticket: Ticket,
    r: WriteRequest,
    contact: Contact | null,
    m: EntityManager,
  ): Promise<string> {
    const convs = await this.conversations.ofTickets([ticket.id], m);
    const email = convs.filter((c) => c.channelKind === 'email');
    const pick =
      email.find((c) => c.id === r.target?.conversationId) ??
      email.find((c) => c.contactId === contact?.id) ??
      email.find((c) => c.contactId === ticket.requesterId) ??
      email[0];
    if (pick) return pick.id;
    const owner = contact?.id ?? ticket.requesterId;
    return (await this.newConversation(ticket, owner, r, r.mail.subject || ticket.subject, m)).id;
  }

  private newConversation(
    ticket: Ticket,
    contactId: string,
    r: WriteRequest,
    subject: string,
    m: EntityManager,
    withMessage = false,
  ) {
    return this.conversations.create(
      SYSTEM_ACTOR,
      {
        ticketId: ticket.id,
        contactId,
        channelKind: 'email',
        channelId: r.mailbox?.id ?? null,
        subject,
        externalThreadId: r.row.messageIdHeader,
        withMessage,
      },
      m,
    );
  }

  private subjectOf(r: WriteRequest): string {
    const subject = r.people.forwardedBy ? stripForwardPrefix(r.mail.subject) : r.mail.subject;
    return subject.trim() || (r.mailbox?.locale === 'ko' ? '(제목 없음)' : '(no subject)');
  }

  private async ticketOrNull(id: string, m: EntityManager): Promise<Ticket | null> {
    try {
      return await this.tickets.get(SYSTEM_ACTOR, id, m);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  private async contactOf(a: MailAddress | null, m: EntityManager): Promise<Contact | null> {
    if (!a) return null;
    try {
      return await this.contacts.resolve({ email: a.address, name: a.name }, m);
    } catch (err) {
      if (err instanceof ValidationError) return null;
      throw err;
    }
  }

  /** A mail with no usable sender address still becomes a ticket, from "unknown sender". */
  private async fallbackContact(r: WriteRequest, m: EntityManager): Promise<Contact> {
    const address = r.people.agent?.email ?? 'unknown-sender@mail.invalid';
    try {
      return await this.contacts.resolve({ email: address, name: r.people.agent?.name ?? 'Unknown sender' }, m);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.contacts.resolve({ email: 'unknown-sender@mail.invalid', name: 'Unknown sender' }, m);
    }
  }
}
