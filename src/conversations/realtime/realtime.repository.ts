import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fromRow, selectList } from '../../database/entity-rows';
import { prepared } from '../../database/prepared';
import { AuditEvent, Ticket } from '../../tickets/entities';
import { Message } from '../entities';

/** `{ all: true }`: every ticket (the subscriber's access rule filters each event). */
export type MessageScope = { ticketId: string } | { conversationId: string } | { assigneeId: string } | { all: true };
export type TicketEventScope = { ticketId: string } | { assigneeId: string } | { groupId: string } | { all: true };

/** A message read for live streams, with its ticket (null: none, or gone) read in the same statement. */
export interface MessageRow {
  message: Message;
  ticket: Ticket | null;
  hasAttachments: boolean;
}

/** Column prefixes of the message read: message columns keep their names. */
const TICKET = 'ticket__';
const HAS_ATTACHMENTS = '__has_attachments';

/**
 * Reads behind subscriptions: "what came after cursor N". Cursors are `message.id` and
 * `audit_event.id`, which become visible in id order (commit-order trigger), so `id > N` is
 * complete at any moment.
 */
@Injectable()
export class RealtimeRepository {
  constructor(private readonly ds: DataSource) {}

  async messageHead(): Promise<number> {
    const rows = await this.ds.query<Array<{ id: string }>>(`SELECT coalesce(max(id), 0) AS id FROM message`);
    return Number(rows[0].id);
  }

  async auditHead(): Promise<number> {
    const rows = await this.ds.query<Array<{ id: string }>>(`SELECT coalesce(max(id), 0) AS id FROM audit_event`);
    return Number(rows[0].id);
  }

  /**
   * Read for every event by every live stream group, in one statement (one snapshot, one round
   * trip): the messages, each with its ticket and whether it has attachments (only those are
   * then read, by the caller). Prepared, no query builder.
   */
  async messagesAfter(scope: MessageScope, after: number, limit: number): Promise<MessageRow[]> {
    const meta = this.ds.getMetadata(Message);
    const ticketMeta = this.ds.getMetadata(Ticket);
    const [where, params]: [string, unknown[]] =
      'ticketId' in scope
        ? ['m.ticket_id = $3', [scope.ticketId]]
        : 'conversationId' in scope
          ? ['m.conversation_id = $3', [scope.conversationId]]
          : 'all' in scope
            ? ['m.ticket_id IS NOT NULL', []]
            : ['t.assignee_id = $3', [scope.assigneeId]];
    const rows = await this.ds.query<Array<Record<string, unknown>>>(
      prepared(
        `SELECT ${selectList(meta, 'm', '')}, ${selectList(ticketMeta, 't', TICKET)},
           EXISTS (SELECT 1 FROM attachment a WHERE a.message_id = m.id) AS "${HAS_ATTACHMENTS}"
         FROM message m LEFT JOIN ticket t ON t.id = m.ticket_id
         WHERE m.id > $1 AND ${where} ORDER BY m.id LIMIT $2`,
      ),
      [after, limit, ...params],
    );
    return rows.map((r) => ({
      message: fromRow<Message>(meta, r, ''),
      ticket: r[`${TICKET}id`] === null ? null : fromRow<Ticket>(ticketMeta, r, TICKET),
      hasAttachments: r[HAS_ATTACHMENTS] === true,
    }));
  }

  /**
   * Audit events of one ticket, or of an agent's inbox: tickets assigned to them now, plus the
   * events that moved a ticket into or out of their inbox (so a reassignment away is seen too).
   */
  ticketEventsAfter(scope: TicketEventScope, after: number, limit: number): Promise<AuditEvent[]> {
    const qb = this.ds.getRepository(AuditEvent).createQueryBuilder('e').where('e.id > :after', { after });
    if ('ticketId' in scope) qb.andWhere('e.ticketId = :ticketId', scope);
    else if ('all' in scope) {
      // every ticket: access is filtered per event by the stream
    } else if ('groupId' in scope) {
      qb.innerJoin('ticket', 't', 't.id = e.ticket_id').andWhere(
        `(t.group_id = :groupId OR e.changes->'groupId'->>'from' = :groupText OR e.changes->'groupId'->>'to' = :groupText)`,
        { groupId: scope.groupId, groupText: scope.groupId },
      );
    } else {
      qb.innerJoin('ticket', 't', 't.id = e.ticket_id').andWhere(
        `(t.assignee_id = :assigneeId OR e.changes->'assigneeId'->>'from' = :assigneeText
          OR e.changes->'assigneeId'->>'to' = :assigneeText)`,
        { assigneeId: scope.assigneeId, assigneeText: scope.assigneeId },
      );
    }
    return qb.orderBy('e.id', 'ASC').limit(limit).getMany();
  }
}
