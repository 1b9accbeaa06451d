import type { PreChatAnswer, PreChatField } from './prechat';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type WidgetMode = 'live_chat' | 'messaging';
export type WidgetPosition = 'left' | 'right';
export type WidgetLocale = 'auto' | 'en' | 'ko';
export type BlockKind = 'visitor' | 'email' | 'ip';
export type RuleAudience = 'all' | 'identified' | 'anonymous';
export type ReceiptSide = 'contact' | 'agent';

const bigintId = { to: (v: unknown) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** One opening interval of a weekday: day 0 = Sunday … 6 = Saturday, times "HH:MM" local. */
export interface OpeningInterval {
  day: number;
  open: string;
  close: string;
}

export interface Holiday {
  /** YYYY-MM-DD in the schedule's timezone. */
  date: string;
  name: string;
}

export type { PreChatAnswer, PreChatField } from './prechat';

/** Weekly opening hours, a timezone and holidays; reusable by widgets, SLAs and automations. */
@Entity('business_hours')
export class BusinessHours {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { default: 'UTC' }) timezone: string;
  @Column('jsonb', { default: [] }) weekly: OpeningInterval[];
  @Column('jsonb', { default: [] }) holidays: Holiday[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A web widget channel: how it looks, live chat or messaging, identity verification, hours. */
@Entity('widget')
export class Widget {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { default: 'messaging' }) mode: WidgetMode;
  @Column('text', { default: '#4f46e5' }) color: string;
  @Column('text', { nullable: true }) logoUrl: string | null;
  @Column('text', { default: 'right' }) position: WidgetPosition;
  @Column('text', { default: '' }) launcherText: string;
  @Column('text', { default: '' }) greeting: string;
  /** Shown to visitors reading Korean; empty falls back to `greeting`. */
  @Column('text', { default: '' }) greetingKo: string;
  @Column('jsonb', { default: [] }) preChatFields: PreChatField[];
  @Column('text', { default: 'auto' }) locale: WidgetLocale;
  @Column('boolean', { default: false }) requireIdentified: boolean;
  /** HS256 secret the customer's server signs identity JWTs with. */
  @Column('text', { select: false }) identitySecret: string;
  @Column('uuid', { nullable: true }) businessHoursId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('integer', { default: 180 }) unreadEmailDelaySeconds: number;
  @Column('integer', { default: 15 }) inactivityMinutes: number;
  @Column('text', { array: true, default: [] }) allowedOrigins: string[];
  @Column('boolean', { default: true }) isActive: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A browser seen by a widget. Its token is signed with APP_SECRET and names `tokenVersion`. */
@Entity('widget_visitor')
export class WidgetVisitor {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') widgetId: string;
  @Column('uuid') contactId: string;
  @Column('integer', { default: 1 }) tokenVersion: number;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { nullable: true }) userAgent: string | null;
  @Column('text', { nullable: true }) browser: string | null;
  @Column('text', { nullable: true }) os: string | null;
  @Column('text', { nullable: true }) deviceType: string | null;
  @Column('text', { nullable: true }) locale: string | null;
  @Column('text', { nullable: true }) timezone: string | null;
  /** Given by the visitor (pre-chat, off-hours), not verified. */
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { nullable: true }) referrer: string | null;
  @Column('text', { nullable: true }) currentUrl: string | null;
  @Column('text', { nullable: true }) currentTitle: string | null;
  @Column('integer', { default: 1 }) visitCount: number;
  @Column('timestamptz', { nullable: true }) identifiedAt: Date | null;
  @Column('timestamptz', { default: () => 'now()' }) lastSeenAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('widget_page_view')
export class WidgetPageView {
  @Column({ type: 'bigint', primary: true, generated: 'identity', generatedIdentity: 'ALWAYS', transformer: bigintId })
  id: number;
  @Column('uuid') visitorId: string;
  @Column('text') url: string;
  @Column('text', { default: '' }) title: string;
  @Column('text', { nullable: true }) referrer: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) viewedAt: Date;
}

