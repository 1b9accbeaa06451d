import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The web widget: widget channels with their look and rules, business hours (reusable by
 * automations and SLAs), visitors with what they viewed and tracked, blocks, proactive rules,
 * the widget side of conversations (queue, chat participants), per-message receipts on each
 * side, visitor uploads, and rich `content` on messages.
 */
export class Widget1763902100000 implements MigrationInterface {
  name = 'Widget1763902100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message ADD COLUMN content jsonb`);
    await q.query(`
      CREATE TABLE business_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        timezone text NOT NULL DEFAULT 'UTC',
        weekly jsonb NOT NULL DEFAULT '[]',
        holidays jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE widget (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        mode text NOT NULL DEFAULT 'messaging' CHECK (mode IN ('live_chat','messaging')),
        color text NOT NULL DEFAULT '#4f46e5' CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
        logo_url text,
        position text NOT NULL DEFAULT 'right' CHECK (position IN ('left','right')),
        launcher_text text NOT NULL DEFAULT '',
        greeting text NOT NULL DEFAULT '',
        pre_chat_fields jsonb NOT NULL DEFAULT '[]',
        locale text NOT NULL DEFAULT 'auto' CHECK (locale IN ('auto','en','ko')),
        require_identified boolean NOT NULL DEFAULT false,
        identity_secret text NOT NULL,
        business_hours_id uuid REFERENCES business_hours(id) ON DELETE SET NULL,
        group_id uuid REFERENCES agent_group(id) ON DELETE SET NULL,
        unread_email_delay_seconds integer NOT NULL DEFAULT 180 CHECK (unread_email_delay_seconds >= 0),
        inactivity_minutes integer NOT NULL DEFAULT 15 CHECK (inactivity_minutes > 0),
        allowed_origins text[] NOT NULL DEFAULT '{}',
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE widget_visitor (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        widget_id uuid NOT NULL REFERENCES widget(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contact(id),
        token_version integer NOT NULL DEFAULT 1,
        ip text,
        user_agent text,
        browser text,
        os text,
        device_type text,
        locale text,
        timezone text,
        email text,
        name text,
        referrer text,
        current_url text,
        current_title text,
        visit_count integer NOT NULL DEFAULT 1,
        identified_at timestamptz,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widget_visitor_contact_idx ON widget_visitor (contact_id)`);
    await q.query(`CREATE INDEX widget_visitor_widget_seen_idx ON widget_visitor (widget_id, last_seen_at DESC)`);
    await q.query(`
      CREATE TABLE widget_page_view (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        visitor_id uuid NOT NULL REFERENCES widget_visitor(id) ON DELETE CASCADE,
        url text NOT NULL,
        title text NOT NULL DEFAULT '',
        referrer text,
        viewed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widget_page_view_visitor_idx ON widget_page_view (visitor_id, id DESC)`);
    await q.query(`
      CREATE TABLE widget_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        visitor_id uuid NOT NULL REFERENCES widget_visitor(id) ON DELETE CASCADE,
        name text NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widget_event_visitor_idx ON widget_event (visitor_id, id DESC)`);
    await q.query(`
      CREATE TABLE widget_block (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        widget_id uuid REFERENCES widget(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('visitor','email','ip')),
        value text NOT NULL,
        reason text NOT NULL DEFAULT '',
        created_by_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX widget_block_uq ON widget_block (kind, value, coalesce(widget_id, '00000000-0000-0000-0000-000000000000'))`,
    );
    await q.query(`
      CREATE TABLE widget_proactive_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        widget_id uuid NOT NULL REFERENCES widget(id) ON DELETE CASCADE,
        name text NOT NULL,
        message text NOT NULL,
        url_pattern text,
        min_seconds_on_page integer CHECK (min_seconds_on_page >= 0),
        min_visit_count integer CHECK (min_visit_count >= 1),
        audience text NOT NULL DEFAULT 'all' CHECK (audience IN ('all','identified','anonymous')),
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widget_proactive_rule_widget_idx ON widget_proactive_rule (widget_id)`);
    await q.query(`
      CREATE TABLE widget_conversation (
        conversation_id uuid PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
        widget_id uuid NOT NULL REFERENCES widget(id) ON DELETE CASCADE,
        visitor_id uuid NOT NULL REFERENCES widget_visitor(id) ON DELETE CASCADE,
        offline boolean NOT NULL DEFAULT false,
        queued_at timestamptz,
        accepted_at timestamptz,
        ended_at timestamptz,
        ended_by text,
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widget_conversation_queue_idx ON widget_conversation (widget_id, queued_at)`);
    await q.query(`CREATE INDEX widget_conversation_visitor_idx ON widget_conversation (visitor_id)`);
    await q.query(`
      CREATE TABLE chat_participant (
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        joined_at timestamptz NOT NULL DEFAULT now(),
        left_at timestamptz,
        PRIMARY KEY (conversation_id, agent_id)
      )`);
    await q.query(`CREATE INDEX chat_participant_agent_idx ON chat_participant (agent_id) WHERE left_at IS NULL`);
    await q.query(`
      CREATE TABLE message_receipt (
        message_id bigint NOT NULL REFERENCES message(id) ON DELETE CASCADE,
        side text NOT NULL CHECK (side IN ('contact','agent')),
        delivered_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        emailed_at timestamptz,
        PRIMARY KEY (message_id, side)
      )`);
    await q.query(`
      CREATE TABLE widget_upload (
        attachment_id uuid PRIMARY KEY REFERENCES attachment(id) ON DELETE CASCADE,
        visitor_id uuid NOT NULL REFERENCES widget_visitor(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'widget_upload',
      'message_receipt',
      'chat_participant',
      'widget_conversation',
      'widget_proactive_rule',
      'widget_block',
      'widget_event',
      'widget_page_view',
      'widget_visitor',
      'widget',
      'business_hours',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE message DROP COLUMN IF EXISTS content`);
  }
}
