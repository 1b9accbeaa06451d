import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { canWrite } from '../../common/auth/actor';
import { safeEqual } from '../../common/auth/secrets';
import { AgentsService } from '../../identity/agents.service';
import { AuthService, SESSION_COOKIE } from '../../identity/auth.service';
import { pageLocale, readCookie } from '../page-session';
import { CsrfRejected, SessionRequired, type PageRequest } from './page-context';

export const THEME_COOKIE = 'sori_theme';

/**
 * Every workspace page: resolves the session into a PageContext (or sends the agent to sign in)
 * and checks the session's CSRF token on every state-changing request — from a form field
 * `_csrf` or, for the client script, the `X-CSRF-Token` header.
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PageRequest>();
    const res = context.switchToHttp().getResponse<import('express').Response>();
    const cookie = readCookie(req, SESSION_COOKIE);
    const current = cookie ? await this.auth.actorFromSession(cookie) : null;
    if (!current) throw new SessionRequired(!!cookie);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = typeof body?._csrf === 'string' ? body._csrf : req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, current.session.csrfToken)) throw new CsrfRejected();
    }
    const agent = await this.agents.me(current.actor);
    const theme = readCookie(req, THEME_COOKIE);
    req.page = {
      actor: current.actor,
      session: current.session,
      agent,
      locale: pageLocale(req, res, agent.locale),
      timezone: agent.timezone || 'UTC',
      csrf: current.session.csrfToken,
      theme: theme === 'light' || theme === 'dark' ? theme : 'system',
      canWrite: canWrite(current.actor),
      isAdmin: current.actor.role === 'admin',
    };
    return true;
  }
}
