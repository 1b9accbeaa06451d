import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import type { AgentRole, TicketAccess } from '../../identity/entities';
import { setFlash } from '../core/flash';
import type { PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { initials, renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { adminPage, listOf, str } from './admin';

import { CapacityService } from '../../routing/capacity.service';
type Form = Record<string, unknown>;
const ROLES: AgentRole[] = ['admin', 'agent', 'viewer'];
const ACCESS: TicketAccess[] = ['all', 'groups', 'assigned'];

/** Settings → Agents: invite, change roles and ticket access, deactivate and reactivate. */
@Controller('app/settings')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class AgentsSettingsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly capacity: CapacityService,
  ) {}

  @Get()
  root(@Req() req: PageRequest, @Res() res: Response) {
    adminPage(req);
    res.redirect(303, '/app/settings/agents');
  }

  @Get('agents')
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const [agents, invitations, groups, defaultCapacity] = await Promise.all([
      this.agents.list(page.actor, true),
      this.agents.listInvitations(page.actor),
      this.agents.listGroups(),
      this.capacity.defaultCapacity(page.actor),
    ]);
    const byAgent = await this.agents.groupsByAgent(agents.map((a) => a.id));
    const now = Date.now();
    renderPage(req, res, 'workspace/settings/agents', {
      nav: 'settings',
      tab: 'agents',
      title: t(page.locale, 'settings.agents'),
      agents: agents.map((a) => ({
        ...a,
        initials: initials(a.name),
        isMe: a.id === page.agent.id,
        groupNames: (byAgent.get(a.id) ?? []).map((g) => g.name).join(', '),
      })),
      invitations: invitations.filter((i) => !i.acceptedAt && !i.revokedAt && i.expiresAt.getTime() > now),
      groups,
      roles: ROLES,
      access: ACCESS,
      defaultCapacity,
    });
  }

  @Post('agents/invite')
  async invite(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    const role = ROLES.includes(body.role as AgentRole) ? (body.role as AgentRole) : 'agent';
    const email = str(body.email, 320).trim();
    await this.agents.invite(page.actor, { email, name: str(body.name, 120), role, groupIds: listOf(body.groupIds) });
    setFlash(res, { kind: 'ok', key: 'settings.invited', vars: { email } });
    res.redirect(303, '/app/settings/agents');
  }

  /** The chat capacity of agents without their own. */
  @Post('agents/capacity')
  async defaultCapacity(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    const n = capacityOf(body.capacity);
    if (n === null || Number.isNaN(n)) return invalidCapacity(res);
    await this.capacity.setDefaultCapacity(page.actor, n);
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/agents');
  }

  @Post('agents/:id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    if (Number.isNaN(capacityOf(body.chatCapacity))) return invalidCapacity(res);
    if (body.active === '0') await this.agents.deactivate(page.actor, id);
    else if (body.active === '1') await this.agents.reactivate(page.actor, id);
    else {
      await this.agents.update(page.actor, {
        id,
        role: ROLES.includes(body.role as AgentRole) ? (body.role as AgentRole) : undefined,
        ticketAccess: ACCESS.includes(body.ticketAccess as TicketAccess)
          ? (body.ticketAccess as TicketAccess)
          : undefined,
      });
      if (typeof body.chatCapacity === 'string') {
        await this.capacity.setAgentCapacity(page.actor, id, capacityOf(body.chatCapacity));
      }
    }
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/agents');
  }
}

/** A capacity field: empty means "use the default" (null); anything else must be a whole number. */
function capacityOf(v: unknown): number | null {
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return n >= 1 && n <= 50 ? n : NaN;
}

/** Said in the admin's words, before anything is saved. */
function invalidCapacity(res: Response): void {
  setFlash(res, { kind: 'error', key: 'capacity.invalid' });
  res.redirect(303, '/app/settings/agents');
}
