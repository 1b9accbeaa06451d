import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanWrite, SYSTEM_ACTOR, type Actor } from '../common/auth/actor';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import { logger } from '../common/logging/logger';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import type { Ticket } from '../tickets/entities';
import { changeEvent, TicketsService, type TicketChange } from '../tickets/tickets.service';
import { AttachmentsService } from './attachments/attachments.service';
import { ConversationsRepository } from './conversations.repository';
import type { Attachment, AuthorKind, ChannelKind, Conversation, DeliveryState, Message } from './entities';
import { bodyFromInbound, isEmptyBody, MAX_ATTACHMENTS, type MessageBody } from './message-body';
import { OutboundDispatch, type OutboundMessage } from './outbound-dispatch';
import { retryOnDeadlock } from './transactions';

export interface MessageWrite {
  conversationId: string;
  authorKind: AuthorKind;
  authorAgentId?: string | null;
  authorContactId?: string | null;
  body: MessageBody;
  /** Id on the channel; a second message with the same (channelKey, externalId) is not stored. */
  externalId?: string | null;
  /** Defaults to `<channel kind>:<channel id or "default">` of the conversation. */
  channelKey?: string;
  attachmentIds?: string[];
  /** Rich content (validated by the channel that offers it), stored as JSON. */
  content?: Record<string, unknown> | null;
  /** Overrides the default (e.g. an agent's own mail that came in by email was already sent). */
  deliveryState?: DeliveryState;
}

/**
 * Rows the caller already holds in its transaction: it created (or locked, ticket row first) the
 * conversation and its ticket, so the write skips its own locking.
 */
export interface HeldRows {
  conversation: Conversation;
  ticket: Ticket | null;
  /**
   * Both rows were created for this message in the caller's transaction and already record it
   * (conversation: `withMessage`; ticket: `firstMessageText`, and `updated_at` is the
   * transaction's `now()` anyway), so the write does not update them again.
   */
  recorded?: boolean;
}

/** A message received from a channel adapter (email, widget, messaging apps, the API). */
export interface InboundMessage {
  conversationId: string;
  externalId?: string | null;
  authorKind?: Exclude<AuthorKind, 'agent'>;
  /** Defaults to the conversation's contact for contact messages. */
  authorContactId?: string | null;
  html?: string | null;
  text?: string | null;
  /** Files stored with `AttachmentsService.storeBuffer` (system-owned). */
  attachmentIds?: string[];
  channelKey?: string;
  content?: Record<string, unknown> | null;
}

export interface WrittenMessage {
  message: Message;
  attachments: Attachment[];
  conversation: Conversation;
  ticket: Ticket | null;
  /** false: a message with the same external id existed; nothing was written or published. */
  created: boolean;
  /** Ticket changes made on the way (reopened, follow-up created), published with the message. */
  ticketChanges: TicketChange[];
  /** Set when the message was handed to its channel for delivery. */
  outbound?: OutboundMessage;
}

class DuplicateMessage extends Error {}

const log = logger('messages');

export function channelKeyOf(c: Pick<Conversation, 'channelKind' | 'channelId'>): string {
  return `${c.channelKind}:${c.channelId ?? 'default'}`;
}

/** Agent and bot messages go out through the channel; on the API and the widget they are there at once. */
export function deliveryStateFor(author: AuthorKind, channel: ChannelKind): DeliveryState {
  if (author === 'contact' || author === 'system') return 'received';
  return channel === 'api' || channel === 'widget' ? 'sent' : 'queued';
}

/**
 * The one write path of messages. Stores first, in one transaction per message: locks the
 * ticket (then the conversation) so everything written to one ticket is serialised, applies
 * the ticket rules (a customer reply reopens a pending or solved ticket; one to a closed ticket
 * opens a linked follow-up), indexes the text for search and inserts the message idempotently.
 * Publishes `{kind: 'message', id}` after the commit.
 */
@Injectable()
export class MessagesService {
  private readonly observers: Array<(written: WrittenMessage) => void> = [];

  constructor(
    private readonly repo: ConversationsRepository,
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsService,
    private readonly bus: RealtimeBus,
    private readonly outbound: OutboundDispatch,
  ) {}

  /** For channel adapters: idempotent by (channel key, external id); never refuses a large body. */
  async receiveMessage(actor: Actor, inbound: InboundMessage): Promise<WrittenMessage> {
    const authorKind = inbound.authorKind ?? 'contact';
    const body = bodyFromInbound({ html: inbound.html, text: inbound.text });
    if (isEmptyBody(body) && !inbound.attachmentIds?.length && !inbound.content)
      throw new ValidationError('The message is empty.');
    return this.write(actor, {
      conversationId: inbound.conversationId,
      authorKind,
      authorContactId: authorKind === 'contact' ? inbound.authorContactId : null,
      body,
      externalId: inbound.externalId,
      channelKey: inbound.channelKey,
      attachmentIds: inbound.attachmentIds,
      content: inbound.content,
    });
  }

