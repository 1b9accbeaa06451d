import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CustomFieldValue, TicketPriority, TicketStatus, TicketType } from '../tickets/entities';

/** An agent id, or `current` (the agent applying the macro). */
export type AgentChoice = string;

/** One step of a macro; every kind maps onto the same ticket services as a manual change. */
export type MacroAction =
  | { type: 'status'; value: TicketStatus }
  | { type: 'priority'; value: TicketPriority }
  | { type: 'type'; value: TicketType | null }
  | { type: 'assignee'; value: AgentChoice | null }
  | { type: 'group'; value: string | null }
  | { type: 'add_tags'; value: string[] }
  | { type: 'remove_tags'; value: string[] }
  | { type: 'custom_field'; key: string; value: CustomFieldValue }
  | { type: 'add_follower'; value: AgentChoice }
  | { type: 'insert_text'; mode: 'reply' | 'note'; value: string };

export type MacroActionType = MacroAction['type'];

/** A named list of actions; shared (admins manage it) or personal (owned by one agent). */
@Entity('macro')
export class Macro {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { default: '' }) description: string;
  @Column('uuid', { nullable: true }) ownerAgentId: string | null;
  @Column('jsonb', { default: [] }) actions: MacroAction[];
  @Column('integer', { default: 0 }) position: number;
  @Column('boolean', { default: true }) isActive: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A reusable reply inserted by its shortcut; personal, for one group, or for everyone. */
@Entity('canned_response')
export class CannedResponse {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') shortcut: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('uuid', { nullable: true }) ownerAgentId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** Filters of a saved view, as stored (validated by the service). */
export interface SavedViewFilters {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  channel?: string;
  groupId?: string;
  /** `me`, `none` or an agent id. */
  assignee?: string;
  tags?: string[];
  customFields?: Record<string, CustomFieldValue>;
}

export type SavedViewSort = 'updated' | 'priority' | 'created' | 'number';

/** An inbox view an agent saved from a filter; shared views (no owner) are for everyone. */
@Entity('saved_view')
export class SavedView {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('uuid', { nullable: true }) ownerAgentId: string | null;
  @Column('jsonb', { default: {} }) filters: SavedViewFilters;
  @Column('text', { default: 'updated' }) sort: SavedViewSort;
  @Column('integer', { default: 0 }) position: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export const automationEntities = [Macro, CannedResponse, SavedView];
