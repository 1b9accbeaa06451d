import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { MacrosService } from '../../automation/macros.service';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import { TicketFieldsService } from '../../tickets/ticket-fields.service';
import { adminPage } from '../admin/admin';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { BulkOptionsService } from '../inbox/bulk-options.service';
import { one } from './form-values';
import { actionsFromForm, macroEditor, macroSummary } from './macro-form';

type Form = Record<string, unknown>;

/**
 * Settings → Macros (shared, administrators) and "Your macros" (personal): list, create, edit,
 * delete, order and switch on/off, with a form editor that needs no script.
 */
@Controller('app')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class MacrosPageController {
  constructor(
    private readonly macros: MacrosService,
    private readonly fields: TicketFieldsService,
    private readonly agents: AgentsService,
    private readonly options: BulkOptionsService,
  ) {}

  /** Shared macros live under settings (admins); personal ones under the agent's own tools. */
  private scope(req: PageRequest): { page: PageContext; shared: boolean; base: string } {
    const shared = req.path.startsWith('/app/settings/');
    const page = shared ? adminPage(req) : (req.page as PageContext);
    return { page, shared, base: shared ? '/app/settings/macros' : '/app/macros' };
  }

  @Get(['settings/macros', 'macros'])
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const { page, shared, base } = this.scope(req);
    const [all, fields, groups, agents] = await Promise.all([
      this.macros.list(page.actor, true),
      this.fields.list(page.actor),
      this.agents.listGroups(),
      this.options.assignees(page),
    ]);
    const ctx = { locale: page.locale, fields, groups, agents };
    const mine = all.filter((m) => (m.ownerAgentId === null) === shared);
    renderPage(req, res, 'workspace/automation/macros', {
      nav: shared ? 'settings' : 'profile',
      tab: 'macros',
      title: t(page.locale, shared ? 'macros.title' : 'macros.yourTitle'),
      shared,
      base,
      macros: mine.map((m, i) => ({
        ...m,
        first: i === 0,
        last: i === mine.length - 1,
        summary: macroSummary(m.actions, ctx),
        editor: macroEditor(m.actions, ctx),
      })),
      blank: macroEditor([], ctx),
    });
  }

  @Post(['settings/macros', 'macros'])
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const { page, shared, base } = this.scope(req);
    const fields = await this.fields.list(page.actor);
    const macro = await this.macros.create(page.actor, {
      name: one(body, 'name', 200),
      description: one(body, 'description', 600),
      actions: actionsFromForm(body, fields),
      isActive: one(body, 'active') !== 'false',
      personal: !shared,
    });
    setFlash(res, { kind: 'ok', key: 'macros.created', vars: { name: macro.name } });
    res.redirect(303, `${base}#macro-${macro.id}`);
  }

  @Post(['settings/macros/:id', 'macros/:id'])
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const { page, base } = this.scope(req);
    if (one(body, 'delete') === '1') {
      await this.macros.delete(page.actor, id);
      setFlash(res, { kind: 'ok', key: 'macros.deleted' });
      return res.redirect(303, base);
    }
    const move = one(body, 'move');
    if (move === 'up' || move === 'down') {
      await this.macros.move(page.actor, id, move === 'up' ? -1 : 1);
      return res.redirect(303, `${base}#macro-${id}`);
    }
    const fields = await this.fields.list(page.actor);
    await this.macros.update(page.actor, id, {
      name: one(body, 'name', 200),
      description: one(body, 'description', 600),
      actions: actionsFromForm(body, fields),
      isActive: one(body, 'active') !== 'false',
    });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, `${base}#macro-${id}`);
  }
}
