import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AgentRole = 'admin' | 'agent' | 'viewer';
export type TicketAccess = 'all' | 'groups' | 'assigned';
export type AgentStatus = 'online' | 'away' | 'transfer_only' | 'offline';
export type Locale = 'en' | 'ko';

@Entity('agent')
export class Agent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text') role: AgentRole;
  @Column('text', { default: 'all' }) ticketAccess: TicketAccess;
  @Column('text', { nullable: true, select: false }) passwordHash: string | null;
  @Column('text', { default: 'en' }) locale: Locale;
  @Column('text', { default: 'UTC' }) timezone: string;
  @Column('text', { default: '' }) signature: string;
  @Column('text', { default: 'offline' }) status: AgentStatus;
  @Column('boolean', { default: true }) isActive: boolean;
  @Column('timestamptz', { nullable: true }) deactivatedAt: Date | null;
  @Column('integer', { default: 0 }) failedLoginCount: number;
  @Column('timestamptz', { nullable: true }) lockedUntil: Date | null;
  @Column('timestamptz', { nullable: true }) lastLoginAt: Date | null;
  /** Last sign of a live connection (WebSocket heartbeat, status change); routing trusts it for a grace period. */
  @Column('timestamptz', { nullable: true }) presenceAt: Date | null;
  @Column('boolean', { default: false }) connected: boolean;
  /** Most live chats at once; null uses the workspace default. */
  @Column('integer', { nullable: true }) chatCapacity: number | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('agent_session')
export class AgentSession {
  /** sha256 of the cookie value; the raw value is never stored. */
  @PrimaryColumn('text') id: string;
  @Column('uuid') agentId: string;
  @Column('text') csrfToken: string;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { nullable: true }) userAgent: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) lastSeenAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}

export type TokenScope = 'read' | 'write';

@Entity('api_token')
export class ApiToken {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') agentId: string;
  @Column('text') name: string;
  @Column('text', { select: false, unique: true }) tokenHash: string;
  @Column('text') prefix: string;
  @Column('text', { array: true }) scopes: TokenScope[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}

@Entity('agent_group')
export class AgentGroup {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { default: '' }) description: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('group_membership')
export class GroupMembership {
  @PrimaryColumn('uuid') groupId: string;
  @PrimaryColumn('uuid') agentId: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('agent_invitation')
export class AgentInvitation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { default: '' }) name: string;
  @Column('text') role: AgentRole;
  @Column('uuid', { array: true, default: [] }) groupIds: string[];
  @Column('text', { unique: true }) tokenHash: string;
  @Column('uuid', { nullable: true }) invitedById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}

@Entity('password_reset')
export class PasswordReset {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') agentId: string;
  @Column('text', { unique: true }) tokenHash: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) usedAt: Date | null;
}

export const identityEntities = [
  Agent,
  AgentSession,
  ApiToken,
  AgentGroup,
  GroupMembership,
  AgentInvitation,
  PasswordReset,
];
