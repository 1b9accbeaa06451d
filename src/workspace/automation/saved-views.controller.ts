import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { SavedViewFilters, SavedViewSort } from '../../automation/entities';
import { SAVED_VIEW_SORTS, SavedViewsService } from '../../automation/saved-views.service';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../tickets/entities';
import { TicketFieldsService } from '../../tickets/ticket-fields.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { KNOWN_CHANNELS } from '../core/taxonomy';
import { BulkOptionsService } from '../inbox/bulk-options.service';
import { fieldChoices, fieldValuesOf, many, one, UUID, wordsOf } from './form-values';

type Form = Record<string, unknown>;

/** Saved inbox views: create ("Save as view" on search, or here), edit, delete; admins share them. */
@Controller('app/views')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class SavedViewsPageController {
  constructor(
    private readonly views: SavedViewsService,
    private readonly fields: TicketFieldsService,
    private readonly agents: AgentsService,
    private readonly options: BulkOptionsService,
  ) {}

  @Get()
  async page(@Req() req: PageRequest, @Res() res: Response) {
    const page = req.page as PageContext;
    const [views, fields, groups, assignees] = await Promise.all([
      this.views.list(page.actor),
      this.fields.list(page.actor),
      this.agents.listGroups(),
      this.options.assignees(page),
    ]);
    const yesNo = { yes: t(page.locale, 'common.yes'), no: t(page.locale, 'common.no') };
    const editor = (f: SavedViewFilters, sort: SavedViewSort) => ({
      statuses: TICKET_STATUSES.filter((s) => s !== 'merged').map((s) => ({
        value: s,
        checked: !!f.status?.includes(s),
      })),
      priorities: TICKET_PRIORITIES.map((p) => ({ value: p, checked: !!f.priority?.includes(p) })),
      channels: KNOWN_CHANNELS.map((c) => ({ value: c, selected: c === f.channel })),
      groups: groups.map((g) => ({ id: g.id, name: g.name, selected: g.id === f.groupId })),
      assignee: f.assignee ?? '',
      assignees: assignees.filter((a) => !a.isMe).map((a) => ({ ...a, selected: a.id === f.assignee })),
      tags: (f.tags ?? []).join(', '),
      customFields: fieldChoices(fields, f.customFields ?? {}, page.locale, yesNo),
      sorts: SAVED_VIEW_SORTS.map((s) => ({ value: s, selected: s === sort })),
    });
    renderPage(req, res, 'workspace/automation/views', {
      nav: 'inbox',
      title: t(page.locale, 'views.title'),
      views: views.map((v) => ({
        ...v,
        personal: !!v.ownerAgentId,
        editable: v.ownerAgentId ? true : page.isAdmin,
        editor: editor(v.filters, v.sort),
      })),
      blank: editor({}, 'updated'),
    });
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = req.page as PageContext;
    const view = await this.views.create(page.actor, {
      ...(await this.parse(page, body)),
      shared: page.isAdmin && one(body, 'shared') === 'true',
    });
    setFlash(res, { kind: 'ok', key: 'views.created', vars: { name: view.name } });
    res.redirect(303, `/app/inbox/${view.id}`);
  }

  @Post(':id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = req.page as PageContext;
    if (one(body, 'delete') === '1') {
      await this.views.delete(page.actor, id);
      setFlash(res, { kind: 'ok', key: 'views.deleted' });
      return res.redirect(303, '/app/views');
    }
    await this.views.update(page.actor, id, await this.parse(page, body));
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, `/app/views#view-${id}`);
  }

  /** The editor's fields, or the search page's (single status/priority, `tag`, `group`). */
  private async parse(page: PageContext, body: Form) {
    const assignee = one(body, 'assignee', 36);
    const group = one(body, 'groupId', 36) || one(body, 'group', 36);
    const sort = one(body, 'sort', 20) as SavedViewSort;
    const filters: SavedViewFilters = {
      status: many(body, 'status').filter((s): s is TicketStatus => TICKET_STATUSES.includes(s as TicketStatus)),
      priority: many(body, 'priority').filter((p): p is TicketPriority =>
        TICKET_PRIORITIES.includes(p as TicketPriority),
      ),
      channel: one(body, 'channel', 40) || undefined,
      groupId: UUID.test(group) ? group : undefined,
      assignee: assignee === 'me' || assignee === 'none' || UUID.test(assignee) ? assignee : undefined,
      tags: wordsOf(one(body, 'tags', 1000) || one(body, 'tag', 64)),
      customFields: fieldValuesOf(body, await this.fields.list(page.actor)) as SavedViewFilters['customFields'],
    };
    return {
      name: one(body, 'name', 200),
      filters,
      sort: SAVED_VIEW_SORTS.includes(sort) ? sort : undefined,
    };
  }
}
