import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import type { TicketStatus } from './entities';

/**
 * Allowed status changes. `closed` and `merged` are final: a closed ticket never reopens (a
 * reply opens a follow-up instead), and `merged` is only reached through a merge.
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'pending', 'closed'],
  closed: [],
  merged: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from];
  throw new DomainError(
    ErrorCode.INVALID_STATUS_TRANSITION,
    allowed.length
      ? `A ${from} ticket cannot become ${to}; it can become ${allowed.join(', ')}.`
      : `A ${from} ticket cannot change status.`,
    { from, to, allowed },
  );
}
