import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type MailboxLocale = 'en' | 'ko';
export type SmtpSecurity = 'tls' | 'starttls' | 'none';
export type ImapAfterFetch = 'seen' | 'move';
export type InboundSource = 'smtp' | 'imap' | 'webhook' | 'api';
export type InboundStatus = 'received' | 'parsed' | 'failed' | 'ignored';
export type OutboundKind = 'message' | 'ack' | 'notification' | 'rejection' | 'system';
export type OutboundState = 'queued' | 'sent' | 'failed';

const bigintId = { to: (v: unknown) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * One support address (support@, billing@…): where its mail comes from (built-in SMTP receiver,
 * IMAP, webhook), how replies go out (its own SMTP server or the system one), and what new
 * tickets get (group, signature, sender name, acknowledgement). Passwords are stored encrypted
 * with APP_SECRET (`secrets.ts`); the webhook secret only as a hash.
 */
@Entity('email_mailbox')
export class Mailbox {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Lower-cased. */
  @Column('text') address: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) senderName: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('text', { default: '' }) signature: string;
  @Column('text', { default: 'en' }) locale: MailboxLocale;
  /** `{number}` is replaced by the ticket number; empty: no tag in subjects. */
  @Column('text', { default: '[#{number}]' }) subjectTag: string;
  @Column('boolean', { default: true }) ackEnabled: boolean;
  @Column('boolean', { default: true }) quoteHistory: boolean;
  /** Reply-To carries the ticket token as a plus address (`support+<token>@…`). */
  @Column('boolean', { default: false }) replyToToken: boolean;
  @Column('text', { default: '#4f46e5' }) brandColor: string;
  @Column('text', { nullable: true }) smtpHost: string | null;
  @Column('integer', { nullable: true }) smtpPort: number | null;
  @Column('text', { default: 'starttls' }) smtpSecurity: SmtpSecurity;
  @Column('text', { nullable: true }) smtpUser: string | null;
  @Column('text', { nullable: true }) smtpPasswordEnc: string | null;
  @Column('boolean', { default: false }) imapEnabled: boolean;
  @Column('text', { nullable: true }) imapHost: string | null;
  @Column('integer', { nullable: true }) imapPort: number | null;
  @Column('boolean', { default: true }) imapTls: boolean;
  @Column('text', { nullable: true }) imapUser: string | null;
  @Column('text', { nullable: true }) imapPasswordEnc: string | null;
  @Column('text', { default: 'INBOX' }) imapFolder: string;
  @Column('text', { default: 'seen' }) imapAfterFetch: ImapAfterFetch;
  @Column('text', { nullable: true }) imapMoveTo: string | null;
  @Column('bigint', { nullable: true, transformer: bigintId }) imapUidValidity: number | null;
  @Column('bigint', { default: 0, transformer: bigintId }) imapLastUid: number;
  @Column('text', { nullable: true }) imapLastError: string | null;
  @Column('timestamptz', { nullable: true }) imapCheckedAt: Date | null;
  @Column('text', { nullable: true }) webhookSecretHash: string | null;
  @Column('boolean', { default: true }) isActive: boolean;
  @Column('boolean', { default: false }) isDefault: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export interface RejectedAttachment {
  filename: string;
  contentType: string;
  size: number;
  reason: 'too_large' | 'unsupported_type' | 'empty' | 'too_many';
}

/**
 * A received mail exactly as it arrived (raw RFC 822 bytes), stored before anything else is
 * done with it. Processing sets the status: parsed (a message on a ticket), ignored (duplicate,
 * bounce, loop…, with the reason) or failed (with the error; retryable by an admin).
 */
@Entity('email_inbound')
export class InboundMail {
  @Column({ type: 'bigint', primary: true, generated: 'identity', generatedIdentity: 'ALWAYS', transformer: bigintId })
  id: number;
  @Column('uuid', { nullable: true }) mailboxId: string | null;
  @Column('text') source: InboundSource;
  @Column('bytea', { select: false }) raw: Buffer;
  @Column('integer') sizeBytes: number;
  /** Of the raw bytes. */
  @Column('text') sha256: string;
  /** Of the content without transport headers: the same mail delivered twice has the same one. */
  @Column('text') contentSha256: string;
  /** Without angle brackets; generated (stable) when the mail has none. */
  @Column('text') messageIdHeader: string;
  @Column('boolean', { default: false }) messageIdGenerated: boolean;
  @Column('text', { nullable: true }) envelopeFrom: string | null;
  @Column('text', { array: true, default: [] }) envelopeTo: string[];
  @Column('text', { default: 'received' }) status: InboundStatus;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('integer', { default: 0 }) attempts: number;
  /** Bumped by an admin retry, so the retry gets a job of its own. */
  @Column('integer', { default: 0 }) retryCount: number;
  @Column('text', { nullable: true }) fromAddress: string | null;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('uuid', { nullable: true }) ticketId: string | null;
  @Column('uuid', { nullable: true }) conversationId: string | null;
  @Column('bigint', { nullable: true, transformer: bigintId }) messageId: number | null;
  @Column('text', { nullable: true }) threadIndexRoot: string | null;
  @Column('text', { nullable: true }) autoReply: string | null;
  @Column('jsonb', { default: [] }) rejectedAttachments: RejectedAttachment[];
  /** Where quoted history or the signature starts in the message text (collapsed in display). */
  @Column('integer', { nullable: true }) quotedTextStart: number | null;
  /** The message HTML without quoted history and signature (sanitised); null when there is none. */
  @Column('text', { nullable: true }) visibleHtml: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt: Date;
  @Column('timestamptz', { nullable: true }) processedAt: Date | null;
}

/** A mail we send: its Message-ID (threading), what it belongs to, and its delivery state. */
@Entity('email_outbound')
export class OutboundMail {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) mailboxId: string | null;
  @Column('text') kind: OutboundKind;
  @Column('bigint', { nullable: true, transformer: bigintId }) messageId: number | null;
  @Column('uuid', { nullable: true }) ticketId: string | null;
  @Column('uuid', { nullable: true }) conversationId: string | null;
  @Column('text', { unique: true }) messageIdHeader: string;
  @Column('text', { nullable: true }) inReplyTo: string | null;
  @Column('text', { array: true, default: [] }) references: string[];
  @Column('text', { nullable: true }) threadIndexRoot: string | null;
  @Column('text', { nullable: true }) fromAddress: string | null;
  @Column('text', { array: true, default: [] }) toAddresses: string[];
  @Column('text', { array: true, default: [] }) ccAddresses: string[];
  @Column('text', { default: '' }) subject: string;
  /** Template and data of mails that are not messages (acknowledgements, notifications). */
  @Column('jsonb', { default: {} }) payload: Record<string, unknown>;
  @Column('text', { default: 'queued' }) state: OutboundState;
  @Column('text', { nullable: true }) error: string | null;
  @Column('integer', { default: 0 }) attempts: number;
  @Column('text', { nullable: true }) smtpResponse: string | null;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** Positions of the notification scanners and keys of notifications already sent (exactly once). */
@Entity('email_cursor')
export class EmailCursor {
  @PrimaryColumn('text') name: string;
  @Column('bigint', { default: 0, transformer: bigintId }) position: number;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('email_notification_sent')
export class EmailNotificationSent {
  @PrimaryColumn('text') key: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const emailEntities = [Mailbox, InboundMail, OutboundMail, EmailCursor, EmailNotificationSent];
