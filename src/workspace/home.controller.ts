import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { t } from '../common/i18n/i18n';
import { AgentsService } from '../identity/agents.service';
import { AuthService, SESSION_COOKIE } from '../identity/auth.service';
import { pageLocale, readCookie } from './page-session';

/** The signed-in landing page. Without a live session it sends the agent to sign in. */
@Controller('app')
export class HomeController {
  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response) {
    const cookie = readCookie(req, SESSION_COOKIE);
    const current = cookie ? await this.auth.actorFromSession(cookie) : null;
    if (!current) return res.redirect(303, `/app/login?next=%2Fapp${cookie ? '&expired=1' : ''}`);
    const agent = await this.agents.me(current.actor);
    const locale = pageLocale(req, res, agent.locale);
    res.setHeader('Cache-Control', 'no-store');
    res.render('workspace/home', {
      layout: 'layouts/auth',
      locale,
      title: t(locale, 'home.title'),
      agent,
      csrf: current.session.csrfToken,
    });
  }
}
