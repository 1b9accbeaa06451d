import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../common/errors/domain-error';
import { t, type UiLocale } from '../common/i18n/i18n';
import { logger } from '../common/logging/logger';
import { AgentsService } from '../identity/agents.service';
import { AuthService, SESSION_COOKIE, type NewSession } from '../identity/auth.service';
import { PASSWORD_RULE } from '../identity/dto/agent.dto';
import { checkPreAuthCsrf, pageLocale, preAuthCsrf, readCookie, safeNext } from './page-session';

type Form = Record<string, unknown>;
const str = (v: unknown, max = 500): string => (typeof v === 'string' ? v.slice(0, max) : '');

/** Sign in, sign out, forgotten password, reset and invitation pages. Thin: every rule is in the services. */
@Controller('app')
export class AuthPagesController {
  private readonly secure: boolean;

  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secure = config.baseUrl.startsWith('https://');
  }

  private render(req: Request, res: Response, view: string, vars: Record<string, unknown>, status = 200) {
    const locale = pageLocale(req, res);
    const title = typeof vars.titleKey === 'string' ? t(locale, vars.titleKey) : 'Sori';
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).render(`workspace/${view}`, {
      layout: 'layouts/auth',
      locale,
      title,
      csrf: preAuthCsrf(req, res, this.secure),
      ...vars,
    });
  }

  private errorText(locale: UiLocale, err: unknown): { text: string; status: number } {
    if (err instanceof DomainError) {
      const status = { INVALID_CREDENTIALS: 401, ACCOUNT_LOCKED: 423, RATE_LIMITED: 429, ACCOUNT_DEACTIVATED: 403 }[
        err.code as string
      ];
      return { text: t(locale, `error.${err.code}`), status: status ?? 400 };
    }
    logger('auth-pages').error({ err: String(err) }, 'page action failed');
    return { text: t(locale, 'error.INTERNAL'), status: 500 };
  }

  private startSession(res: Response, s: NewSession, next: string) {
    res.cookie(SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      maxAge: s.maxAgeMs,
      path: '/',
    });
    res.redirect(303, next);
  }

  private csrfFailed(req: Request, res: Response, view: string, vars: Record<string, unknown>) {
    const locale = pageLocale(req, res);
    this.render(req, res, view, { ...vars, error: t(locale, 'error.CSRF_FAILED') }, 403);
  }

  @Get('login')
  async loginPage(@Req() req: Request, @Res() res: Response, @Query() q: Form) {
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie && (await this.auth.actorFromSession(cookie))) return res.redirect(303, safeNext(q.next));
    const locale = pageLocale(req, res);
    const notice = q.signedOut ? t(locale, 'auth.signedOut') : q.reset ? t(locale, 'auth.passwordSaved') : undefined;
    const error = q.expired ? t(locale, 'auth.sessionExpired') : undefined;
    this.render(req, res, 'login', { titleKey: 'auth.signIn', next: str(q.next, 300), notice, error });
  }

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Form) {
    const vars = { titleKey: 'auth.signIn', email: str(body.email, 320), next: str(body.next, 300) };
    if (!checkPreAuthCsrf(req)) return this.csrfFailed(req, res, 'login', vars);
    try {
      const s = await this.auth.login(vars.email, str(body.password, PASSWORD_RULE.max), {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      this.startSession(res, s, safeNext(body.next));
    } catch (err) {
      const { text, status } = this.errorText(pageLocale(req, res), err);
      this.render(req, res, 'login', { ...vars, error: text }, status);
    }
  }

  /** Sign out needs the session's own CSRF token, so another site cannot sign an agent out. */
  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response, @Body() body: Form) {
    const cookie = readCookie(req, SESSION_COOKIE);
    const current = cookie ? await this.auth.actorFromSession(cookie) : null;
    if (current && str(body._csrf) === current.session.csrfToken) await this.auth.logout(current.session.id);
    else if (current) return res.status(403).send(t(pageLocale(req, res), 'error.CSRF_FAILED'));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/app/login?signedOut=1');
  }

  @Get('forgot-password')
  forgotPage(@Req() req: Request, @Res() res: Response) {
    this.render(req, res, 'forgot-password', { titleKey: 'auth.forgotTitle' });
  }

  @Post('forgot-password')
  @HttpCode(200)
  async forgot(@Req() req: Request, @Res() res: Response, @Body() body: Form) {
    const email = str(body.email, 320).trim();
    const vars = { titleKey: 'auth.forgotTitle', email };
    if (!checkPreAuthCsrf(req)) return this.csrfFailed(req, res, 'forgot-password', vars);
    const locale = pageLocale(req, res);
    try {
      if (email.includes('@')) await this.auth.requestPasswordReset(email, { ip: req.ip });
      this.render(req, res, 'forgot-password', { ...vars, notice: t(locale, 'auth.linkSent', { email }) });
    } catch (err) {
      const { text, status } = this.errorText(locale, err);
      this.render(req, res, 'forgot-password', { ...vars, error: text }, status);
    }
  }

  @Get('reset-password/:token')
  resetPage(@Req() req: Request, @Res() res: Response, @Param('token') token: string) {
    this.render(req, res, 'reset-password', { titleKey: 'auth.resetTitle', token: str(token, 200) });
  }

  @Post('reset-password/:token')
  @HttpCode(200)
  async reset(@Req() req: Request, @Res() res: Response, @Param('token') token: string, @Body() body: Form) {
    const vars = { titleKey: 'auth.resetTitle', token: str(token, 200) };
    if (!checkPreAuthCsrf(req)) return this.csrfFailed(req, res, 'reset-password', vars);
    const locale = pageLocale(req, res);
    const password = str(body.password, PASSWORD_RULE.max);
    if (password.length < PASSWORD_RULE.min) {
      return this.render(req, res, 'reset-password', { ...vars, error: t(locale, 'error.PASSWORD_TOO_SHORT') }, 400);
    }
    try {
      await this.auth.resetPassword(vars.token, password);
      res.redirect(303, '/app/login?reset=1');
    } catch (err) {
      const { text, status } = this.errorText(locale, err);
      this.render(req, res, 'reset-password', { ...vars, error: text }, status);
    }
  }

  @Get('invite/:token')
  invitePage(@Req() req: Request, @Res() res: Response, @Param('token') token: string) {
    this.render(req, res, 'accept-invite', { titleKey: 'auth.inviteTitle', token: str(token, 200) });
  }

  @Post('invite/:token')
  @HttpCode(200)
  async acceptInvite(@Req() req: Request, @Res() res: Response, @Param('token') token: string, @Body() body: Form) {
    const vars = { titleKey: 'auth.inviteTitle', token: str(token, 200), name: str(body.name, 120).trim() };
    if (!checkPreAuthCsrf(req)) return this.csrfFailed(req, res, 'accept-invite', vars);
    const locale = pageLocale(req, res);
    const password = str(body.password, PASSWORD_RULE.max);
    if (!vars.name || password.length < PASSWORD_RULE.min) {
      const key = vars.name ? 'error.PASSWORD_TOO_SHORT' : 'error.VALIDATION_FAILED';
      return this.render(req, res, 'accept-invite', { ...vars, error: t(locale, key) }, 400);
    }
    try {
      const s = await this.agents.acceptInvitation({ token: vars.token, name: vars.name, password }, { ip: req.ip });
      this.startSession(res, s, '/app');
    } catch (err) {
      const { text, status } = this.errorText(locale, err);
      this.render(req, res, 'accept-invite', { ...vars, error: text }, status);
    }
  }
}
