import { ValidationError } from '../common/errors/domain-error';
import type { Ticket, TicketPriority, TicketStatus, TicketType } from './entities';
import { assertTransition } from './status';
import { normalizeTags } from './ticket-changes';

/** The plain column changes of an update (custom fields and form are resolved by the service). */
export interface TicketPatchInput {
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  type?: TicketType | null;
  assigneeId?: string | null;
  groupId?: string | null;
  tags?: string[];
}

export function cleanSubject(raw: string): string {
  const subject = raw.trim();
  if (!subject) throw new ValidationError('The subject cannot be empty.');
  return subject.slice(0, 250);
}

/** Fails for tickets that are final: closed tickets never change, merged ones live on in their target. */
export function assertChangeable(current: Pick<Ticket, 'number' | 'status'>): void {
  if (current.status === 'closed' || current.status === 'merged') {
    throw new ValidationError(`Ticket #${current.number} is ${current.status} and can no longer be changed.`);
  }
}

/** Turns update input into a column patch, enforcing the status machine and its timestamps. */
export function patchFrom(current: Ticket, data: TicketPatchInput): Partial<Ticket> {
  const patch: Partial<Ticket> = {};
  if (data.subject !== undefined) patch.subject = cleanSubject(data.subject);
  if (data.priority !== undefined) patch.priority = data.priority;
  if (data.type !== undefined) patch.type = data.type;
  if (data.assigneeId !== undefined) patch.assigneeId = data.assigneeId;
  if (data.groupId !== undefined) patch.groupId = data.groupId;
  if (data.tags !== undefined) patch.tags = normalizeTags(data.tags);
  let status = data.status;
  // assigning a new ticket starts work on it, as agents expect
  if (status === undefined && current.status === 'new' && data.assigneeId) status = 'open';
  if (status !== undefined && status !== current.status) {
    if (status === 'merged') throw new ValidationError('Use mergeTickets to merge a ticket.');
    assertTransition(current.status, status);
    patch.status = status;
    if (status === 'solved') patch.solvedAt = new Date();
    if (status === 'closed') patch.closedAt = new Date();
    if (current.status === 'solved' && (status === 'open' || status === 'pending')) patch.solvedAt = null;
  } else {
    assertChangeable(current);
  }
  return patch;
}
