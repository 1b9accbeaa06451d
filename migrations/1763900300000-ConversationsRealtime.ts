import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Realtime cursors must never skip a row. `message.id` and `audit_event.id` are the cursors
 * clients resume from, but identity values are handed out when a row is inserted, not when its
 * transaction commits: transaction A could take id 10, B id 11, B commit first, a reader deliver
 * 11 and move its cursor past 10 for good.
 *
 * A statement-level BEFORE INSERT trigger takes one transaction-scoped advisory lock before any
 * id is drawn, and holds it until the transaction ends. Inserts into these two tables therefore
 * draw ids and commit strictly one after another, so ids become visible in id order and
 * "everything after my cursor" is always complete — across tickets too (agent inboxes), and
 * whichever code path wrote the row. Only the tail of a writing transaction is serialised (from
 * its first such insert to its commit); take row locks before inserting, never after, so that a
 * transaction holding this lock never waits for one that is waiting for it.
 *
 * Also: a partial index to find uploads never attached to a message or note (clean-up job).
 */
export class ConversationsRealtime1763900300000 implements MigrationInterface {
  name = 'ConversationsRealtime1763900300000';

  public async up(q: QueryRunner): Promise<void> {
    // 0x736f7269_0001: "sori" + 1. Must match REALTIME_COMMIT_ORDER_LOCK in src/common/pubsub/commit-order.ts.
    await q.query(`
      CREATE FUNCTION sori_realtime_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(126922498048001);
        RETURN NULL;
      END $$`);
    for (const table of ['message', 'audit_event']) {
      await q.query(
        `CREATE TRIGGER ${table}_commit_order BEFORE INSERT ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION sori_realtime_commit_order()`,
      );
    }
    await q.query(
      `CREATE INDEX attachment_unattached_idx ON attachment (created_at) WHERE message_id IS NULL AND note_id IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS attachment_unattached_idx`);
    for (const table of ['message', 'audit_event']) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_commit_order ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS sori_realtime_commit_order()`);
  }
}
