import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../tickets/entities';
import { TicketSearchService, type TicketSearchInput } from '../../tickets/ticket-search.service';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { KNOWN_CHANNELS } from '../core/taxonomy';
import { BulkOptionsService } from '../inbox/bulk-options.service';
import { sortOf } from '../inbox/inbox-views';
import { TicketRowsPresenter } from '../inbox/ticket-rows';

type QueryParams = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const one = (v: unknown, max = 200) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** Ticket search: words (Korean too), and filters on status, priority, assignee, group, channel, tag. */
@Controller('app/search')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class SearchController {
  constructor(
    private readonly search: TicketSearchService,
    private readonly rows: TicketRowsPresenter,
    private readonly agents: AgentsService,
    private readonly options: BulkOptionsService,
  ) {}

  @Get()
  async page(@Req() req: PageRequest, @Res() res: Response, @Query() q: QueryParams) {
    const page = req.page as PageContext;
    const form = {
      q: one(q.q),
      status: TICKET_STATUSES.includes(q.status as TicketStatus) ? (q.status as TicketStatus) : null,
      priority: TICKET_PRIORITIES.includes(q.priority as TicketPriority) ? (q.priority as TicketPriority) : null,
      assignee: q.assignee === 'me' || q.assignee === 'none' || UUID.test(one(q.assignee)) ? one(q.assignee) : '',
      group: UUID.test(one(q.group)) ? one(q.group) : '',
      channel: KNOWN_CHANNELS.includes(one(q.channel)) ? one(q.channel) : '',
      tag: one(q.tag, 64),
      sort: sortOf(q.sort).key,
    };
    const filter: TicketSearchInput = {
      text: form.q || undefined,
      status: form.status ? [form.status] : undefined,
      priority: form.priority ? [form.priority] : undefined,
      assigneeId:
        form.assignee === 'me' ? page.agent.id : form.assignee && form.assignee !== 'none' ? form.assignee : undefined,
      unassigned: form.assignee === 'none' || undefined,
      groupId: form.group || undefined,
      channel: form.channel || undefined,
      tags: form.tag ? [form.tag] : undefined,
    };
    const after = one(q.after, 500) || undefined;
    const [result, groups, assignees] = await Promise.all([
      this.search.list(page.actor, {
        filter,
        sort: { field: sortOf(q.sort).field, direction: 'DESC' },
        first: 25,
        after,
        withCount: !after,
      }),
      this.agents.listGroups(),
      this.options.assignees(page),
    ]);
    const params = new URLSearchParams(
      Object.entries(form).filter((e): e is [string, string] => !!e[1] && !(e[0] === 'sort' && e[1] === 'updated')),
    );
    const base = `/app/search${params.size ? `?${params.toString()}` : ''}`;
    const next = result.pageInfo.hasNextPage && result.pageInfo.endCursor ? result.pageInfo.endCursor : null;
    renderPage(req, res, 'workspace/search', {
      nav: 'search',
      title: form.q ? `${form.q} · ${t(page.locale, 'search.title')}` : t(page.locale, 'search.title'),
      form,
      total: result.totalCount,
      hasFilters: params.size > 0,
      statuses: TICKET_STATUSES.filter((s) => s !== 'merged'),
      priorities: TICKET_PRIORITIES,
      channels: KNOWN_CHANNELS,
      groups,
      assignees,
      list: {
        view: 'search',
        rows: await this.rows.rows(result.edges.map((e) => e.node)),
        href: base,
        isFirstPage: !after,
        nextHref: next ? `${base}${params.size ? '&' : '?'}after=${encodeURIComponent(next)}` : null,
      },
      bulk: await this.options.options(page),
    });
  }
}