  /**
   * Writes a message; with `manager` it runs inside the caller's transaction and the caller
   * publishes with `publish()` after committing.
   */
  async write(actor: Actor, w: MessageWrite, manager?: EntityManager, held?: HeldRows): Promise<WrittenMessage> {
    assertCanWrite(actor);
    if ((w.attachmentIds?.length ?? 0) > MAX_ATTACHMENTS) {
      throw new ValidationError(`A message can have at most ${MAX_ATTACHMENTS} attachments.`);
    }
    if (held && (!manager || held.conversation.id !== w.conversationId)) {
      throw new Error('held rows belong to the caller’s transaction and to the conversation written to');
    }
    if (manager) return this.writeIn(actor, w, manager, held);
    try {
      const result = await retryOnDeadlock(() => this.repo.transaction((m) => this.writeIn(actor, w, m)));
      await this.publish(result);
      return result;
    } catch (err) {
      if (!(err instanceof DuplicateMessage)) throw err;
      // the same external id committed by a concurrent delivery between our check and our insert
      const conversation = await this.repo.findConversation(w.conversationId);
      const existing = await this.repo.findMessageByExternalId(
        w.channelKey ?? channelKeyOf(conversation as Conversation),
        w.externalId as string,
      );
      if (!existing || !conversation) throw new ConflictError('The message was stored concurrently; retry.');
      return this.existing(actor, existing, conversation);
    }
  }

  private async writeIn(actor: Actor, w: MessageWrite, m: EntityManager, held?: HeldRows): Promise<WrittenMessage> {
    let conversation: Conversation;
    let ticket: Ticket | null;
    if (held) {
      ({ conversation, ticket } = held);
    } else {
      const found = await this.repo.findConversation(w.conversationId, m);
      if (!found) throw new NotFoundError('Conversation', w.conversationId);
      ({ conversation, ticket } = await this.lock(found, m));
    }
    const channelKey = w.channelKey ?? channelKeyOf(conversation);
    const externalId = w.externalId?.trim() || null;
    // under the locks: a concurrent delivery of the same message has committed or waits for us.
    // A conversation created in this transaction holds no message yet; a concurrent write of the
    // same external id elsewhere ends at the unique index (DuplicateMessage, nothing written).
    const earlier =
      externalId && !held?.recorded ? await this.repo.findMessageByExternalId(channelKey, externalId, m) : null;
    if (earlier) return this.existing(actor, earlier, conversation, m);

    const ticketChanges: TicketChange[] = [];
    if (ticket?.status === 'closed') {
      if (w.authorKind !== 'contact') {
        throw new ValidationError(`Ticket #${ticket.number} is closed; replies go to a follow-up ticket.`);
      }
      const followUp = await this.tickets.createFollowUp(
        SYSTEM_ACTOR,
        ticket.id,
        { channel: conversation.channelKind },
        m,
      );
      ticketChanges.push(followUp);
      ticket = followUp.ticket;
    } else if (ticket && w.authorKind === 'contact' && (ticket.status === 'pending' || ticket.status === 'solved')) {
      const patch: Partial<Ticket> = { status: 'open', ...(ticket.status === 'solved' ? { solvedAt: null } : {}) };
      const reopened = await this.tickets.applyChanges(actor, ticket, patch, m);
      ticketChanges.push(reopened);
      ticket = reopened.ticket;
    } else if (ticket?.status === 'merged') {
      throw new ValidationError(`Ticket #${ticket.number} was merged; write on the ticket it was merged into.`);
    }

    if (!held?.recorded || ticketChanges.length) {
      conversation = await this.repo.recordMessageOnConversation(conversation.id, ticket?.id ?? null, m);
      if (ticket) ticket = await this.tickets.recordMessage(ticket.id, w.body.text, m);
    }
    const message = await this.repo.insertMessage(
      {
        conversationId: conversation.id,
        ticketId: ticket?.id ?? null,
        channelKey,
        externalId,
        authorKind: w.authorKind,
        authorAgentId: w.authorKind === 'agent' ? (w.authorAgentId ?? actor.agentId) : null,
        authorContactId: w.authorKind === 'contact' ? (w.authorContactId ?? conversation.contactId) : null,
        bodyHtml: w.body.html,
        bodyText: w.body.text,
        deliveryState: w.deliveryState ?? deliveryStateFor(w.authorKind, conversation.channelKind),
        content: w.content ?? null,
      },
      m,
    );
    if (!message) throw new DuplicateMessage();
    const attachments = w.attachmentIds?.length
      ? await this.attachments.attach(actor, w.attachmentIds, { messageId: message.id }, m)
      : [];
    let outbound: OutboundMessage | undefined;
    if (message.deliveryState === 'queued') {
      outbound = { actor, message, conversation, ticket, attachments };
      await this.outbound.enqueue(outbound, m);
    }
    return { message, attachments, conversation, ticket, created: true, ticketChanges, outbound };
  }

