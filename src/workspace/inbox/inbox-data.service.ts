import { Injectable } from '@nestjs/common';
import { SavedViewsService } from '../../automation/saved-views.service';
import type { SavedView } from '../../automation/entities';
import type { TicketSearchInput } from '../../tickets/ticket-search.service';
import { TicketSearchService } from '../../tickets/ticket-search.service';
import type { PageContext } from '../core/page-context';
import { COUNT_CAP, countLabel, sortOf, VIEW_ICON, VIEW_IDS, viewFilter, isViewId } from './inbox-views';
import { TicketRowsPresenter, type TicketRow } from './ticket-rows';

export const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A built-in view id, or the id of a saved view. */
export type InboxView = string;

export function isInboxView(v: unknown): v is InboxView {
  return isViewId(v) || (typeof v === 'string' && UUID.test(v));
}

export interface ViewLink {
  id: InboxView;
  icon: string;
  count: string;
  active: boolean;
  href: string;
  /** Saved views carry their own name; built-in ones are translated by id. */
  name?: string;
  shared?: boolean;
}

export interface TicketList {
  view: InboxView;
  /** The saved view's name (built-in views are translated by id). */
  title: string | null;
  sort: string;
  rows: TicketRow[];
  nextHref: string | null;
  isFirstPage: boolean;
  /** Where the list's own link points (first page, same sort). */
  href: string;
}

/** What the inbox panes show: the views with their counts and one page of a view's tickets. */
@Injectable()
export class InboxDataService {
  constructor(
    private readonly search: TicketSearchService,
    private readonly rows: TicketRowsPresenter,
    private readonly saved: SavedViewsService,
  ) {}

  /** Counts of the built-in and the saved views, each capped, in one round of queries. */
  async counts(page: PageContext, saved?: SavedView[]): Promise<Record<string, number>> {
    const views = saved ?? (await this.saved.list(page.actor));
    const filters = [
      ...VIEW_IDS.map((v) => viewFilter(v, page.actor)),
      ...views.map((v) => this.saved.filterOf(page.actor, v)),
    ];
    const counts = await this.search.countMany(page.actor, filters, COUNT_CAP);
    const ids = [...VIEW_IDS, ...views.map((v) => v.id)];
    return Object.fromEntries(ids.map((v, i) => [v, counts[i]]));
  }

  async views(page: PageContext, active: InboxView | null): Promise<{ builtIn: ViewLink[]; saved: ViewLink[] }> {
    const saved = await this.saved.list(page.actor);
    const counts = await this.counts(page, saved);
    return {
      builtIn: VIEW_IDS.map((id) => ({
        id,
        icon: VIEW_ICON[id],
        count: countLabel(counts[id]),
        active: id === active,
        href: `/app/inbox/${id}`,
      })),
      saved: saved.map((v) => ({
        id: v.id,
        icon: v.ownerAgentId ? 'bookmark' : 'layers',
        count: countLabel(counts[v.id]),
        active: v.id === active,
        href: `/app/inbox/${v.id}`,
        name: v.name,
        shared: !v.ownerAgentId,
      })),
    };
  }

  /** The view's filter, default sort and title; saved views the agent cannot see are not found. */
  async resolve(
    page: PageContext,
    view: InboxView,
  ): Promise<{ filter: TicketSearchInput; sort: string; title: string | null }> {
    if (isViewId(view)) return { filter: viewFilter(view, page.actor), sort: 'updated', title: null };
    const saved = await this.saved.get(page.actor, view);
    return { filter: this.saved.filterOf(page.actor, saved), sort: saved.sort, title: saved.name };
  }

  async list(page: PageContext, view: InboxView, q: { after?: unknown; sort?: unknown }): Promise<TicketList> {
    const resolved = await this.resolve(page, view);
    const sort = sortOf(q.sort ?? resolved.sort);
    const after = typeof q.after === 'string' && q.after.length <= 500 ? q.after : undefined;
    const result = await this.search.list(page.actor, {
      filter: resolved.filter,
      sort: { field: sort.field, direction: 'DESC' },
      first: PAGE_SIZE,
      after,
    });
    const rows = await this.rows.rows(result.edges.map((e) => e.node));
    const base = `/app/inbox/${view}${sort.key === resolved.sort ? '' : `?sort=${sort.key}`}`;
    const join = base.includes('?') ? '&' : '?';
    return {
      view,
      title: resolved.title,
      sort: sort.key,
      rows,
      isFirstPage: !after,
      href: base,
      nextHref:
        result.pageInfo.hasNextPage && result.pageInfo.endCursor
          ? `${base}${join}after=${encodeURIComponent(result.pageInfo.endCursor)}`
          : null,
    };
  }
}
