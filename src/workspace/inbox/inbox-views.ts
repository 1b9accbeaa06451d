import type { Actor } from '../../common/auth/actor';
import type { TicketStatus } from '../../tickets/entities';
import type { TicketSortField } from '../../tickets/ticket-search.repository';
import type { TicketSearchInput } from '../../tickets/ticket-search.service';

/** The built-in views of the inbox, in the order of the view list. */
export const VIEW_IDS = ['mine', 'unassigned', 'groups', 'open', 'pending', 'on_hold', 'solved'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

const UNSOLVED: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

export const VIEW_ICON: Record<ViewId, string> = {
  mine: 'inbox',
  unassigned: 'circle-user',
  groups: 'users-round',
  open: 'circle-dot',
  pending: 'clock',
  on_hold: 'circle-pause',
  solved: 'circle-check',
};

export function isViewId(v: unknown): v is ViewId {
  return typeof v === 'string' && (VIEW_IDS as readonly string[]).includes(v);
}

/** A view as a ticket filter for the acting agent. */
export function viewFilter(view: ViewId, actor: Actor): TicketSearchInput {
  switch (view) {
    case 'mine':
      return { assigneeId: actor.agentId ?? undefined, status: UNSOLVED };
    case 'unassigned':
      return { unassigned: true, status: UNSOLVED };
    case 'groups':
      return { groupIds: actor.groupIds, status: UNSOLVED };
    case 'open':
      return { status: ['new', 'open'] };
    case 'pending':
      return { status: ['pending'] };
    case 'on_hold':
      return { status: ['on_hold'] };
    case 'solved':
      return { status: ['solved'] };
  }
}

export const SORTS: Record<string, TicketSortField> = {
  updated: 'UPDATED_AT',
  priority: 'PRIORITY',
  created: 'CREATED_AT',
  number: 'NUMBER',
};

export function sortOf(raw: unknown): { key: string; field: TicketSortField } {
  const key = typeof raw === 'string' && raw in SORTS ? raw : 'updated';
  return { key, field: SORTS[key] };
}

/** Counts stop here; the view list shows "999+". */
export const COUNT_CAP = 1000;

export function countLabel(n: number): string {
  return n >= COUNT_CAP ? `${COUNT_CAP - 1}+` : String(n);
}
