import type { MigrationInterface, QueryRunner } from 'typeorm';

const UNSOLVED = `status IN ('new', 'open', 'pending', 'on_hold')`;

/**
 * Every built-in inbox view (Mine, Unassigned, My groups, All open, Pending, On hold, Solved) in
 * both of its sorts walks an index to its first page instead of sorting the matching tickets
 * (up to hundreds of thousands at 1,000,000 tickets). The partial indexes hold unsolved tickets
 * only; a query on `status IN ('new', 'open')` (All open) is served by them too.
 */
export class InboxViewIndexes1763907100000 implements MigrationInterface {
  name = 'InboxViewIndexes1763907100000';

  public async up(q: QueryRunner): Promise<void> {
    // Pending, On hold, Solved by priority
    await q.query(
      `CREATE INDEX ticket_status_priority_idx ON ticket (status, priority_rank DESC, updated_at DESC, id)`,
    );
    // Mine, by last update and by priority
    await q.query(
      `CREATE INDEX ticket_unsolved_assignee_idx ON ticket (assignee_id, updated_at DESC, id) WHERE ${UNSOLVED}`,
    );
    await q.query(
      `CREATE INDEX ticket_unsolved_assignee_priority_idx ON ticket (assignee_id, priority_rank DESC, updated_at DESC, id)
        WHERE ${UNSOLVED}`,
    );
    // Unassigned, My groups and All open by priority
    await q.query(
      `CREATE INDEX ticket_unsolved_priority_idx ON ticket (priority_rank DESC, updated_at DESC, id) WHERE ${UNSOLVED}`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ticket_unsolved_priority_idx`);
    await q.query(`DROP INDEX IF EXISTS ticket_unsolved_assignee_priority_idx`);
    await q.query(`DROP INDEX IF EXISTS ticket_unsolved_assignee_idx`);
    await q.query(`DROP INDEX IF EXISTS ticket_status_priority_idx`);
  }
}
