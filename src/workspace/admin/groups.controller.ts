import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import { TicketTagsService } from '../../tickets/ticket-tags.service';
import { setFlash } from '../core/flash';
import type { PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { initials, renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { adminPage, str } from './admin';

type Form = Record<string, unknown>;

/** Settings → Groups (teams and their members) and Tags (the catalogue, with usage counts). */
@Controller('app/settings')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class GroupsSettingsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly tags: TicketTagsService,
  ) {}

  @Get('groups')
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const [groups, agents] = await Promise.all([this.agents.listGroups(), this.agents.list(page.actor)]);
    const byAgent = await this.agents.groupsByAgent(agents.map((a) => a.id));
    const members = new Map<string, Array<{ id: string; name: string; initials: string }>>();
    for (const a of agents) {
      for (const g of byAgent.get(a.id) ?? []) {
        const list = members.get(g.id) ?? [];
        list.push({ id: a.id, name: a.name, initials: initials(a.name) });
        members.set(g.id, list);
      }
    }
    renderPage(req, res, 'workspace/settings/groups', {
      nav: 'settings',
      tab: 'groups',
      title: t(page.locale, 'settings.groups'),
      groups: groups.map((g) => {
        const inGroup = members.get(g.id) ?? [];
        return {
          ...g,
          members: inGroup,
          others: agents.filter((a) => a.isActive && !inGroup.some((m) => m.id === a.id)),
        };
      }),
    });
  }

  @Post('groups')
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    await this.agents.createGroup(page.actor, { name: str(body.name, 120), description: str(body.description, 500) });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/groups');
  }

  @Post('groups/:id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    const agentId = str(body.agentId, 36);
    if (body.delete === '1') await this.agents.deleteGroup(page.actor, id);
    else if (agentId) await this.agents.setMembership(page.actor, id, agentId, body.member !== '0');
    else {
      await this.agents.updateGroup(page.actor, {
        id,
        name: str(body.name, 120),
        description: str(body.description, 500),
      });
    }
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/groups');
  }

  @Get('tags')
  async tagList(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    renderPage(req, res, 'workspace/settings/tags', {
      nav: 'settings',
      tab: 'tags',
      title: t(page.locale, 'settings.tags'),
      tags: await this.tags.list(page.actor, undefined, 200),
    });
  }
}
