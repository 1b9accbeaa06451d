import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Ticket, TicketContactFollower, TicketFollower, TicketLink, type TicketLinkKind } from './entities';

export interface MovedContent {
  conversations: number;
  messages: number;
  notes: number;
}

/** Followers, links and the cross-table moves of a merge. */
@Injectable()
export class TicketRelationsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /**
   * Locks several tickets for a change that spans them, always in id order: two transactions
   * locking overlapping sets then wait for each other instead of deadlocking.
   */
  lockTickets(ids: readonly string[], m: EntityManager): Promise<Ticket[]> {
    return m
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = ANY(:ids)', { ids: [...new Set(ids)] })
      .orderBy('t.id', 'ASC')
      .getMany();
  }

  followersOf(ticketIds: readonly string[], manager?: EntityManager): Promise<TicketFollower[]> {
    if (!ticketIds.length) return Promise.resolve([]);
    return this.m(manager)
      .getRepository(TicketFollower)
      .createQueryBuilder('f')
      .where('f.ticketId = ANY(:ticketIds)', { ticketIds })
      .orderBy('f.createdAt', 'ASC')
      .getMany();
  }

  async addFollowers(ticketId: string, agentIds: readonly string[], m: EntityManager): Promise<void> {
    if (!agentIds.length) return;
    await m.query(
      `INSERT INTO ticket_follower (ticket_id, agent_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ticketId, agentIds],
    );
  }

  async removeFollower(ticketId: string, agentId: string, m: EntityManager): Promise<void> {
    await m.getRepository(TicketFollower).delete({ ticketId, agentId });
  }

  contactFollowersOf(ticketIds: readonly string[], manager?: EntityManager): Promise<TicketContactFollower[]> {
    if (!ticketIds.length) return Promise.resolve([]);
    return this.m(manager)
      .getRepository(TicketContactFollower)
      .createQueryBuilder('f')
      .where('f.ticketId = ANY(:ticketIds)', { ticketIds })
      .orderBy('f.createdAt', 'ASC')
      .getMany();
  }

  async addContactFollowers(ticketId: string, contactIds: readonly string[], m: EntityManager): Promise<void> {
    if (!contactIds.length) return;
    await m.query(
      `INSERT INTO ticket_contact_follower (ticket_id, contact_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ticketId, contactIds],
    );
  }

  async removeContactFollower(ticketId: string, contactId: string, m: EntityManager): Promise<void> {
    await m.getRepository(TicketContactFollower).delete({ ticketId, contactId });
  }

  linksOf(ticketIds: readonly string[]): Promise<TicketLink[]> {
    if (!ticketIds.length) return Promise.resolve([]);
    return this.ds
      .getRepository(TicketLink)
      .createQueryBuilder('l')
      .where('l.sourceTicketId = ANY(:ticketIds) OR l.targetTicketId = ANY(:ticketIds)', { ticketIds })
      .orderBy('l.createdAt', 'ASC')
      .getMany();
  }

  /** The `related` link between two tickets, whichever way it points. */
  relatedLinkBetween(a: string, b: string, m: EntityManager): Promise<TicketLink | null> {
    return m
      .getRepository(TicketLink)
      .createQueryBuilder('l')
      .where(`l.kind = 'related'`)
      .andWhere(
        '((l.sourceTicketId = :a AND l.targetTicketId = :b) OR (l.sourceTicketId = :b AND l.targetTicketId = :a))',
        { a, b },
      )
      .getOne();
  }

  /** Creates the link unless the same one exists; null when it already did. */
  async insertLink(
    sourceTicketId: string,
    targetTicketId: string,
    kind: TicketLinkKind,
    m: EntityManager,
  ): Promise<TicketLink | null> {
    const rows = await m.query<Array<{ id: string }>>(
      `INSERT INTO ticket_link (source_ticket_id, target_ticket_id, kind) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING id`,
      [sourceTicketId, targetTicketId, kind],
    );
    return rows.length ? m.getRepository(TicketLink).findOneBy({ id: rows[0].id }) : null;
  }

  async deleteLink(ticketA: string, ticketB: string, kind: TicketLinkKind, m: EntityManager): Promise<number> {
    const result = await m
      .createQueryBuilder()
      .delete()
      .from(TicketLink)
      .where('kind = :kind', { kind })
      .andWhere(
        '((source_ticket_id = :a AND target_ticket_id = :b) OR (source_ticket_id = :b AND target_ticket_id = :a))',
        { a: ticketA, b: ticketB },
      )
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Moves everything customer-visible and internal from the merged tickets to the target: their
   * conversations with all messages, internal notes, followers, and their search terms.
   */
  async moveContent(sourceIds: readonly string[], targetId: string, m: EntityManager): Promise<MovedContent> {
    const ids = [...sourceIds];
    const conversations = await this.count(
      m,
      `UPDATE conversation SET ticket_id = $1, updated_at = now() WHERE ticket_id = ANY($2::uuid[])`,
      [targetId, ids],
    );
    const messages = await this.count(m, `UPDATE message SET ticket_id = $1 WHERE ticket_id = ANY($2::uuid[])`, [
      targetId,
      ids,
    ]);
    const notes = await this.count(m, `UPDATE ticket_note SET ticket_id = $1 WHERE ticket_id = ANY($2::uuid[])`, [
      targetId,
      ids,
    ]);
    await m.query(
      `INSERT INTO ticket_follower (ticket_id, agent_id)
       SELECT $1, agent_id FROM ticket_follower WHERE ticket_id = ANY($2::uuid[]) ON CONFLICT DO NOTHING`,
      [targetId, ids],
    );
    await m.query(
      `INSERT INTO ticket_contact_follower (ticket_id, contact_id)
       SELECT $1, contact_id FROM ticket_contact_follower WHERE ticket_id = ANY($2::uuid[]) ON CONFLICT DO NOTHING`,
      [targetId, ids],
    );
    // the merged tickets' subjects and messages become findable through the target (as body terms)
    for (const id of ids) {
      await m.query(
        `UPDATE ticket t SET search_vector = t.search_vector || setweight(s.search_vector, 'D')
         FROM ticket s
         WHERE t.id = $1 AND s.id = $2
           AND pg_column_size(t.search_vector) + pg_column_size(s.search_vector) < $3`,
        [targetId, id, MAX_SEARCH_VECTOR_BYTES],
      );
    }
    return { conversations, messages, notes };
  }

  private async count(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const result = await m.query<[unknown[], number]>(sql, params);
    return result[1];
  }
}

/** PostgreSQL refuses tsvectors over 1 MB; appends stop well before that. */
export const MAX_SEARCH_VECTOR_BYTES = 512 * 1024;
