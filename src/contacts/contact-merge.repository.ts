import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface MovedTicket {
  ticketId: string;
  auditId: number;
  assigneeId: string | null;
  groupId: string | null;
}

export interface MergeCounts {
  identities: number;
  conversations: number;
  messages: number;
  tickets: MovedTicket[];
}

/**
 * Every column that points at a contact, and how a merge treats it. A test compares this list
 * with the database's foreign keys, so a new reference to `contact` cannot be forgotten here.
 */
export const CONTACT_REFERENCES = [
  'contact.merged_into_id',
  'contact_identity.contact_id',
  'conversation.contact_id',
  'message.author_contact_id',
  'ticket.requester_id',
  'ticket_contact_follower.contact_id',
  'widget_visitor.contact_id',
] as const;

/** The SQL of a contact merge; the service runs it in one transaction after locking both contacts. */
@Injectable()
export class ContactMergeRepository {
  async moveReferences(
    sourceId: string,
    targetId: string,
    actor: { kind: 'agent' | 'system' | 'api'; agentId: string | null },
    m: EntityManager,
  ): Promise<MergeCounts> {
    const identities = await this.update(
      m,
      `UPDATE contact_identity SET contact_id = $2 WHERE contact_id = $1`,
      sourceId,
      targetId,
    );
    const conversations = await this.update(
      m,
      `UPDATE conversation SET contact_id = $2 WHERE contact_id = $1`,
      sourceId,
      targetId,
    );
    const messages = await this.update(
      m,
      `UPDATE message SET author_contact_id = $2 WHERE author_contact_id = $1`,
      sourceId,
      targetId,
    );
    // tickets the source was copied on now copy the survivor (once, if both were)
    await m.query(
      `INSERT INTO ticket_contact_follower (ticket_id, contact_id, created_at)
       SELECT ticket_id, $2, created_at FROM ticket_contact_follower WHERE contact_id = $1 ON CONFLICT DO NOTHING`,
      [sourceId, targetId],
    );
    await m.query(`DELETE FROM ticket_contact_follower WHERE contact_id = $1`, [sourceId]);
    // widget visitors (browsers) of the source now open the survivor's conversations
    await this.update(m, `UPDATE widget_visitor SET contact_id = $2 WHERE contact_id = $1`, sourceId, targetId);
    // anything merged into the source earlier now points straight at the survivor
    await this.update(m, `UPDATE contact SET merged_into_id = $2 WHERE merged_into_id = $1`, sourceId, targetId);
    // last: the audit insert takes the realtime commit-order lock, held until commit
    const tickets = await this.moveTickets(sourceId, targetId, actor, m);
    return { identities, conversations, messages, tickets };
  }

  /**
   * Changes the requester of every ticket of the source, then audits each change as
   * `requester_changed`. Ticket rows are locked (updated) before the audit insert takes the
   * realtime commit-order lock, as that lock requires.
   */
  private async moveTickets(
    sourceId: string,
    targetId: string,
    actor: { kind: 'agent' | 'system' | 'api'; agentId: string | null },
    m: EntityManager,
  ): Promise<MovedTicket[]> {
    const [moved] = await m.query<[Array<{ id: string; assignee_id: string | null; group_id: string | null }>, number]>(
      `UPDATE ticket SET requester_id = $2, version = version + 1, updated_at = now()
        WHERE requester_id = $1
       RETURNING id, assignee_id, group_id`,
      [sourceId, targetId],
    );
    if (!moved.length) return [];
    const audited: Array<{ id: string; ticket_id: string }> = await m.query(
      `INSERT INTO audit_event (ticket_id, actor_kind, actor_agent_id, action, changes)
       SELECT t, $2, $3, 'requester_changed',
              jsonb_build_object('requesterId', jsonb_build_object('from', $4::text, 'to', $5::text))
         FROM unnest($1::uuid[]) AS t ORDER BY t
       RETURNING id, ticket_id`,
      [moved.map((t) => t.id), actor.kind, actor.agentId, sourceId, targetId],
    );
    const tickets = new Map(moved.map((t) => [t.id, t]));
    return audited.map((a) => ({
      ticketId: a.ticket_id,
      auditId: Number(a.id),
      assigneeId: tickets.get(a.ticket_id)?.assignee_id ?? null,
      groupId: tickets.get(a.ticket_id)?.group_id ?? null,
    }));
  }

  private async update(m: EntityManager, sql: string, sourceId: string, targetId: string): Promise<number> {
    const [, affected] = await m.query<[unknown[], number]>(sql, [sourceId, targetId]);
    return affected;
  }
}
