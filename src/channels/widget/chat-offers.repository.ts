import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface OfferChange {
  conversationId: string;
  agentId: string;
}

export interface UnofferedChat {
  conversationId: string;
  widgetId: string;
  groupId: string | null;
  transfer: boolean;
}

export interface PanelChatRow {
  conversationId: string;
  ticketId: string | null;
  state: string;
  offered: boolean;
  transferNote: string | null;
  transferGroupId: string | null;
  unread: number;
  queuedAt: Date | null;
  lastMessageAt: Date | null;
}

/** Queries of chat offers and of an agent's chat panel. */
@Injectable()
export class ChatOffersRepository {
  constructor(private readonly ds: DataSource) {}

  /** Pending offers whose agent can no longer take them, or whose chat stopped waiting: withdrawn. */
  async withdrawStale(m: EntityManager, graceSeconds: number): Promise<OfferChange[]> {
    const [rows] = await m.query<[OfferChange[], number]>(
      `UPDATE chat_offer o SET state = 'withdrawn', responded_at = now()
         FROM agent a, widget_conversation wc, conversation c
        WHERE o.state = 'pending' AND a.id = o.agent_id AND wc.conversation_id = o.conversation_id
          AND c.id = o.conversation_id
          AND (c.state <> 'waiting' OR NOT a.is_active
               OR a.presence_at IS NULL OR a.presence_at < now() - make_interval(secs => $1)
               OR a.status NOT IN ('online','transfer_only')
               OR (wc.transfer_group_id IS NULL AND a.status <> 'online'))
        RETURNING o.conversation_id AS "conversationId", o.agent_id AS "agentId"`,
      [graceSeconds],
    );
    return rows;
  }

  /** Waiting live chats nobody holds an offer for, oldest queued first. */
  unoffered(m: EntityManager, limit: number): Promise<UnofferedChat[]> {
    return m.query(
      `SELECT wc.conversation_id AS "conversationId", wc.widget_id AS "widgetId",
              coalesce(wc.transfer_group_id, t.group_id, w.group_id) AS "groupId",
              (wc.transfer_group_id IS NOT NULL) AS transfer
         FROM widget_conversation wc JOIN conversation c ON c.id = wc.conversation_id
         JOIN widget w ON w.id = wc.widget_id LEFT JOIN ticket t ON t.id = c.ticket_id
        WHERE c.state = 'waiting' AND c.mode = 'live_chat'
          AND NOT EXISTS (SELECT 1 FROM chat_offer o WHERE o.conversation_id = wc.conversation_id AND o.state = 'pending')
        ORDER BY wc.queued_at NULLS LAST, wc.created_at
        LIMIT $1`,
      [limit],
    );
  }

  /** Pending offers nobody answered in time: expired, as if declined. */
  async expire(m: EntityManager, timeoutSeconds: number): Promise<OfferChange[]> {
    const [rows] = await m.query<[OfferChange[], number]>(
      `UPDATE chat_offer SET state = 'expired', responded_at = now()
        WHERE state = 'pending' AND created_at < now() - make_interval(secs => $1)
        RETURNING conversation_id AS "conversationId", agent_id AS "agentId"`,
      [timeoutSeconds],
    );
    return rows;
  }

  /** Agents who declined this chat or let its offer expire (they are not asked again). */
  async declinedBy(m: EntityManager, conversationId: string): Promise<string[]> {
    const rows = await m.query<Array<{ agentId: string }>>(
      `SELECT DISTINCT agent_id AS "agentId" FROM chat_offer
        WHERE conversation_id = $1 AND state IN ('declined','expired')`,
      [conversationId],
    );
    return rows.map((r) => r.agentId);
  }

  async offer(m: EntityManager, conversationId: string, agentId: string): Promise<void> {
    await m.query(`INSERT INTO chat_offer (conversation_id, agent_id) VALUES ($1, $2)`, [conversationId, agentId]);
  }

  /** Settles the pending offer of an accepted chat: the taker's accepted, anyone else's withdrawn. */
  async settle(m: EntityManager, conversationId: string, takerId: string): Promise<OfferChange[]> {
    const [rows] = await m.query<[OfferChange[], number]>(
      `UPDATE chat_offer SET state = CASE WHEN agent_id = $2 THEN 'accepted' ELSE 'withdrawn' END, responded_at = now()
        WHERE conversation_id = $1 AND state = 'pending'
        RETURNING conversation_id AS "conversationId", agent_id AS "agentId"`,
      [conversationId, takerId],
    );
    return rows;
  }

  async decline(conversationId: string, agentId: string): Promise<boolean> {
    const [rows] = await this.ds.query<[unknown[], number]>(
      `UPDATE chat_offer SET state = 'declined', responded_at = now()
        WHERE conversation_id = $1 AND agent_id = $2 AND state = 'pending' RETURNING id`,
      [conversationId, agentId],
    );
    return rows.length > 0;
  }

  /** Agents holding a pending offer of the chat or taking part in it. */
  async agentsOf(conversationId: string): Promise<string[]> {
    const rows = await this.ds.query<Array<{ agentId: string }>>(
      `SELECT agent_id AS "agentId" FROM chat_participant WHERE conversation_id = $1 AND left_at IS NULL
       UNION SELECT agent_id FROM chat_offer WHERE conversation_id = $1 AND state = 'pending'`,
      [conversationId],
    );
    return rows.map((r) => r.agentId);
  }

  /**
   * An agent's chat panel: chats offered to them and live chats they take part in, with the
   * visitor's messages the team has not read yet.
   */
  panel(agentId: string): Promise<PanelChatRow[]> {
    return this.ds.query(
      `SELECT c.id AS "conversationId", c.ticket_id AS "ticketId", c.state, x.offered,
              wc.transfer_note AS "transferNote", wc.transfer_group_id AS "transferGroupId",
              (SELECT count(*)::int FROM message m WHERE m.conversation_id = c.id AND m.author_kind = 'contact'
                  AND NOT EXISTS (SELECT 1 FROM message_receipt r WHERE r.message_id = m.id AND r.side = 'agent'
                                   AND r.read_at IS NOT NULL)) AS unread,
              wc.queued_at AS "queuedAt", c.last_message_at AS "lastMessageAt"
         FROM (SELECT o.conversation_id, true AS offered FROM chat_offer o WHERE o.agent_id = $1 AND o.state = 'pending'
               UNION ALL
               SELECT p.conversation_id, false FROM chat_participant p JOIN conversation pc ON pc.id = p.conversation_id
                WHERE p.agent_id = $1 AND p.left_at IS NULL AND pc.state = 'active') x
         JOIN conversation c ON c.id = x.conversation_id
         JOIN widget_conversation wc ON wc.conversation_id = c.id
        ORDER BY x.offered DESC, coalesce(c.last_message_at, c.created_at) DESC
        LIMIT 100`,
      [agentId],
    );
  }

  async setTransfer(conversationId: string, groupId: string | null, note: string | null, m: EntityManager) {
    await m.query(
      `UPDATE widget_conversation SET transfer_group_id = $2, transfer_note = $3 WHERE conversation_id = $1`,
      [conversationId, groupId, note],
    );
  }
}