  /**
   * Ticket row first, then the conversation row — the order ticket merges use too. Follows a
   * merged ticket to the one it was merged into (the message, and the conversation, go there),
   * and starts over when the conversation moved to another ticket meanwhile.
   */
  private async lock(
    found: Conversation,
    m: EntityManager,
  ): Promise<{ conversation: Conversation; ticket: Ticket | null }> {
    let conversation = found;
    for (let attempt = 0; attempt < 5; attempt++) {
      const linked = conversation.ticketId;
      let ticket: Ticket | null = null;
      for (let id = linked, hops = 0; id && hops < 5; hops++) {
        const locked = await this.tickets.lockRow(id, m);
        if (!locked) break;
        ticket = locked;
        id = ticket.status === 'merged' ? ticket.mergedIntoId : null;
      }
      const fresh = await this.repo.lockConversation(conversation.id, m);
      if (!fresh) throw new NotFoundError('Conversation', conversation.id);
      if (fresh.ticketId === linked) return { conversation: fresh, ticket };
      conversation = fresh;
    }
    throw new ConflictError('The conversation keeps moving between tickets; retry.');
  }

  /**
   * The stored message for a repeated external id. External ids are unique per channel, not per
   * conversation: an agent or API client reusing one on another conversation is told so, and
   * never shown that message (it may belong to a ticket they cannot see). Channel adapters
   * (the system) keep plain idempotency.
   */
  private async existing(
    actor: Actor,
    message: Message,
    conversation: Conversation,
    m?: EntityManager,
  ): Promise<WrittenMessage> {
    if (message.conversationId !== conversation.id && actor.kind !== 'system') {
      throw new DomainError(
        ErrorCode.ALREADY_EXISTS,
        'This externalId is already used by a message of another conversation; external ids are unique per channel.',
        { externalId: message.externalId },
      );
    }
    const ticket = message.ticketId ? await this.tickets.get(SYSTEM_ACTOR, message.ticketId, m) : null;
    const attachments = await this.attachments.ofMessages([message.id], m);
    return { message, attachments, conversation, ticket, created: false, ticketChanges: [] };
  }

  /**
   * Channels observe messages written in this process after they are published (the widget
   * schedules unread-reply emails this way, whichever path wrote the reply). Never throws.
   */
  onWritten(observer: (written: WrittenMessage) => void): void {
    this.observers.push(observer);
  }

  /**
   * Tells subscribers in every process; call after the transaction committed. `changes`: other
   * ticket changes of the same transaction, published before the message in the same round trip.
   * Never throws.
   */
  async publish(result: WrittenMessage, changes: TicketChange[] = []): Promise<void> {
    await this.publishToBus(result, changes);
    if (!result.created) return;
    for (const observe of this.observers) {
      try {
        observe(result);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'message observer failed');
      }
    }
  }

  private async publishToBus(result: WrittenMessage, changes: TicketChange[]): Promise<void> {
    const events = [...changes, ...result.ticketChanges].map((c) => changeEvent(c)).filter((e) => e !== null);
    if (result.created) {
      if (result.outbound) this.outbound.committed(result.outbound);
      const topics = [`conversation:${result.conversation.id}`];
      const t = result.ticket;
      if (t) {
        topics.push(`ticket:${t.id}`, 'tickets');
        if (t.assigneeId) topics.push(`inbox:${t.assigneeId}`);
        if (t.groupId) topics.push(`group:${t.groupId}`);
      }
      events.push({ kind: 'message', id: result.message.id, topics });
    }
    await this.bus
      .publishAll(events)
      .catch((err: Error) => log.warn({ err: err.message, messageId: result.message.id }, 'publish failed'));
  }

  /** For channels with receipts: the customer received (or read) every reply up to `upTo`. */
  async markOutboundUpTo(conversationId: string, upTo: number, state: 'delivered' | 'read'): Promise<void> {
    await this.repo.markOutboundUpTo(conversationId, upTo, state);
  }

  /** For channel adapters reporting on outbound messages. */
  async markDelivery(messageId: number, state: DeliveryState, error: string | null = null): Promise<void> {
    await this.repo.setDeliveryState(messageId, state, error?.slice(0, 1000) ?? null);
  }
}
