import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChatParticipant, WidgetConversation, type ReceiptSide } from './entities';

export interface VisitorConversationRow {
  conversationId: string;
  state: string;
  mode: string;
  createdAt: Date;
  lastMessageAt: Date | null;
}

export interface ReceiptRow {
  messageId: number;
  side: ReceiptSide;
  deliveredAt: Date;
  readAt: Date | null;
}

export interface UnreadReply {
  messageId: number;
  bodyText: string;
  authorAgentId: string | null;
  createdAt: Date;
}

/** Queries of the widget side of conversations: queue, participants, receipts. */
@Injectable()
export class ChatsRepository {
  constructor(private readonly ds: DataSource) {}

  m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  async insert(values: Partial<WidgetConversation>, manager: EntityManager): Promise<void> {
    await manager.getRepository(WidgetConversation).insert(values);
  }

  find(conversationId: string, manager?: EntityManager): Promise<WidgetConversation | null> {
    return this.m(manager).getRepository(WidgetConversation).findOneBy({ conversationId });
  }

  async update(conversationId: string, patch: Partial<WidgetConversation>, manager?: EntityManager): Promise<void> {
    await this.m(manager).getRepository(WidgetConversation).update({ conversationId }, patch);
  }

  async touch(conversationId: string): Promise<void> {
    await this.ds.query(`UPDATE widget_conversation SET last_activity_at = now() WHERE conversation_id = $1`, [
      conversationId,
    ]);
  }

  /** The widget conversations of a contact, newest activity first. */
  ofContact(widgetId: string, contactId: string, openOnly: boolean): Promise<VisitorConversationRow[]> {
    return this.ds.query(
      `SELECT c.id AS "conversationId", c.state, c.mode, c.created_at AS "createdAt",
              c.last_message_at AS "lastMessageAt"
         FROM widget_conversation wc JOIN conversation c ON c.id = wc.conversation_id
        WHERE wc.widget_id = $1 AND c.contact_id = $2 ${openOnly ? `AND c.state NOT IN ('ended','closed')` : ''}
        ORDER BY coalesce(c.last_message_at, c.created_at) DESC
        LIMIT 50`,
      [widgetId, contactId],
    );
  }

