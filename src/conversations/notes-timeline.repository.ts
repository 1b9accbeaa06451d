import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEvent, TicketNote } from '../tickets/entities';

export type TimelineKind = 'audit' | 'message' | 'note';

/** Position of an item in a ticket timeline: (createdAt with microseconds, kind, id). */
export interface TimelineKey {
  ts: string;
  kind: TimelineKind;
  id: number;
}

export interface TimelineQuery {
  ticketId: string;
  after?: TimelineKey;
  before?: TimelineKey;
  limit: number;
  newestFirst: boolean;
}

/** Queries of internal notes and of the merged ticket timeline. */
@Injectable()
export class NotesTimelineRepository {
  constructor(private readonly ds: DataSource) {}

  async insertNote(
    values: Pick<TicketNote, 'ticketId' | 'authorAgentId' | 'bodyHtml' | 'bodyText' | 'mentionIds'>,
    m: EntityManager,
  ): Promise<TicketNote> {
    const repo = m.getRepository(TicketNote);
    const saved = await repo.save(repo.create(values));
    return (await repo.findOneBy({ id: saved.id })) as TicketNote;
  }

  findNotes(ids: readonly number[]): Promise<TicketNote[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(TicketNote).createQueryBuilder('n').where('n.id = ANY(:ids)', { ids }).getMany();
  }

  findAuditEvents(ids: readonly number[]): Promise<AuditEvent[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(AuditEvent).createQueryBuilder('e').where('e.id = ANY(:ids)', { ids }).getMany();
  }

  /**
   * Keys of one page of a ticket's timeline (plus one extra row): messages of all its
   * conversations, its notes and its audit events. Timestamps keep microseconds so that a
   * cursor never lands between two rows of the same millisecond.
   */
  async timelineKeys(q: TimelineQuery): Promise<TimelineKey[]> {
    const params: unknown[] = [q.ticketId];
    const conditions: string[] = [];
    const bound = (key: TimelineKey, op: '>' | '<') => {
      params.push(key.ts, key.kind, key.id);
      const n = params.length;
      conditions.push(`(created_at, kind, id) ${op} ($${n - 2}::timestamptz, $${n - 1}::text, $${n}::bigint)`);
    };
    if (q.after) bound(q.after, '>');
    if (q.before) bound(q.before, '<');
    params.push(q.limit + 1);
    const dir = q.newestFirst ? 'DESC' : 'ASC';
    const rows = await this.ds.query<Array<{ kind: TimelineKind; id: string; ts: string }>>(
      `SELECT kind, id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts
       FROM (
         SELECT 'audit'::text AS kind, id, created_at FROM audit_event WHERE ticket_id = $1
         UNION ALL SELECT 'message'::text, id, created_at FROM message WHERE ticket_id = $1
         UNION ALL SELECT 'note'::text, id, created_at FROM ticket_note WHERE ticket_id = $1
       ) t
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY created_at ${dir}, kind ${dir}, id ${dir}
       LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ kind: r.kind, id: Number(r.id), ts: r.ts }));
  }
}
