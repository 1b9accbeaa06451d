import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared } from '../database/prepared';
import { AuditEvent, Ticket, type ActorKind, type FieldChange } from './entities';
import { fromRow, insertReturning, selectList, selectRows } from '../database/entity-rows';

/** Every query of the tickets context. */
@Injectable()
export class TicketsRepository {
  constructor(private readonly ds: DataSource) {}

  m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findById(id: string, manager?: EntityManager): Promise<Ticket | null> {
    const [ticket] = await selectRows(this.m(manager), Ticket, 'r.id = $1', [id]);
    return ticket ?? null;
  }

  findByIds(ids: readonly string[]): Promise<Ticket[]> {
    if (!ids.length) return Promise.resolve([]);
    return selectRows(this.ds.manager, Ticket, 'r.id = ANY($1::uuid[])', [ids]);
  }

  findByNumber(number: number): Promise<Ticket | null> {
    return this.ds.getRepository(Ticket).findOneBy({ number });
  }

  /** Row lock for a read-modify-write of one ticket. */
  async lockById(id: string, manager: EntityManager): Promise<Ticket | null> {
    const [ticket] = await selectRows(manager, Ticket, 'r.id = $1', [id], 'FOR UPDATE');
    return ticket ?? null;
  }

  /**
   * Inserts a ticket with its subject already indexed (weight A, terms from `toTsVectorText`),
   * and the body terms of its first message when given (weight D, as `touchAndIndex` adds
   * them), and returns the stored row: one round trip. `formId` undefined: the default form, if any.
   */
  async insert(
    values: Partial<Ticket>,
    subjectTerms: string,
    bodyTerms: string,
    manager: EntityManager,
  ): Promise<Ticket> {
    const meta = manager.connection.getMetadata(Ticket);
    const defaultForm = `(SELECT id FROM ticket_form WHERE is_default AND active LIMIT 1)`;
    const [sql, params] = insertReturning(
      manager,
      meta,
      values,
      {
        search_vector: (n) =>
          `setweight(to_tsvector('simple', $${n}), 'A')` + (bodyTerms ? ` || to_tsvector('simple', $${n + 1})` : ''),
        ...(values.formId === undefined ? { form_id: () => defaultForm } : {}),
      },
      bodyTerms ? [subjectTerms, bodyTerms] : [subjectTerms],
    );
    const rows = await manager.query<Array<Record<string, unknown>>>(sql, params);
    return fromRow<Ticket>(meta, rows[0], '');
  }

  /**
   * A message or note was written: bumps `updated_at` (newest first in inboxes; neither a version
   * bump nor an audit event) and adds its body terms (weight D) unless the vector is near its size
   * limit. Returns the updated row (null if the ticket is gone).
   */
  async touchAndIndex(id: string, terms: string, maxBytes: number, manager: EntityManager): Promise<Ticket | null> {
    const meta = manager.connection.getMetadata(Ticket);
    const rows = await manager.query<[Array<Record<string, unknown>>, number]>(
      prepared(`UPDATE ticket SET updated_at = now(),
         search_vector = CASE WHEN $2 <> '' AND pg_column_size(search_vector) < $3
                              THEN search_vector || to_tsvector('simple', $2) ELSE search_vector END
       WHERE id = $1
       RETURNING ${selectList(meta, 'ticket', '')}`),
      [id, terms, maxBytes],
    );
    return rows[0][0] ? fromRow<Ticket>(meta, rows[0][0], '') : null;
  }

  /** Applies a patch and bumps the version; the caller holds the row lock. */
  async applyPatch(id: string, patch: Partial<Ticket>, manager: EntityManager): Promise<Ticket> {
    await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .execute();
    return (await this.findById(id, manager)) as Ticket;
  }

  /**
   * Indexes the subject (weight A) and keeps the body terms (weight D) already indexed from
   * messages. `terms` comes from `toTsVectorText`, so Korean bigrams are included.
   */
  async indexSubject(id: string, terms: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE ticket SET search_vector = setweight(to_tsvector('simple', $2), 'A')
         || ts_filter(search_vector, ARRAY['b','c','d']::"char"[])
       WHERE id = $1`,
      [id, terms],
    );
  }

  async insertAudit(
    event: {
      ticketId: string;
      actorKind: ActorKind;
      actorAgentId: string | null;
      action: string;
      changes: Record<string, FieldChange>;
    },
    manager: EntityManager,
  ): Promise<AuditEvent> {
    const meta = manager.connection.getMetadata(AuditEvent);
    const [sql, params] = insertReturning(manager, meta, event);
    const rows = await manager.query<Array<Record<string, unknown>>>(sql, params);
    return fromRow<AuditEvent>(meta, rows[0], '');
  }

  auditEvents(ticketId: string, afterId: number, limit: number): Promise<AuditEvent[]> {
    return this.ds
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.ticketId = :ticketId AND e.id > :afterId', { ticketId, afterId })
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** The first `limit` audit events of each ticket, oldest first, in one query for a whole page. */
  async auditEventsOf(ticketIds: readonly string[], limit: number): Promise<AuditEvent[]> {
    if (!ticketIds.length) return [];
    const meta = this.ds.getMetadata(AuditEvent);
    const rows = await this.ds.query<Array<Record<string, unknown>>>(
      `SELECT ${selectList(meta, 'e', 'e_')}
         FROM unnest($1::uuid[]) AS t(id)
         CROSS JOIN LATERAL (SELECT * FROM audit_event WHERE ticket_id = t.id ORDER BY id LIMIT $2) e
        ORDER BY e.ticket_id, e.id`,
      [ticketIds, limit],
    );
    return rows.map((row) => fromRow<AuditEvent>(meta, row, 'e_'));
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}
