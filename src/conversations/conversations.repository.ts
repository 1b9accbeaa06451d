import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared } from '../database/prepared';
import { fromRow, insertReturning, selectList, selectRows } from '../database/entity-rows';
import { Conversation, Message, type ChannelKind, type ConversationMode } from './entities';

export interface NewConversation {
  ticketId: string | null;
  contactId: string;
  channelKind: ChannelKind;
  channelId?: string | null;
  mode?: ConversationMode;
  subject?: string | null;
  externalThreadId?: string | null;
  /** Created for a message written in the same transaction: `last_message_at` is set already. */
  withMessage?: boolean;
}

export type NewMessageRow = Pick<
  Message,
  | 'conversationId'
  | 'ticketId'
  | 'channelKey'
  | 'externalId'
  | 'authorKind'
  | 'authorAgentId'
  | 'authorContactId'
  | 'bodyHtml'
  | 'bodyText'
  | 'deliveryState'
> & { content?: Record<string, unknown> | null };

/** Messages keyed by id for a page; `before`/`after` are message ids. */
export interface MessagePageQuery {
  conversationIds: readonly string[];
  after?: number;
  before?: number;
  limit: number;
  newestFirst: boolean;
}

/** Queries of conversations and messages. */
@Injectable()
export class ConversationsRepository {
  constructor(private readonly ds: DataSource) {}

  m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  findConversation(id: string, manager?: EntityManager): Promise<Conversation | null> {
    return this.m(manager).getRepository(Conversation).findOneBy({ id });
  }

