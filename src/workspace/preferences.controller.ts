import { Body, Controller, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ValidationError } from '../common/errors/domain-error';
import { AgentsService } from '../identity/agents.service';
import type { AgentStatus } from '../identity/entities';
import type { PageContext, PageRequest } from './core/page-context';
import { backTo, PageErrorFilter } from './core/page-errors.filter';
import { SignedInGuard, THEME_COOKIE } from './core/signed-in.guard';

const STATUSES: AgentStatus[] = ['online', 'away', 'transfer_only', 'offline'];

/** Small per-agent switches from the rail: theme (a cookie) and availability status. */
@Controller('app/preferences')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class PreferencesController {
  constructor(private readonly agents: AgentsService) {}

  @Post('theme')
  theme(@Req() req: PageRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const theme = body.theme === 'light' || body.theme === 'dark' ? body.theme : 'system';
    if (theme === 'system') res.clearCookie(THEME_COOKIE, { path: '/' });
    else res.cookie(THEME_COOKIE, theme, { sameSite: 'lax', path: '/', maxAge: 365 * 86400_000 });
    if (req.headers['x-sori-partial'] === '1') return res.status(204).end();
    res.redirect(303, backTo(req));
  }

  @Post('status')
  async status(@Req() req: PageRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const page = req.page as PageContext;
    const status = body.status as AgentStatus;
    if (!STATUSES.includes(status)) throw new ValidationError('Unknown status.');
    await this.agents.setStatus(page.actor, status);
    res.redirect(303, backTo(req));
  }
}
