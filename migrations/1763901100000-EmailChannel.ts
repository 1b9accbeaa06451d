import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email channel: mailboxes, the raw inbound store, outbound mails with their Message-IDs
 * and delivery state, notification bookkeeping, and customers copied on tickets.
 *
 * `email_inbound` keeps every received mail as raw bytes, written before any parsing, so a mail
 * is never lost whatever its content. `(message_id_header, content_sha256)` is unique: the same
 * mail delivered twice (a retrying server, IMAP after a restart, two ways in) is stored once.
 * Threading looks Message-IDs up in both `email_inbound` and `email_outbound`.
 */
export class EmailChannel1763901100000 implements MigrationInterface {
  name = 'EmailChannel1763901100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_mailbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        address text NOT NULL CHECK (address = lower(address) AND address LIKE '%_@_%'),
        name text NOT NULL,
        sender_name text,
        group_id uuid REFERENCES agent_group(id) ON DELETE SET NULL,
        signature text NOT NULL DEFAULT '',
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en','ko')),
        subject_tag text NOT NULL DEFAULT '[#{number}]',
        ack_enabled boolean NOT NULL DEFAULT true,
        quote_history boolean NOT NULL DEFAULT true,
        reply_to_token boolean NOT NULL DEFAULT false,
        brand_color text NOT NULL DEFAULT '#4f46e5' CHECK (brand_color ~ '^#[0-9a-fA-F]{6}$'),
        smtp_host text,
        smtp_port integer CHECK (smtp_port BETWEEN 1 AND 65535),
        smtp_security text NOT NULL DEFAULT 'starttls' CHECK (smtp_security IN ('tls','starttls','none')),
        smtp_user text,
        smtp_password_enc text,
        imap_enabled boolean NOT NULL DEFAULT false,
        imap_host text,
        imap_port integer CHECK (imap_port BETWEEN 1 AND 65535),
        imap_tls boolean NOT NULL DEFAULT true,
        imap_user text,
        imap_password_enc text,
        imap_folder text NOT NULL DEFAULT 'INBOX',
        imap_after_fetch text NOT NULL DEFAULT 'seen' CHECK (imap_after_fetch IN ('seen','move')),
        imap_move_to text,
        imap_uid_validity bigint,
        imap_last_uid bigint NOT NULL DEFAULT 0,
        imap_last_error text,
        imap_checked_at timestamptz,
        webhook_secret_hash text,
        is_active boolean NOT NULL DEFAULT true,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX email_mailbox_address_uq ON email_mailbox (address)`);
    await q.query(`CREATE UNIQUE INDEX email_mailbox_default_uq ON email_mailbox (is_default) WHERE is_default`);

    await q.query(`
      CREATE TABLE email_inbound (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        mailbox_id uuid REFERENCES email_mailbox(id) ON DELETE SET NULL,
        source text NOT NULL CHECK (source IN ('smtp','imap','webhook','api')),
        raw bytea NOT NULL,
        size_bytes integer NOT NULL,
        sha256 text NOT NULL,
        content_sha256 text NOT NULL,
        message_id_header text NOT NULL,
        message_id_generated boolean NOT NULL DEFAULT false,
        envelope_from text,
        envelope_to text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','parsed','failed','ignored')),
        reason text,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        retry_count integer NOT NULL DEFAULT 0,
        from_address text,
        subject text,
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        conversation_id uuid REFERENCES conversation(id) ON DELETE SET NULL,
        message_id bigint REFERENCES message(id) ON DELETE SET NULL,
        thread_index_root text,
        auto_reply text,
        rejected_attachments jsonb NOT NULL DEFAULT '[]',
        quoted_text_start integer,
        visible_html text,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    // raw mails are written once and rarely read: keep them out of line, uncompressed (mail is mostly base64)
    await q.query(`ALTER TABLE email_inbound ALTER COLUMN raw SET STORAGE EXTERNAL`);
    await q.query(`CREATE UNIQUE INDEX email_inbound_dedup_uq ON email_inbound (message_id_header, content_sha256)`);
    await q.query(`CREATE INDEX email_inbound_status_idx ON email_inbound (status, id) WHERE status <> 'parsed'`);
    await q.query(`CREATE INDEX email_inbound_sender_idx ON email_inbound (from_address, received_at)`);
    await q.query(`CREATE INDEX email_inbound_ticket_idx ON email_inbound (ticket_id)`);
    await q.query(`CREATE INDEX email_inbound_message_idx ON email_inbound (message_id)`);
    await q.query(
      `CREATE INDEX email_inbound_thread_index_idx ON email_inbound (thread_index_root) WHERE thread_index_root IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE email_outbound (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mailbox_id uuid REFERENCES email_mailbox(id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('message','ack','notification','rejection','system')),
        message_id bigint REFERENCES message(id) ON DELETE SET NULL,
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        conversation_id uuid REFERENCES conversation(id) ON DELETE SET NULL,
        message_id_header text NOT NULL UNIQUE,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        thread_index_root text,
        from_address text,
        to_addresses text[] NOT NULL DEFAULT '{}',
        cc_addresses text[] NOT NULL DEFAULT '{}',
        subject text NOT NULL DEFAULT '',
        payload jsonb NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sent','failed')),
        error text,
        attempts integer NOT NULL DEFAULT 0,
        smtp_response text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_outbound_ticket_idx ON email_outbound (ticket_id)`);
    await q.query(`CREATE INDEX email_outbound_message_idx ON email_outbound (message_id)`);
    await q.query(`CREATE INDEX email_outbound_queued_idx ON email_outbound (created_at) WHERE state = 'queued'`);
    await q.query(
      `CREATE INDEX email_outbound_thread_index_idx ON email_outbound (thread_index_root) WHERE thread_index_root IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE email_cursor (
        name text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE email_notification_sent (
        key text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_notification_sent_created_idx ON email_notification_sent (created_at)`);

    await q.query(`
      CREATE TABLE ticket_contact_follower (
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, contact_id)
      )`);
    await q.query(`CREATE INDEX ticket_contact_follower_contact_idx ON ticket_contact_follower (contact_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'ticket_contact_follower',
      'email_notification_sent',
      'email_cursor',
      'email_outbound',
      'email_inbound',
      'email_mailbox',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
  }
}