  conversationsOfTickets(ticketIds: readonly string[], manager?: EntityManager): Promise<Conversation[]> {
    if (!ticketIds.length) return Promise.resolve([]);
    return this.m(manager)
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .where('c.ticketId = ANY(:ticketIds)', { ticketIds })
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  /** The conversation of the ticket a reply goes to by default: the one with the latest message. */
  latestConversationOfTicket(ticketId: string, manager?: EntityManager): Promise<Conversation | null> {
    return this.m(manager)
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .where('c.ticketId = :ticketId', { ticketId })
      .orderBy('c.lastMessageAt', 'DESC', 'NULLS LAST')
      .addOrderBy('c.createdAt', 'DESC')
      .limit(1)
      .getOne();
  }

  async insertConversation(data: NewConversation, manager: EntityManager): Promise<Conversation> {
    const meta = manager.connection.getMetadata(Conversation);
    const [sql, params] = insertReturning(
      manager,
      meta,
      {
        ticketId: data.ticketId,
        contactId: data.contactId,
        channelKind: data.channelKind,
        channelId: data.channelId ?? null,
        mode: data.mode ?? 'messaging',
        state: 'open',
        subject: data.subject ?? null,
        externalThreadId: data.externalThreadId ?? null,
      },
      data.withMessage ? { last_message_at: () => 'now()' } : {},
    );
    const rows = await manager.query<Array<Record<string, unknown>>>(sql, params);
    return fromRow<Conversation>(meta, rows[0], '');
  }

  /** Row lock on a ticket: serialises everything written to one ticket's conversations. */
  async lockTicketRow(ticketId: string, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT id FROM ticket WHERE id = $1 FOR UPDATE`, [ticketId]);
    return rows.length > 0;
  }

  /** Row lock on a conversation in the caller's transaction, returning the row. */
  async lockConversation(id: string, manager: EntityManager): Promise<Conversation | null> {
    const [conversation] = await selectRows(manager, Conversation, 'r.id = $1', [id], 'FOR UPDATE');
    return conversation ?? null;
  }

  /** A message was stored on the conversation (locked by the caller); returns the updated row. */
  async recordMessageOnConversation(
    id: string,
    ticketId: string | null,
    manager: EntityManager,
  ): Promise<Conversation> {
    const meta = manager.connection.getMetadata(Conversation);
    const rows = await manager.query<[Array<Record<string, unknown>>, number]>(
      prepared(`UPDATE conversation SET last_message_at = now(), updated_at = now(), ticket_id = $2 WHERE id = $1
       RETURNING ${selectList(meta, 'conversation', '')}`),
      [id, ticketId],
    );
    if (!rows[0][0]) throw new Error(`conversation ${id} vanished under its row lock`);
    return fromRow<Conversation>(meta, rows[0][0], '');
  }

  async findMessageByExternalId(
    channelKey: string,
    externalId: string,
    manager?: EntityManager,
  ): Promise<Message | null> {
    const where = 'r.channel_key = $1 AND r.external_id = $2';
    const [message] = await selectRows(this.m(manager), Message, where, [channelKey, externalId]);
    return message ?? null;
  }

  findMessage(id: number, manager?: EntityManager): Promise<Message | null> {
    return this.m(manager).getRepository(Message).findOneBy({ id });
  }

  /** The message before `beforeId` in the conversation (for quoting it under a reply). */
  previousMessage(conversationId: string, beforeId: number): Promise<Message | null> {
    return this.ds
      .getRepository(Message)
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId AND m.id < :beforeId', { conversationId, beforeId })
      .orderBy('m.id', 'DESC')
      .limit(1)
      .getOne();
  }

  findMessages(ids: readonly number[], manager?: EntityManager): Promise<Message[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.m(manager)
      .getRepository(Message)
      .createQueryBuilder('m')
      .where('m.id = ANY(:ids)', { ids })
      .orderBy('m.id', 'ASC')
      .getMany();
  }

  /**
   * Inserts a message unless one with the same (channel_key, external_id) exists; null then.
   * The commit-order trigger on `message` makes ids visible in id order (see the migration).
   */
  async insertMessage(row: NewMessageRow, manager: EntityManager): Promise<Message | null> {
    const inserted = await manager.query<Array<Record<string, unknown>>>(
      prepared(`INSERT INTO message (conversation_id, ticket_id, channel_key, external_id, author_kind, author_agent_id,
                            author_contact_id, body_html, body_text, delivery_state, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT DO NOTHING
       RETURNING ${selectList(manager.connection.getMetadata(Message), 'message', '')}`),
      [
        row.conversationId,
        row.ticketId,
        row.channelKey,
        row.externalId,
        row.authorKind,
        row.authorAgentId,
        row.authorContactId,
        row.bodyHtml,
        row.bodyText,
        row.deliveryState,
        row.content ?? null,
      ],
    );
    return inserted[0] ? fromRow<Message>(manager.connection.getMetadata(Message), inserted[0], '') : null;
  }

  /**
   * One page of messages of each conversation, plus one extra row each telling whether more
   * exist, in one query (an index scan per conversation). Ordered by id, oldest first.
   */
  messagePages(q: MessagePageQuery): Promise<Message[]> {
    if (!q.conversationIds.length) return Promise.resolve([]);
    const bounds = [
      ...(q.after !== undefined ? ['AND p.id > :after'] : []),
      ...(q.before !== undefined ? ['AND p.id < :before'] : []),
    ].join(' ');
    return this.ds
      .getRepository(Message)
      .createQueryBuilder('m')
      .where(
        `m.id IN (SELECT page.id FROM unnest(CAST(:ids AS uuid[])) AS c(id) CROSS JOIN LATERAL (
           SELECT p.id FROM message p WHERE p.conversation_id = c.id ${bounds}
           ORDER BY p.id ${q.newestFirst ? 'DESC' : 'ASC'} LIMIT :limit) page)`,
        { ids: q.conversationIds, after: q.after, before: q.before, limit: q.limit + 1 },
      )
      .orderBy('m.id', 'ASC')
      .getMany();
  }

  /** Messages of one conversation after a cursor, oldest first (live streams). */
  messagesAfter(conversationId: string, after: number, limit: number): Promise<Message[]> {
    return this.ds
      .getRepository(Message)
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId AND m.id > :after', { conversationId, after })
      .orderBy('m.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Moves a conversation to `to` when it is in one of `from`; false when it was not. */
  async transitionState(
    id: string,
    from: Conversation['state'][],
    to: Conversation['state'],
    manager?: EntityManager,
  ): Promise<boolean> {
    const [rows] = await this.m(manager).query<[unknown[], number]>(
      `UPDATE conversation SET state = $3, updated_at = now() WHERE id = $1 AND state = ANY($2::text[]) RETURNING id`,
      [id, from, to],
    );
    return rows.length > 0;
  }

  /** Agent and bot messages up to `upTo` reached the customer (or were read); never downgrades read. */
  async markOutboundUpTo(conversationId: string, upTo: number, state: 'delivered' | 'read'): Promise<void> {
    await this.ds.query(
      `UPDATE message SET delivery_state = $3
        WHERE conversation_id = $1 AND id <= $2 AND author_kind IN ('agent','bot')
          AND delivery_state IN ('queued','sent'${state === 'read' ? ",'delivered'" : ''})`,
      [conversationId, upTo, state],
    );
  }

  findConversations(ids: readonly string[]): Promise<Conversation[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(Conversation).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
  }

  async setDeliveryState(id: number, state: Message['deliveryState'], error: string | null): Promise<void> {
    await this.ds.getRepository(Message).update({ id }, { deliveryState: state, deliveryError: error });
  }
}
