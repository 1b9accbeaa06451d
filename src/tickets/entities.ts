import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'merged'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export type TicketFieldType = 'text' | 'number' | 'date' | 'dropdown' | 'checkbox';
export type CustomFieldValue = string | number | boolean | null;

@Entity('ticket')
export class Ticket {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** bigint comes back from pg as a string; the column is converted to a number here. */
  @Column({
    type: 'bigint',
    insert: false,
    update: false,
    transformer: { to: (v: unknown) => v, from: (v: string) => Number(v) },
  })
  number: number;
  @Column('text') subject: string;
  @Column('text') status: TicketStatus;
  @Column('text') priority: TicketPriority;
  @Column({ type: 'smallint', insert: false, update: false }) priorityRank: number;
  @Column('text', { nullable: true }) type: TicketType | null;
  @Column('text') channel: string;
  @Column('uuid') requesterId: string;
  @Column('uuid', { nullable: true }) assigneeId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('uuid', { nullable: true }) formId: string | null;
  @Column('text', { array: true }) tags: string[];
  @Column('jsonb') customFields: Record<string, CustomFieldValue>;
  @Column('uuid', { nullable: true }) mergedIntoId: string | null;
  @VersionColumn() version: number;
  @Column({ type: 'tsvector', select: false, insert: false, update: false }) searchVector: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) solvedAt: Date | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
}

@Entity('ticket_follower')
export class TicketFollower {
  @PrimaryColumn('uuid') ticketId: string;
  @PrimaryColumn('uuid') agentId: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export type TicketLinkKind = 'follow_up' | 'related';

@Entity('ticket_link')
export class TicketLink {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') sourceTicketId: string;
  @Column('uuid') targetTicketId: string;
  @Column('text') kind: TicketLinkKind;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export interface TicketFieldValidation {
  min?: number;
  max?: number;
  maxLength?: number;
  pattern?: string;
}

@Entity('ticket_field')
export class TicketField {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') key: string;
  @Column('text') label: string;
  @Column('text', { nullable: true }) labelKo: string | null;
  @Column('text') type: TicketFieldType;
  @Column('jsonb') options: string[];
  @Column('boolean') required: boolean;
  @Column('jsonb') validation: TicketFieldValidation;
  @Column('integer') position: number;
  @Column('boolean') active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('ticket_form')
export class TicketForm {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('uuid', { array: true }) fieldIds: string[];
  @Column('boolean') isDefault: boolean;
  @Column('boolean') active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

const bigintId = { to: (v: unknown) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('ticket_note')
export class TicketNote {
  @Column({ type: 'bigint', primary: true, generated: 'identity', generatedIdentity: 'ALWAYS', transformer: bigintId })
  id: number;
  @Column('uuid') ticketId: string;
  @Column('uuid', { nullable: true }) authorAgentId: string | null;
  @Column('text') bodyHtml: string;
  @Column('text') bodyText: string;
  @Column('uuid', { array: true }) mentionIds: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export type ActorKind = 'agent' | 'contact' | 'system' | 'api';
export interface FieldChange {
  from: unknown;
  to: unknown;
}

@Entity('audit_event')
export class AuditEvent {
  @Column({ type: 'bigint', primary: true, generated: 'identity', generatedIdentity: 'ALWAYS', transformer: bigintId })
  id: number;
  @Column('uuid') ticketId: string;
  @Column('text') actorKind: ActorKind;
  @Column('uuid', { nullable: true }) actorAgentId: string | null;
  @Column('text') action: string;
  @Column('jsonb') changes: Record<string, FieldChange>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const ticketEntities = [Ticket, TicketFollower, TicketLink, TicketField, TicketForm, TicketNote, AuditEvent];
