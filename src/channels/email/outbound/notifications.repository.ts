import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface AssignmentEvent {
  id: number;
  ticketId: string;
  actorAgentId: string | null;
  assigneeId: string;
}
export interface CustomerReply {
  id: number;
  ticketId: string;
  assigneeId: string;
  authorContactId: string | null;
  bodyText: string;
}
export interface Mention {
  id: number;
  ticketId: string;
  authorAgentId: string | null;
  mentionIds: string[];
  bodyText: string;
}

/**
 * Read-only scans for agent notifications. `audit_event` and `message` ids become visible in id
 * order (commit-order trigger), so a cursor never skips one; notes have no such order and are
 * scanned over a recent window instead, de-duplicated by key.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** Only one process scans at a time; false when another one is at it. */
  async tryLock(m: EntityManager): Promise<boolean> {
    const rows = await m.query<Array<{ ok: boolean }>>(`SELECT pg_try_advisory_xact_lock(126922498048101) AS ok`);
    return rows[0].ok;
  }

  /** The cursor, locked; created at the current end of `table` the first time (no backlog of old events). */
  async cursor(name: string, table: 'audit_event' | 'message', m: EntityManager): Promise<number> {
    await m.query(
      `INSERT INTO email_cursor (name, position) SELECT $1, coalesce(max(id), 0) FROM ${table} ON CONFLICT DO NOTHING`,
      [name],
    );
    const rows = await m.query<Array<{ position: string }>>(
      `SELECT position FROM email_cursor WHERE name = $1 FOR UPDATE`,
      [name],
    );
    return Number(rows[0].position);
  }

  async advance(name: string, position: number, m: EntityManager): Promise<void> {
    await m.query(`UPDATE email_cursor SET position = $2, updated_at = now() WHERE name = $1`, [name, position]);
  }

  /** True the first time a key is claimed. */
  async claim(key: string, m: EntityManager): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO email_notification_sent (key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING key`,
      [key],
    );
    return rows.length > 0;
  }

  async maxAuditId(m: EntityManager): Promise<number> {
    const rows = await m.query<Array<{ id: string }>>(`SELECT coalesce(max(id), 0) AS id FROM audit_event`);
    return Number(rows[0].id);
  }

  async assignmentsAfter(after: number, limit: number, m: EntityManager): Promise<AssignmentEvent[]> {
    const rows = await m.query<Array<{ id: string; ticket_id: string; actor_agent_id: string | null; to: string }>>(
      `SELECT id, ticket_id, actor_agent_id, changes->'assigneeId'->>'to' AS to FROM audit_event
       WHERE id > $1 AND id <= $1 + $2 AND changes ? 'assigneeId' AND changes->'assigneeId'->>'to' IS NOT NULL
       ORDER BY id`,
      [after, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      ticketId: r.ticket_id,
      actorAgentId: r.actor_agent_id,
      assigneeId: r.to,
    }));
  }

  async maxMessageId(m: EntityManager): Promise<number> {
    const rows = await m.query<Array<{ id: string }>>(`SELECT coalesce(max(id), 0) AS id FROM message`);
    return Number(rows[0].id);
  }

  /** Customer messages on assigned tickets that already had a message (replies, not new tickets). */
  async customerRepliesAfter(after: number, limit: number, m: EntityManager): Promise<CustomerReply[]> {
    const rows = await m.query<
      Array<{ id: string; ticket_id: string; assignee_id: string; author_contact_id: string | null; body_text: string }>
    >(
      `SELECT msg.id, msg.ticket_id, t.assignee_id, msg.author_contact_id, left(msg.body_text, 600) AS body_text
       FROM message msg JOIN ticket t ON t.id = msg.ticket_id
       WHERE msg.id > $1 AND msg.id <= $1 + $2 AND msg.author_kind = 'contact' AND t.assignee_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM message p WHERE p.ticket_id = msg.ticket_id AND p.id < msg.id)
       ORDER BY msg.id`,
      [after, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      ticketId: r.ticket_id,
      assigneeId: r.assignee_id,
      authorContactId: r.author_contact_id,
      bodyText: r.body_text,
    }));
  }

  async recentMentions(m: EntityManager): Promise<Mention[]> {
    const rows = await m.query<
      Array<{ id: string; ticket_id: string; author_agent_id: string | null; mention_ids: string[]; body_text: string }>
    >(
      `SELECT id, ticket_id, author_agent_id, mention_ids, left(body_text, 600) AS body_text FROM ticket_note
       WHERE created_at > now() - interval '15 minutes' AND cardinality(mention_ids) > 0 ORDER BY id LIMIT 500`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      ticketId: r.ticket_id,
      authorAgentId: r.author_agent_id,
      mentionIds: r.mention_ids,
      bodyText: r.body_text,
    }));
  }

  async forgetOldKeys(): Promise<void> {
    await this.ds.query(`DELETE FROM email_notification_sent WHERE created_at < now() - interval '2 days'`);
  }
}
