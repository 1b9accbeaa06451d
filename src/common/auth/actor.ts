import type { AgentRole, TicketAccess, TokenScope } from '../../identity/entities';
import { ForbiddenError } from '../errors/domain-error';

/** Who is acting: resolved once per request (session cookie or API token) and passed to services. */
export interface Actor {
  kind: 'agent' | 'system';
  agentId: string | null;
  role: AgentRole;
  ticketAccess: TicketAccess;
  groupIds: string[];
  via: 'session' | 'token' | 'system';
  scopes: TokenScope[];
  sessionId?: string;
  /** The API token used, when `via` is `token`. */
  tokenId?: string;
}

/** For jobs, channel webhooks and boot-time seeding: full rights, no agent. */
export const SYSTEM_ACTOR: Actor = {
  kind: 'system',
  agentId: null,
  role: 'admin',
  ticketAccess: 'all',
  groupIds: [],
  via: 'system',
  scopes: ['read', 'write'],
};

export function canWrite(actor: Actor): boolean {
  return actor.role !== 'viewer' && actor.scopes.includes('write');
}

export function assertCanWrite(actor: Actor): void {
  if (actor.role === 'viewer') throw new ForbiddenError('Viewers have read-only access.');
  if (!actor.scopes.includes('write')) throw new ForbiddenError('This API token is read-only.');
}

/**
 * For changes to one's own account (profile, password, tokens): any role may make them, but a
 * read-only API token may not.
 */
export function assertWriteScope(actor: Actor): void {
  if (!actor.scopes.includes('write')) throw new ForbiddenError('This API token is read-only.');
}

export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only administrators can do this.');
  assertCanWrite(actor);
}

export function assertCanRead(actor: Actor): void {
  if (!actor.scopes.includes('read')) throw new ForbiddenError('This API token cannot read.');
}
