import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CannedResponsesService } from '../../automation/canned-responses.service';
import { TEMPLATE_VARIABLES } from '../../automation/template';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import { adminPage } from '../admin/admin';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { one, UUID } from './form-values';

type Form = Record<string, unknown>;

/** Settings → Canned responses (shared with everyone or a group) and "Your canned responses". */
@Controller('app')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class CannedPageController {
  constructor(
    private readonly canned: CannedResponsesService,
    private readonly agents: AgentsService,
  ) {}

  private scope(req: PageRequest): { page: PageContext; shared: boolean; base: string } {
    const shared = req.path.startsWith('/app/settings/');
    const page = shared ? adminPage(req) : (req.page as PageContext);
    return { page, shared, base: shared ? '/app/settings/canned' : '/app/canned' };
  }

  @Get(['settings/canned', 'canned'])
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const { page, shared, base } = this.scope(req);
    const [all, groups] = await Promise.all([this.canned.list(page.actor, null, shared), this.agents.listGroups()]);
    const rows = all.filter((c) => (c.ownerAgentId === null) === shared);
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    renderPage(req, res, 'workspace/automation/canned', {
      nav: shared ? 'settings' : 'profile',
      tab: 'canned',
      title: t(page.locale, shared ? 'canned.title' : 'canned.yourTitle'),
      shared,
      base,
      rows: rows.map((c) => ({
        ...c,
        groupName: c.groupId ? groupName.get(c.groupId) : null,
        groups: groups.map((g) => ({ id: g.id, name: g.name, selected: g.id === c.groupId })),
      })),
      groups,
      variables: TEMPLATE_VARIABLES.map((v) => `{{${v}}}`),
      sharedForMe: shared ? [] : all.filter((c) => c.ownerAgentId === null),
    });
  }

  @Post(['settings/canned', 'canned'])
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const { page, shared, base } = this.scope(req);
    const group = one(body, 'groupId', 36);
    const row = await this.canned.create(page.actor, {
      shortcut: one(body, 'shortcut', 41),
      title: one(body, 'title', 200),
      body: typeof body.body === 'string' ? body.body.slice(0, 20_001) : '',
      shared,
      groupId: shared && UUID.test(group) ? group : null,
    });
    setFlash(res, { kind: 'ok', key: 'canned.created', vars: { shortcut: row.shortcut } });
    res.redirect(303, `${base}#canned-${row.id}`);
  }

  @Post(['settings/canned/:id', 'canned/:id'])
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const { page, shared, base } = this.scope(req);
    if (one(body, 'delete') === '1') {
      await this.canned.delete(page.actor, id);
      setFlash(res, { kind: 'ok', key: 'canned.deleted' });
      return res.redirect(303, base);
    }
    const group = one(body, 'groupId', 36);
    await this.canned.update(page.actor, id, {
      shortcut: one(body, 'shortcut', 41),
      title: one(body, 'title', 200),
      body: typeof body.body === 'string' ? body.body.slice(0, 20_001) : '',
      ...(shared && { groupId: UUID.test(group) ? group : null }),
    });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, `${base}#canned-${id}`);
  }
}
