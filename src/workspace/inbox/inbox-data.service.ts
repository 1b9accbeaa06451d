import { Injectable } from '@nestjs/common';
import { TicketSearchService } from '../../tickets/ticket-search.service';
import type { PageContext } from '../core/page-context';
import { COUNT_CAP, countLabel, sortOf, VIEW_ICON, VIEW_IDS, viewFilter, type ViewId } from './inbox-views';
import { TicketRowsPresenter, type TicketRow } from './ticket-rows';

export const PAGE_SIZE = 25;

export interface ViewLink {
  id: ViewId;
  icon: string;
  count: string;
  active: boolean;
  href: string;
}

export interface TicketList {
  view: ViewId;
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
  ) {}

  async counts(page: PageContext): Promise<Record<ViewId, number>> {
    const filters = VIEW_IDS.map((v) => viewFilter(v, page.actor));
    const counts = await this.search.countMany(page.actor, filters, COUNT_CAP);
    return Object.fromEntries(VIEW_IDS.map((v, i) => [v, counts[i]])) as Record<ViewId, number>;
  }

  async views(page: PageContext, active: ViewId | null): Promise<ViewLink[]> {
    const counts = await this.counts(page);
    return VIEW_IDS.map((id) => ({
      id,
      icon: VIEW_ICON[id],
      count: countLabel(counts[id]),
      active: id === active,
      href: `/app/inbox/${id}`,
    }));
  }

  async list(page: PageContext, view: ViewId, q: { after?: unknown; sort?: unknown }): Promise<TicketList> {
    const sort = sortOf(q.sort);
    const after = typeof q.after === 'string' && q.after.length <= 500 ? q.after : undefined;
    const result = await this.search.list(page.actor, {
      filter: viewFilter(view, page.actor),
      sort: { field: sort.field, direction: 'DESC' },
      first: PAGE_SIZE,
      after,
    });
    const rows = await this.rows.rows(result.edges.map((e) => e.node));
    const base = `/app/inbox/${view}${sort.key === 'updated' ? '' : `?sort=${sort.key}`}`;
    const join = base.includes('?') ? '&' : '?';
    return {
      view,
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
