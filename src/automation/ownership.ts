import { assertAdmin, assertCanRead, assertWriteScope, type Actor } from '../common/auth/actor';
import { NotFoundError } from '../common/errors/domain-error';

/** Shared rows have no owner; personal ones belong to one agent and nobody else sees them. */
export interface Owned {
  id: string;
  ownerAgentId: string | null;
}

export function isVisible(actor: Actor, row: Owned): boolean {
  return row.ownerAgentId === null || (!!actor.agentId && row.ownerAgentId === actor.agentId);
}

/** The row when the actor may see it; otherwise the same error as for an id that does not exist. */
export function visibleOr404<T extends Owned>(actor: Actor, row: T | null, entity: string, id: string): T {
  assertCanRead(actor);
  if (!row || !isVisible(actor, row)) throw new NotFoundError(entity, id);
  return row;
}

/** Shared rows are administrators' work; personal rows their owner's (with a write-scoped credential). */
export function assertMayManage(actor: Actor, ownerAgentId: string | null): void {
  if (ownerAgentId === null) return assertAdmin(actor);
  assertWriteScope(actor);
}

/** The owner of a new row: null for shared, the acting agent for personal. */
export function ownerFor(actor: Actor, shared: boolean): string | null {
  if (shared) {
    assertAdmin(actor);
    return null;
  }
  assertWriteScope(actor);
  if (!actor.agentId) throw new NotFoundError('Agent', 'system');
  return actor.agentId;
}
