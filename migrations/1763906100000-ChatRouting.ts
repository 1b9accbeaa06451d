import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live chat routing: connection-based agent presence (`presence_at`, refreshed while the agent
 * has a connection open), per-agent chat capacity with a workspace default, offers of waiting
 * chats to one agent at a time, and the group a chat was transferred to.
 */
export class ChatRouting1763906100000 implements MigrationInterface {
  name = 'ChatRouting1763906100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agent ADD COLUMN presence_at timestamptz`);
    await q.query(`ALTER TABLE agent ADD COLUMN connected boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE agent ADD COLUMN chat_capacity integer CHECK (chat_capacity BETWEEN 1 AND 50)`);
    await q.query(`
      CREATE TABLE routing_setting (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        default_chat_capacity integer NOT NULL DEFAULT 3 CHECK (default_chat_capacity BETWEEN 1 AND 50),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO routing_setting (id) VALUES (true)`);
    await q.query(`
      CREATE TABLE chat_offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','declined','expired','withdrawn')),
        created_at timestamptz NOT NULL DEFAULT now(),
        responded_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX chat_offer_pending_idx ON chat_offer (conversation_id) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX chat_offer_agent_idx ON chat_offer (agent_id) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX chat_offer_conversation_idx ON chat_offer (conversation_id, agent_id)`);
    await q.query(
      `ALTER TABLE widget_conversation ADD COLUMN transfer_group_id uuid REFERENCES agent_group(id) ON DELETE SET NULL`,
    );
    await q.query(`ALTER TABLE widget_conversation ADD COLUMN transfer_note text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_conversation DROP COLUMN transfer_note`);
    await q.query(`ALTER TABLE widget_conversation DROP COLUMN transfer_group_id`);
    await q.query(`DROP TABLE chat_offer`);
    await q.query(`DROP TABLE routing_setting`);
    await q.query(`ALTER TABLE agent DROP COLUMN chat_capacity`);
    await q.query(`ALTER TABLE agent DROP COLUMN connected`);
    await q.query(`ALTER TABLE agent DROP COLUMN presence_at`);
  }
}
