import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ticket lists sorted by last update or creation across all statuses (the default sort of
 * `tickets`) walk these indexes instead of sorting every ticket. Both end with `id` in the
 * opposite direction, the keyset tie-breaker the list query uses.
 */
export class TicketListIndexes1763900400000 implements MigrationInterface {
  name = 'TicketListIndexes1763900400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ticket_updated_idx ON ticket (updated_at DESC, id)`);
    await q.query(`CREATE INDEX ticket_created_idx ON ticket (created_at DESC, id)`);
    await q.query(`CREATE INDEX ticket_follower_agent_idx ON ticket_follower (agent_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ticket_follower_agent_idx`);
    await q.query(`DROP INDEX IF EXISTS ticket_created_idx`);
    await q.query(`DROP INDEX IF EXISTS ticket_updated_idx`);
  }
}
