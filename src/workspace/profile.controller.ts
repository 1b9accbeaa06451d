import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../common/i18n/i18n';
import { AgentsService } from '../identity/agents.service';
import { AuthService } from '../identity/auth.service';
import { PASSWORD_RULE } from '../identity/dto/agent.dto';
import { timeZones } from './core/format';
import { setFlash } from './core/flash';
import type { PageContext, PageRequest } from './core/page-context';
import { PageErrorFilter } from './core/page-errors.filter';
import { renderPage } from './core/render';
import { SignedInGuard } from './core/signed-in.guard';
import { LANG_COOKIE } from './page-session';

type Form = Record<string, unknown>;
const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

/** The agent's own profile: name, language, time zone, signature, password. */
@Controller('app/profile')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class ProfileController {
  constructor(
    private readonly agents: AgentsService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  async page(@Req() req: PageRequest, @Res() res: Response) {
    const page = req.page as PageContext;
    const groups = (await this.agents.groupsByAgent([page.agent.id])).get(page.agent.id) ?? [];
    renderPage(req, res, 'workspace/profile', {
      nav: 'profile',
      title: t(page.locale, 'profile.title'),
      agent: page.agent,
      groups,
      zones: timeZones(),
    });
  }

  @Post()
  async save(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = req.page as PageContext;
    const locale = body.locale === 'ko' ? 'ko' : 'en';
    await this.agents.updateProfile(page.actor, {
      name: str(body.name, 120).trim() || undefined,
      locale,
      timezone: str(body.timezone, 64) || undefined,
      signature: str(body.signature, 2000),
    });
    // the chosen language wins over a language picked earlier on this browser
    res.cookie(LANG_COOKIE, locale, { sameSite: 'lax', maxAge: 365 * 86400_000, path: '/' });
    setFlash(res, { kind: 'ok', key: 'profile.saved' });
    res.redirect(303, '/app/profile');
  }

  @Post('password')
  async password(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = req.page as PageContext;
    const next = str(body.newPassword, PASSWORD_RULE.max);
    if (next.length < PASSWORD_RULE.min) {
      setFlash(res, { kind: 'error', key: 'error.PASSWORD_TOO_SHORT' });
      return res.redirect(303, '/app/profile');
    }
    await this.auth.changePassword(page.actor, str(body.currentPassword, PASSWORD_RULE.max), next);
    setFlash(res, { kind: 'ok', key: 'profile.passwordChanged' });
    res.redirect(303, '/app/profile');
  }
}
