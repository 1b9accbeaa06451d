import type { Actor } from '../common/auth/actor';
import type { Ticket } from './entities';

/**
 * Which tickets an actor may see. Admins and `all`-access agents see everything; `groups`
 * agents see their groups' tickets and their own; `assigned` agents only their own.
 */
export function canSeeTicket(actor: Actor, ticket: Pick<Ticket, 'assigneeId' | 'groupId'>): boolean {
  if (actor.role === 'admin' || actor.ticketAccess === 'all') return true;
  if (ticket.assigneeId && ticket.assigneeId === actor.agentId) return true;
  if (actor.ticketAccess === 'groups') return !!ticket.groupId && actor.groupIds.includes(ticket.groupId);
  return false;
}

/** The same rule as SQL, for lists and search: a WHERE fragment on alias `t` with its parameters. */
export function ticketAccessSql(actor: Actor, alias = 't'): { sql: string; params: Record<string, unknown> } {
  if (actor.role === 'admin' || actor.ticketAccess === 'all') return { sql: 'TRUE', params: {} };
  if (actor.ticketAccess === 'groups') {
    return {
      sql: `(${alias}.assignee_id = :accessAgentId OR ${alias}.group_id = ANY(:accessGroupIds))`,
      params: { accessAgentId: actor.agentId, accessGroupIds: actor.groupIds },
    };
  }
  return { sql: `${alias}.assignee_id = :accessAgentId`, params: { accessAgentId: actor.agentId } };
}