@Entity('widget_event')
export class WidgetEvent {
  @Column({ type: 'bigint', primary: true, generated: 'identity', generatedIdentity: 'ALWAYS', transformer: bigintId })
  id: number;
  @Column('uuid') visitorId: string;
  @Column('text') name: string;
  @Column('jsonb', { default: {} }) properties: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) occurredAt: Date;
}

/** Blocks a visitor id, an email or an IP address, on one widget or (widget null) on all. */
@Entity('widget_block')
export class WidgetBlock {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) widgetId: string | null;
  @Column('text') kind: BlockKind;
  @Column('text') value: string;
  @Column('text', { default: '' }) reason: string;
  @Column('uuid', { nullable: true }) createdById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Opens the widget with a message when a visitor matches: URL, time on page, visits, identified. */
@Entity('widget_proactive_rule')
export class ProactiveRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') widgetId: string;
  @Column('text') name: string;
  @Column('text') message: string;
  @Column('text', { nullable: true }) urlPattern: string | null;
  @Column('integer', { nullable: true }) minSecondsOnPage: number | null;
  @Column('integer', { nullable: true }) minVisitCount: number | null;
  @Column('text', { default: 'all' }) audience: RuleAudience;
  @Column('boolean', { default: true }) isActive: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** Widget facts of a conversation: its visitor, queue and chat timestamps, off-hours email. */
@Entity('widget_conversation')
export class WidgetConversation {
  @PrimaryColumn('uuid') conversationId: string;
  @Column('uuid') widgetId: string;
  @Column('uuid') visitorId: string;
  @Column('boolean', { default: false }) offline: boolean;
  @Column('timestamptz', { nullable: true }) queuedAt: Date | null;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  @Column('text', { nullable: true }) endedBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) lastActivityAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  /** Set while a chat transferred to a group waits for one of its agents. */
  @Column('uuid', { nullable: true }) transferGroupId: string | null;
  @Column('text', { nullable: true }) transferNote: string | null;
  /** The visitor's answers to the widget's custom pre-chat fields, with the labels as asked. */
  @Column('jsonb', { default: [] }) prechatAnswers: PreChatAnswer[];
}

export type ChatOfferState = 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';

/** A waiting chat offered to one agent; at most one pending offer per chat. */
@Entity('chat_offer')
export class ChatOffer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') conversationId: string;
  @Column('uuid') agentId: string;
  @Column('text', { default: 'pending' }) state: ChatOfferState;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) respondedAt: Date | null;
}

@Entity('chat_participant')
export class ChatParticipant {
  @PrimaryColumn('uuid') conversationId: string;
  @PrimaryColumn('uuid') agentId: string;
  @Column('timestamptz', { default: () => 'now()' }) joinedAt: Date;
  @Column('timestamptz', { nullable: true }) leftAt: Date | null;
}

/** Delivered and read state of one message on the side that receives it. */
@Entity('message_receipt')
export class MessageReceipt {
  @PrimaryColumn({ type: 'bigint', transformer: bigintId }) messageId: number;
  @PrimaryColumn('text') side: ReceiptSide;
  @Column('timestamptz', { default: () => 'now()' }) deliveredAt: Date;
  @Column('timestamptz', { nullable: true }) readAt: Date | null;
  @Column('timestamptz', { nullable: true }) emailedAt: Date | null;
}

/** Which visitor uploaded a file not yet attached: only they may attach it. */
@Entity('widget_upload')
export class WidgetUpload {
  @PrimaryColumn('uuid') attachmentId: string;
  @Column('uuid') visitorId: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const widgetEntities = [
  BusinessHours,
  Widget,
  WidgetVisitor,
  WidgetPageView,
  WidgetEvent,
  WidgetBlock,
  ProactiveRule,
  WidgetConversation,
  ChatParticipant,
  ChatOffer,
  MessageReceipt,
  WidgetUpload,
];
