import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNEL_KINDS = [
  'email',
  'widget',
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'line',
  'sms',
  'api',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type ConversationMode = 'messaging' | 'live_chat';
export type ConversationState = 'open' | 'waiting' | 'active' | 'ended' | 'closed';
export type AuthorKind = 'contact' | 'agent' | 'bot' | 'system';
export type DeliveryState = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

const bigintId = { to: (v: unknown) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('conversation')
export class Conversation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) ticketId: string | null;
  @Column('uuid') contactId: string;
  @Column('text') channelKind: ChannelKind;
  @Column('uuid', { nullable: true }) channelId: string | null;
  @Column('text', { default: 'messaging' }) mode: ConversationMode;
  @Column('text', { default: 'open' }) state: ConversationState;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text', { nullable: true }) externalThreadId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) lastMessageAt: Date | null;
}

@Entity('message')
export class Message {
  /** Monotonic: clients resume subscriptions from the last id they saw. */
  @Column({ type: 'bigint', primary: true, generated: 'identity', generatedIdentity: 'ALWAYS', transformer: bigintId })
  id: number;
  @Column('uuid') conversationId: string;
  @Column('uuid', { nullable: true }) ticketId: string | null;
  /** `<channel kind>:<channel id>`; external ids are unique within it. */
  @Column('text') channelKey: string;
  @Column('text', { nullable: true }) externalId: string | null;
  @Column('text') authorKind: AuthorKind;
  @Column('uuid', { nullable: true }) authorAgentId: string | null;
  @Column('uuid', { nullable: true }) authorContactId: string | null;
  @Column('text', { default: '' }) bodyHtml: string;
  @Column('text', { default: '' }) bodyText: string;
  @Column('text', { default: 'received' }) deliveryState: DeliveryState;
  @Column('text', { nullable: true }) deliveryError: string | null;
  /** Rich content sent by agents or bots (quick replies, buttons, cards, forms); see channels/widget/rich-content. */
  @Column('jsonb', { nullable: true }) content: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('attachment')
export class Attachment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('bigint', { nullable: true, transformer: bigintId }) messageId: number | null;
  @Column('bigint', { nullable: true, transformer: bigintId }) noteId: number | null;
  @Column('text') filename: string;
  @Column('text') contentType: string;
  @Column('bigint', { transformer: bigintId }) sizeBytes: number;
  @Column('text') sha256: string;
  @Column('text') storageKey: string;
  @Column('uuid', { nullable: true }) uploadedById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const conversationEntities = [Conversation, Message, Attachment];