  /** 1-based place in the queue of a waiting chat. */
  async queuePosition(widgetId: string, queuedAt: Date): Promise<number> {
    const rows = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM widget_conversation wc JOIN conversation c ON c.id = wc.conversation_id
        WHERE wc.widget_id = $1 AND c.state = 'waiting' AND wc.queued_at <= $2`,
      [widgetId, queuedAt],
    );
    return Math.max(1, rows[0].n);
  }

  /** Mean seconds from queued to accepted over the widget's last 20 chats of the past week. */
  async averageWaitSeconds(widgetId: string): Promise<number | null> {
    const rows = await this.ds.query<Array<{ s: number | null }>>(
      `SELECT avg(extract(epoch FROM accepted_at - queued_at))::float AS s FROM (
         SELECT accepted_at, queued_at FROM widget_conversation
          WHERE widget_id = $1 AND accepted_at IS NOT NULL AND queued_at IS NOT NULL
            AND accepted_at > now() - interval '7 days'
          ORDER BY accepted_at DESC LIMIT 20) recent`,
      [widgetId],
    );
    return rows[0]?.s ?? null;
  }

  /** Live chats of the given states, oldest queued first. */
  chats(states: string[], widgetId: string | null, limit: number): Promise<Array<{ conversationId: string }>> {
    return this.ds.query(
      `SELECT wc.conversation_id AS "conversationId" FROM widget_conversation wc
         JOIN conversation c ON c.id = wc.conversation_id
        WHERE c.state = ANY($1::text[]) AND c.mode = 'live_chat' AND ($2::uuid IS NULL OR wc.widget_id = $2)
        ORDER BY wc.queued_at NULLS LAST, wc.created_at
        LIMIT $3`,
      [states, widgetId, limit],
    );
  }

  participants(conversationId: string): Promise<ChatParticipant[]> {
    return this.ds.getRepository(ChatParticipant).find({ where: { conversationId }, order: { joinedAt: 'ASC' } });
  }

  /** Adds (or re-adds) an agent; false when they were in the chat already. */
  async join(conversationId: string, agentId: string, manager?: EntityManager): Promise<boolean> {
    const rows = await this.m(manager).query<unknown[]>(
      `INSERT INTO chat_participant (conversation_id, agent_id) VALUES ($1, $2)
       ON CONFLICT (conversation_id, agent_id) DO UPDATE SET left_at = NULL, joined_at = now()
         WHERE chat_participant.left_at IS NOT NULL
       RETURNING agent_id`,
      [conversationId, agentId],
    );
    return rows.length > 0;
  }

  async leave(conversationId: string, agentId: string): Promise<boolean> {
    const [rows] = await this.ds.query<[unknown[], number]>(
      `UPDATE chat_participant SET left_at = now() WHERE conversation_id = $1 AND agent_id = $2 AND left_at IS NULL
       RETURNING agent_id`,
      [conversationId, agentId],
    );
    return rows.length > 0;
  }

  /**
   * Records that `side` received (and, with `read`, read) every message of the other side up to
   * `upTo`. Returns the highest message id whose state changed, or null when nothing changed.
   */
  async markReceipts(conversationId: string, side: ReceiptSide, upTo: number, read: boolean): Promise<number | null> {
    const authors = side === 'contact' ? ['agent', 'bot', 'system'] : ['contact'];
    const rows = await this.ds.query<Array<{ id: string | null }>>(
      `WITH targets AS (
         SELECT id FROM message WHERE conversation_id = $1 AND id <= $2 AND author_kind = ANY($3::text[])
       ), upserted AS (
         INSERT INTO message_receipt (message_id, side, delivered_at, read_at)
         SELECT id, $4, now(), CASE WHEN $5 THEN now() END FROM targets
         ON CONFLICT (message_id, side) DO UPDATE SET read_at = now()
           WHERE $5 AND message_receipt.read_at IS NULL
         RETURNING message_id
       )
       SELECT max(message_id) AS id FROM upserted`,
      [conversationId, upTo, authors, side, read],
    );
    return rows[0]?.id ? Number(rows[0].id) : null;
  }

  receiptsOf(messageIds: number[]): Promise<ReceiptRow[]> {
    if (!messageIds.length) return Promise.resolve([]);
    return this.ds.query(
      `SELECT message_id::int AS "messageId", side, delivered_at AS "deliveredAt", read_at AS "readAt"
         FROM message_receipt WHERE message_id = ANY($1::bigint[])`,
      [messageIds],
    );
  }

  /**
   * Claims the agent and bot messages of a conversation up to `upTo`, older than the delay, that
   * the visitor has not read and nobody emailed yet; marks them emailed in the same statement.
   */
  async claimUnreadReplies(conversationId: string, upTo: number, delaySeconds: number): Promise<UnreadReply[]> {
    return this.ds.query(
      `WITH due AS (
         SELECT m.id, m.body_text, m.author_agent_id, m.created_at FROM message m
          WHERE m.conversation_id = $1 AND m.id <= $2 AND m.author_kind IN ('agent','bot')
            AND m.created_at <= now() - make_interval(secs => $3)
            AND NOT EXISTS (SELECT 1 FROM message_receipt r WHERE r.message_id = m.id AND r.side = 'contact'
                             AND (r.read_at IS NOT NULL OR r.emailed_at IS NOT NULL))
          ORDER BY m.id FOR UPDATE SKIP LOCKED
       ), marked AS (
         INSERT INTO message_receipt (message_id, side, delivered_at, emailed_at)
         SELECT id, 'contact', now(), now() FROM due
         ON CONFLICT (message_id, side) DO UPDATE SET emailed_at = now()
         RETURNING message_id
       )
       SELECT due.id::int AS "messageId", due.body_text AS "bodyText", due.author_agent_id AS "authorAgentId",
              due.created_at AS "createdAt"
         FROM due JOIN marked ON marked.message_id = due.id ORDER BY due.id`,
      [conversationId, upTo, delaySeconds],
    );
  }

  /** Live chats quiet for longer than their widget allows. */
  inactiveChats(limit: number): Promise<Array<{ conversationId: string }>> {
    return this.ds.query(
      `SELECT wc.conversation_id AS "conversationId" FROM widget_conversation wc
         JOIN conversation c ON c.id = wc.conversation_id JOIN widget w ON w.id = wc.widget_id
        WHERE c.state IN ('waiting','active') AND c.mode = 'live_chat'
          AND wc.last_activity_at < now() - make_interval(mins => w.inactivity_minutes)
        LIMIT $1`,
      [limit],
    );
  }
}
