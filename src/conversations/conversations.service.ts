import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor, type Connection } from '../common/graphql/pagination';
import { TicketsService } from '../tickets/tickets.service';
import { AttachmentsService } from './attachments/attachments.service';
import { ConversationsRepository, type NewConversation } from './conversations.repository';
import type { MessageDto } from './dto/conversation.dto';
import { groupBy, toMessageDto } from './dto/mappers';
import { pageInfoFor, pageWindow, type TwoWayPageArgs } from './dto/page-args';
import type { Conversation, Message } from './entities';

/** Conversations: who may see them (through their ticket), their messages page by page. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly repo: ConversationsRepository,
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsService,
  ) {}

  /** A conversation the actor may see; others are reported as not found. */
  async get(actor: Actor, id: string): Promise<Conversation> {
    assertCanRead(actor);
    const conversation = await this.repo.findConversation(id);
    if (!conversation || !(await this.canSee(actor, conversation))) throw new NotFoundError('Conversation', id);
    return conversation;
  }

  /** Visible through its ticket; a conversation without a ticket only to agents who see every ticket. */
  async canSee(actor: Actor, c: Pick<Conversation, 'ticketId'>): Promise<boolean> {
    if (!c.ticketId) return actor.role === 'admin' || actor.ticketAccess === 'all';
    try {
      await this.tickets.get(actor, c.ticketId);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /** Conversations of tickets the caller has already checked access to, oldest first. */
  ofTickets(ticketIds: readonly string[], manager?: EntityManager): Promise<Conversation[]> {
    return this.repo.conversationsOfTickets(ticketIds, manager);
  }

  /** For channel adapters: a new conversation (optionally in the caller's transaction). */
  async create(actor: Actor, data: NewConversation, manager?: EntityManager): Promise<Conversation> {
    assertCanWrite(actor);
    if (manager) return this.repo.insertConversation(data, manager);
    return this.repo.transaction((m) => this.repo.insertConversation(data, m));
  }

  /**
   * For channels that checked access their own way (widget visitors): the conversation, its
   * messages after a cursor, and state moves such as waiting → active of a live chat.
   */
  findUnchecked(id: string, manager?: EntityManager): Promise<Conversation | null> {
    return this.repo.findConversation(id, manager);
  }

  messagesAfterUnchecked(conversationId: string, after: number, limit: number): Promise<Message[]> {
    return this.repo.messagesAfter(conversationId, after, limit);
  }

  /** Newest first: up to `limit + 1` messages before `before` (the extra one tells there are more). */
  async messagePageUnchecked(conversationId: string, before: number | undefined, limit: number): Promise<Message[]> {
    const page = await this.repo.messagePages({ conversationIds: [conversationId], before, limit, newestFirst: true });
    return page.reverse();
  }

  transitionState(
    id: string,
    from: Conversation['state'][],
    to: Conversation['state'],
    manager?: EntityManager,
  ): Promise<boolean> {
    return this.repo.transitionState(id, from, to, manager);
  }

  /** For channel adapters delivering a message: it, its conversation and the message before it. */
  async forDelivery(
    messageId: number,
  ): Promise<{ message: Message; conversation: Conversation; previous: Message | null } | null> {
    const message = await this.repo.findMessage(messageId);
    const conversation = message && (await this.repo.findConversation(message.conversationId));
    if (!message || !conversation) return null;
    return { message, conversation, previous: await this.repo.previousMessage(conversation.id, message.id) };
  }

  async messages(actor: Actor, conversationId: string, args: TwoWayPageArgs): Promise<Connection<MessageDto>> {
    const [page] = await this.messagesOf(actor, [conversationId], args);
    if (page instanceof Error) throw page;
    return page;
  }

  /**
   * The same page of messages of several conversations (the `messages` field over a list) in a
   * fixed number of queries. A conversation the actor may not see gets CONVERSATION_NOT_FOUND.
   */
  async messagesOf(
    actor: Actor,
    conversationIds: readonly string[],
    args: TwoWayPageArgs,
  ): Promise<Array<Connection<MessageDto> | NotFoundError>> {
    assertCanRead(actor);
    const window = pageWindow(args);
    const after = args.after !== undefined ? messageCursor(args.after) : undefined;
    const before = args.before !== undefined ? messageCursor(args.before) : undefined;
    const visible = await this.visible(actor, await this.repo.findConversations(conversationIds));
    const rows = await this.repo.messagePages({
      conversationIds: [...visible],
      after,
      before,
      limit: window.limit,
      newestFirst: window.backwards,
    });
    const byConversation = groupBy(await this.toDtos(rows), (m) => m.conversationId);
    return conversationIds.map((id) => {
      if (!visible.has(id)) return new NotFoundError('Conversation', id);
      const read = byConversation.get(id) ?? []; // oldest first
      const page = window.backwards ? read.slice(-window.limit) : read.slice(0, window.limit);
      const edges = page.map((node) => ({ cursor: encodeCursor([Number(node.id)]), node }));
      return {
        edges,
        pageInfo: pageInfoFor(read.length, window, args, edges[0]?.cursor ?? null, edges.at(-1)?.cursor ?? null),
      };
    });
  }

  /** Ids of the conversations the actor may see, with one query for all their tickets. */
  private async visible(actor: Actor, conversations: Conversation[]): Promise<Set<string>> {
    const ticketIds = [...new Set(conversations.flatMap((c) => (c.ticketId ? [c.ticketId] : [])))];
    const seen = new Set((await this.tickets.getMany(actor, ticketIds)).map((t) => t.id));
    const all = actor.role === 'admin' || actor.ticketAccess === 'all';
    return new Set(conversations.filter((c) => (c.ticketId ? seen.has(c.ticketId) : all)).map((c) => c.id));
  }

  /** Message DTOs with their attachments, loaded in one query. */
  async toDtos(messages: Message[]): Promise<MessageDto[]> {
    const attachments = groupBy(await this.attachments.ofMessages(messages.map((m) => m.id)), (a) => a.messageId);
    return messages.map((m) => toMessageDto(m, attachments.get(m.id)));
  }
}

function messageCursor(cursor: string): number {
  const [id] = decodeCursor(cursor, 1);
  if (!Number.isSafeInteger(id))
    throw new ValidationError('The cursor is not valid. Use a cursor returned by this query.');
  return id as number;
}
