import { Injectable } from '@nestjs/common';
import { assertCanRead, SYSTEM_ACTOR, type Actor } from '../../common/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../common/errors/domain-error';
import { RealtimeBus } from '../../common/pubsub/realtime-bus';
import { resumableStream } from '../../common/pubsub/resumable-stream';
import { SharedReads } from '../../common/pubsub/shared-reads';
import { toAuditEventDto, toTicketDto } from '../../tickets/dto/mappers';
import type { TicketDto } from '../../tickets/dto/ticket.dto';
import { canSeeTicket } from '../../tickets/ticket-access';
import { TicketsService } from '../../tickets/tickets.service';
import { ConversationsService } from '../conversations.service';
import { toMessageDto } from '../dto/mappers';
import { MessageAddedEvent, TicketUpdatedEvent } from '../dto/events.dto';
import { RealtimeRepository, type MessageScope, type TicketEventScope } from './realtime.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor from the client: the id of the last item it received. */
export function parseCursor(after: string | null | undefined): number | undefined {
  if (after === undefined || after === null) return undefined;
  const n = Number(after);
  if (!/^\d{1,16}$/.test(after) || !Number.isSafeInteger(n)) {
    throw new ValidationError('`after` must be the cursor of an event you received.', { after });
  }
  return n;
}

/**
 * Live streams behind the subscriptions. Each subscriber is checked once (ticket access) when it
 * subscribes and filtered per event with the same rule; the data of an event is read once per
 * process and shared by all subscribers at the same cursor (StreamGroup for those following live,
 * SharedReads for the others), not once per subscriber.
 */
@Injectable()
export class MessageStreamsService {
  private readonly reads = new SharedReads();

  constructor(
    private readonly bus: RealtimeBus,
    private readonly repo: RealtimeRepository,
    private readonly tickets: TicketsService,
    private readonly conversations: ConversationsService,
  ) {}

  async messagesOfTicket(actor: Actor, ticketId: string, after?: string) {
    const cursor = parseCursor(after);
    if (!UUID.test(ticketId)) throw new NotFoundError('Ticket', ticketId);
    await this.tickets.get(actor, ticketId);
    return this.messages(actor, `ticket:${ticketId}`, { ticketId }, cursor);
  }

  async messagesOfConversation(actor: Actor, conversationId: string, after?: string) {
    const cursor = parseCursor(after);
    if (!UUID.test(conversationId)) throw new NotFoundError('Conversation', conversationId);
    await this.conversations.get(actor, conversationId);
    return this.messages(actor, `conversation:${conversationId}`, { conversationId }, cursor);
  }

  async inboxMessages(actor: Actor, after?: string) {
    const agentId = this.inboxOwner(actor);
    return this.messages(actor, `inbox:${agentId}`, { assigneeId: agentId }, parseCursor(after));
  }

  async ticketUpdates(actor: Actor, ticketId: string, after?: string) {
    const cursor = parseCursor(after);
    if (!UUID.test(ticketId)) throw new NotFoundError('Ticket', ticketId);
    await this.tickets.get(actor, ticketId);
    return this.ticketEvents(actor, `ticket:${ticketId}`, { ticketId }, cursor);
  }

  /** Every ticket change the actor may see (new tickets included), or those of one group. */
  async ticketsUpdates(actor: Actor, groupId?: string, after?: string) {
    assertCanRead(actor);
    const cursor = parseCursor(after);
    if (groupId && !UUID.test(groupId)) throw new ValidationError('groupId must be a group id.', { groupId });
    return groupId
      ? this.ticketEvents(actor, `group:${groupId}`, { groupId }, cursor)
      : this.ticketEvents(actor, 'tickets', { all: true }, cursor);
  }

  async inboxTicketUpdates(actor: Actor, after?: string) {
    const agentId = this.inboxOwner(actor);
    return this.ticketEvents(actor, `inbox:${agentId}`, { assigneeId: agentId }, parseCursor(after));
  }

  /** Messages on every ticket the actor can see (the workspace's live lists). */
  async visibleMessages(actor: Actor, after?: string) {
    assertCanRead(actor);
    return this.messages(actor, 'tickets', { all: true }, parseCursor(after));
  }

  private inboxOwner(actor: Actor): string {
    assertCanRead(actor);
    if (!actor.agentId) throw new ForbiddenError('Only agents have an inbox.');
    return actor.agentId;
  }

  private messages(actor: Actor, topic: string, scope: MessageScope, after: number | undefined) {
    return resumableStream<MessageAddedEvent>(this.bus, {
      topic,
      kind: 'message',
      after,
      head: () => this.reads.read('message:head', () => this.repo.messageHead()),
      fetchAfter: (from, limit) =>
        this.reads.read(`message|${topic}|${from}|${limit}`, () => this.loadMessages(scope, from, limit)),
      idOf: (e) => Number(e.cursor),
      accept: (e) => this.mayReceive(actor, e.ticket),
      // the scope follows from the topic, so every stream of the topic reads the same items
      group: 'messages',
    });
  }

  private ticketEvents(actor: Actor, topic: string, scope: TicketEventScope, after: number | undefined) {
    return resumableStream<TicketUpdatedEvent>(this.bus, {
      topic,
      kind: 'ticket',
      after,
      head: () => this.reads.read('audit:head', () => this.repo.auditHead()),
      fetchAfter: (from, limit) =>
        this.reads.read(`ticket|${topic}|${from}|${limit}`, () => this.loadTicketEvents(scope, from, limit)),
      idOf: (e) => Number(e.cursor),
      // a previous assignee who may still see the ticket learns that it left their inbox
      accept: (e) => !!e.ticket && this.mayReceive(actor, e.ticket),
      group: 'ticket-events',
    });
  }

  private mayReceive(actor: Actor, ticket: TicketDto | null): boolean {
    return ticket ? canSeeTicket(actor, ticket) : actor.role === 'admin' || actor.ticketAccess === 'all';
  }

  private async ticketsById(ids: Array<string | null>): Promise<Map<string, TicketDto>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    const tickets = await this.tickets.getMany(SYSTEM_ACTOR, unique);
    return new Map(tickets.map((t) => [t.id, toTicketDto(t)]));
  }

  private async loadMessages(scope: MessageScope, after: number, limit: number): Promise<MessageAddedEvent[]> {
    const rows = await this.repo.messagesAfter(scope, after, limit);
    if (!rows.length) return [];
    // messages with attachments are the exception: read theirs in a second query, the others need none
    const withAttachments = rows.filter((r) => r.hasAttachments).map((r) => r.message);
    const dtos = new Map((await this.conversations.toDtos(withAttachments)).map((d) => [d.id, d]));
    return rows.map(({ message, ticket }) => {
      const dto = dtos.get(String(message.id)) ?? toMessageDto(message);
      return Object.assign(new MessageAddedEvent(), {
        cursor: dto.id,
        message: dto,
        ticket: ticket && message.ticketId ? toTicketDto(ticket) : null,
      });
    });
  }

  private async loadTicketEvents(scope: TicketEventScope, after: number, limit: number): Promise<TicketUpdatedEvent[]> {
    const events = await this.repo.ticketEventsAfter(scope, after, limit);
    if (!events.length) return [];
    const tickets = await this.ticketsById(events.map((e) => e.ticketId));
    // an event whose ticket is gone still moves the cursor; `accept` drops it
    return events.map((e) =>
      Object.assign(new TicketUpdatedEvent(), {
        cursor: String(e.id),
        ticket: tickets.get(e.ticketId) as TicketDto,
        event: toAuditEventDto(e),
      }),
    );
  }
}
