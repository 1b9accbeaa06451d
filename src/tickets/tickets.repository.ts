import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEvent, Ticket, type ActorKind, type FieldChange } from './entities';
import { fromRow, selectList } from './entity-rows';

/** Every query of the tickets context. */
@Injectable()
export class TicketsRepository {
  constructor(private readonly ds: DataSource) {}

  m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findById(id: string, manager?: EntityManager): Promise<Ticket | null> {
    return this.m(manager).getRepository(Ticket).findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<Ticket[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(Ticket).createQueryBuilder('t').where('t.id = ANY(:ids)', { ids }).getMany();
  }

  findByNumber(number: number): Promise<Ticket | null> {
    return this.ds.getRepository(Ticket).findOneBy({ number });
  }

  /** Row lock for a read-modify-write of one ticket. */
  lockById(id: string, manager: EntityManager): Promise<Ticket | null> {
    return manager
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  async insert(values: Partial<Ticket>, manager: EntityManager): Promise<Ticket> {
    const result = await manager.getRepository(Ticket).insert(values);
    const id = (result.identifiers[0] as { id: string }).id;
    return (await this.findById(id, manager)) as Ticket;
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

  /** Adds body terms (weight D) without touching version or updated_at; stops growing near the size limit. */
  async appendSearchText(id: string, terms: string, maxBytes: number, manager?: EntityManager): Promise<boolean> {
    const result = await this.m(manager).query<[unknown[], number]>(
      `UPDATE ticket SET search_vector = search_vector || to_tsvector('simple', $2)
       WHERE id = $1 AND pg_column_size(search_vector) < $3`,
      [id, terms, maxBytes],
    );
    return result[1] > 0;
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
    return manager.getRepository(AuditEvent).save(Object.assign(new AuditEvent(), event));
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
