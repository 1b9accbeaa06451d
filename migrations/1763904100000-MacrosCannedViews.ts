import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent productivity: macros (named lists of ticket actions plus text for the composer), canned
 * responses with variables, and saved inbox views. Each is shared (owner_agent_id NULL, managed
 * by administrators) or personal (owned by one agent). Custom-field filters of saved views use a
 * GIN index on the ticket's custom fields.
 */
export class MacrosCannedViews1763904100000 implements MigrationInterface {
  name = 'MacrosCannedViews1763904100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE macro (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        description text NOT NULL DEFAULT '',
        owner_agent_id uuid REFERENCES agent(id) ON DELETE CASCADE,
        actions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(actions) = 'array'),
        position integer NOT NULL DEFAULT 0,
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX macro_owner_idx ON macro (owner_agent_id, position, name)`);
    await q.query(`
      CREATE TABLE canned_response (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shortcut text NOT NULL CHECK (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        owner_agent_id uuid REFERENCES agent(id) ON DELETE CASCADE,
        group_id uuid REFERENCES agent_group(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (owner_agent_id IS NULL OR group_id IS NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX canned_response_shared_shortcut ON canned_response (shortcut) WHERE owner_agent_id IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX canned_response_own_shortcut ON canned_response (owner_agent_id, shortcut) WHERE owner_agent_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE saved_view (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        owner_agent_id uuid REFERENCES agent(id) ON DELETE CASCADE,
        filters jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filters) = 'object'),
        sort text NOT NULL DEFAULT 'updated' CHECK (sort IN ('updated','priority','created','number')),
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX saved_view_owner_idx ON saved_view (owner_agent_id, position, name)`);
    await q.query(`CREATE INDEX ticket_custom_fields_gin ON ticket USING gin (custom_fields jsonb_path_ops)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket_custom_fields_gin`);
    await q.query(`DROP TABLE saved_view`);
    await q.query(`DROP TABLE canned_response`);
    await q.query(`DROP TABLE macro`);
  }
}
