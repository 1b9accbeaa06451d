import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation schema: accounts, contacts, tickets, conversations, messages, audit, search. */
export class Initial1763900000000 implements MigrationInterface {
  name = 'Initial1763900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    // ---- identity ----
    await q.query(`
      CREATE TABLE agent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','agent','viewer')),
        ticket_access text NOT NULL DEFAULT 'all' CHECK (ticket_access IN ('all','groups','assigned')),
        password_hash text,
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en','ko')),
        timezone text NOT NULL DEFAULT 'UTC',
        signature text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'offline' CHECK (status IN ('online','away','transfer_only','offline')),
        is_active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz,
        failed_login_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX agent_email_uq ON agent (lower(email))`);

    await q.query(`
      CREATE TABLE agent_session (
        id text PRIMARY KEY,
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX agent_session_agent_idx ON agent_session (agent_id)`);

    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_token_agent_idx ON api_token (agent_id)`);

    await q.query(`
      CREATE TABLE agent_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX agent_group_name_uq ON agent_group (lower(name))`);
    await q.query(`
      CREATE TABLE group_membership (
        group_id uuid NOT NULL REFERENCES agent_group(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, agent_id)
      )`);
    await q.query(`CREATE INDEX group_membership_agent_idx ON group_membership (agent_id)`);

    await q.query(`
      CREATE TABLE agent_invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL DEFAULT '',
        role text NOT NULL CHECK (role IN ('admin','agent','viewer')),
        group_ids uuid[] NOT NULL DEFAULT '{}',
        token_hash text NOT NULL UNIQUE,
        invited_by_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE password_reset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);

    // ---- contacts ----
    await q.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        domains text[] NOT NULL DEFAULT '{}',
        notes text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organization_domains_idx ON organization USING gin (domains)`);
    await q.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL DEFAULT '',
        organization_id uuid REFERENCES organization(id) ON DELETE SET NULL,
        locale text,
        timezone text,
        notes text NOT NULL DEFAULT '',
        merged_into_id uuid REFERENCES contact(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contact_org_idx ON contact (organization_id)`);
    await q.query(`CREATE INDEX contact_name_trgm ON contact USING gin (name gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE contact_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('email','phone','external_id','visitor','whatsapp','messenger','instagram','telegram','line','sms')),
        value text NOT NULL,
        verified boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, value)
      )`);
    await q.query(`CREATE INDEX contact_identity_contact_idx ON contact_identity (contact_id)`);
    await q.query(`CREATE INDEX contact_identity_value_trgm ON contact_identity USING gin (value gin_trgm_ops)`);

    // ---- ticket fields and forms ----
    await q.query(`
      CREATE TABLE ticket_field (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
        label text NOT NULL,
        label_ko text,
        type text NOT NULL CHECK (type IN ('text','number','date','dropdown','checkbox')),
        options jsonb NOT NULL DEFAULT '[]',
        required boolean NOT NULL DEFAULT false,
        validation jsonb NOT NULL DEFAULT '{}',
        position integer NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ticket_form (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        field_ids uuid[] NOT NULL DEFAULT '{}',
        is_default boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX ticket_form_default_uq ON ticket_form (is_default) WHERE is_default`);

    // ---- tickets ----
    await q.query(`CREATE SEQUENCE ticket_number_seq START 1000`);
    await q.query(`
      CREATE TABLE ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL UNIQUE DEFAULT nextval('ticket_number_seq'),
        subject text NOT NULL,
        status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','open','pending','on_hold','solved','closed','merged')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
        priority_rank smallint GENERATED ALWAYS AS (
          CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END) STORED,
        type text CHECK (type IN ('question','incident','problem','task')),
        channel text NOT NULL DEFAULT 'api',
        requester_id uuid NOT NULL REFERENCES contact(id),
        assignee_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        group_id uuid REFERENCES agent_group(id) ON DELETE SET NULL,
        form_id uuid REFERENCES ticket_form(id) ON DELETE SET NULL,
        tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES ticket(id),
        version integer NOT NULL DEFAULT 1,
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        solved_at timestamptz,
        closed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX ticket_inbox_group_idx ON ticket (group_id, status, priority_rank DESC, updated_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX ticket_inbox_assignee_idx ON ticket (assignee_id, status, priority_rank DESC, updated_at DESC, id)`,
    );
    await q.query(`CREATE INDEX ticket_status_updated_idx ON ticket (status, updated_at DESC, id)`);
    await q.query(`CREATE INDEX ticket_requester_idx ON ticket (requester_id, created_at DESC)`);
    await q.query(`CREATE INDEX ticket_tags_idx ON ticket USING gin (tags)`);
    await q.query(`CREATE INDEX ticket_search_idx ON ticket USING gin (search_vector)`);
    await q.query(`CREATE INDEX ticket_subject_trgm ON ticket USING gin (subject gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE ticket_follower (
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, agent_id)
      )`);
    await q.query(`
      CREATE TABLE ticket_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        target_ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('follow_up','related')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_ticket_id, target_ticket_id, kind),
        CHECK (source_ticket_id <> target_ticket_id)
      )`);
    await q.query(`CREATE INDEX ticket_link_target_idx ON ticket_link (target_ticket_id)`);

    // ---- conversations and messages ----
    await q.query(`
      CREATE TABLE conversation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        contact_id uuid NOT NULL REFERENCES contact(id),
        channel_kind text NOT NULL CHECK (channel_kind IN ('email','widget','whatsapp','messenger','instagram','telegram','line','sms','api')),
        channel_id uuid,
        mode text NOT NULL DEFAULT 'messaging' CHECK (mode IN ('messaging','live_chat')),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','waiting','active','ended','closed')),
        subject text,
        external_thread_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_message_at timestamptz
      )`);
    await q.query(`CREATE INDEX conversation_ticket_idx ON conversation (ticket_id)`);
    await q.query(`CREATE INDEX conversation_contact_idx ON conversation (contact_id, updated_at DESC)`);
    await q.query(`
      CREATE TABLE message (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        channel_key text NOT NULL,
        external_id text,
        author_kind text NOT NULL CHECK (author_kind IN ('contact','agent','bot','system')),
        author_agent_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        author_contact_id uuid REFERENCES contact(id) ON DELETE SET NULL,
        body_html text NOT NULL DEFAULT '',
        body_text text NOT NULL DEFAULT '',
        delivery_state text NOT NULL DEFAULT 'received' CHECK (delivery_state IN ('received','queued','sent','delivered','read','failed')),
        delivery_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX message_external_uq ON message (channel_key, external_id) WHERE external_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX message_conversation_idx ON message (conversation_id, id)`);
    await q.query(`CREATE INDEX message_ticket_idx ON message (ticket_id, id)`);
    await q.query(`CREATE INDEX message_body_trgm ON message USING gin (body_text gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE ticket_note (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        author_agent_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        body_html text NOT NULL,
        body_text text NOT NULL,
        mention_ids uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_note_ticket_idx ON ticket_note (ticket_id, id)`);
    await q.query(`
      CREATE TABLE attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id bigint REFERENCES message(id) ON DELETE CASCADE,
        note_id bigint REFERENCES ticket_note(id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        uploaded_by_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachment_message_idx ON attachment (message_id)`);
    await q.query(`CREATE INDEX attachment_note_idx ON attachment (note_id)`);

    // ---- audit ----
    await q.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        actor_kind text NOT NULL CHECK (actor_kind IN ('agent','contact','system','api')),
        actor_agent_id uuid REFERENCES agent(id) ON DELETE SET NULL,
        action text NOT NULL,
        changes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_event_ticket_idx ON audit_event (ticket_id, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_event',
      'attachment',
      'ticket_note',
      'message',
      'conversation',
      'ticket_link',
      'ticket_follower',
      'ticket',
      'ticket_form',
      'ticket_field',
      'contact_identity',
      'contact',
      'organization',
      'password_reset',
      'agent_invitation',
      'group_membership',
      'agent_group',
      'api_token',
      'agent_session',
      'agent',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS ticket_number_seq`);
  }
}
