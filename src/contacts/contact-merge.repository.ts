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
      `UPDATE contact_identity SET contact_id = $2 WHERE contact_id = $1 RETURNING id`,
      sourceId,
      targetId,
    );
    const conversations = await this.update(
      m,
      `UPDATE conversation SET contact_id = $2 WHERE contact_id = $1 RETURNING id`,
      sourceId,
      targetId,
    );
    const messages = await this.update(
      m,
      `UPDATE message SET author_contact_id = $2 WHERE author_contact_id = $1 RETURNING id`,
      sourceId,
      targetId,
    );
    // anything merged into the source earlier now points straight at the survivor
    await this.update(
      m,
      `UPDATE contact SET merged_into_id = $2 WHERE merged_into_id = $1 RETURNING id`,
      sourceId,
      targetId,
    );
    const tickets = await this.moveTickets(sourceId, targetId, actor, m);
    return { identities, conversations, messages, tickets };
  }

  /** Changes the requester of every ticket of the source and audits each change as `requester_changed`. */
  private async moveTickets(
    sourceId: string,
    targetId: string,
    actor: { kind: 'agent' | 'system' | 'api'; agentId: string | null },
    m: EntityManager,
  ): Promise<MovedTicket[]> {
    const rows: Array<{ ticket_id: string; audit_id: string; assignee_id: string | null; group_id: string | null }> =
      await m.query(
        `WITH moved AS (
           UPDATE ticket SET requester_id = $2, version = version + 1, updated_at = now()
            WHERE requester_id = $1
           RETURNING id, assignee_id, group_id
         ), audited AS (
           INSERT INTO audit_event (ticket_id, actor_kind, actor_agent_id, action, changes)
           SELECT id, $3, $4, 'requester_changed',
                  jsonb_build_object('requesterId', jsonb_build_object('from', $1::text, 'to', $2::text))
             FROM moved ORDER BY id
           RETURNING id, ticket_id
         )
         SELECT a.ticket_id, a.id AS audit_id, mv.assignee_id, mv.group_id
           FROM audited a JOIN moved mv ON mv.id = a.ticket_id
          ORDER BY a.id`,
        [sourceId, targetId, actor.kind, actor.agentId],
      );
    return rows.map((r) => ({
      ticketId: r.ticket_id,
      auditId: Number(r.audit_id),
      assigneeId: r.assignee_id,
      groupId: r.group_id,
    }));
  }

  private async update(m: EntityManager, sql: string, sourceId: string, targetId: string): Promise<number> {
    const [rows] = await m.query<[unknown[], number]>(sql, [sourceId, targetId]);
    return rows.length;
  }
}
