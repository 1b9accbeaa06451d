import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { httpStatusOf } from '../../common/errors/error-codes';
import { isMessageKey, t } from '../../common/i18n/i18n';
import { logger } from '../../common/logging/logger';
import { pageLocale, safeNext } from '../page-session';
import { setFlash } from './flash';
import { AdminRequired, CsrfRejected, SessionRequired, type PageRequest } from './page-context';
import { isPartial } from './render';

const log = logger('workspace');

/** The error's message key: `error.<CODE>` when translated, else a generic one. */
export function errorKey(err: unknown): string {
  if (err instanceof DomainError && isMessageKey(`error.${err.code}`)) return `error.${err.code}`;
  if (err instanceof DomainError) return 'error.VALIDATION_FAILED';
  return 'error.INTERNAL';
}

/** Where to go back to after a failed form: the form's own page when it says so, else the inbox. */
export function backTo(req: PageRequest): string {
  const body = req.body as Record<string, unknown> | undefined;
  return safeNext(body?._back ?? req.headers.referer?.replace(/^https?:\/\/[^/]+/, ''));
}

/**
 * Errors of workspace pages, for people: sign in again, the form expired, not allowed, not found.
 * Failed form posts go back to their page with the message; fragments for the client get JSON.
 */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<PageRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const locale = req.page?.locale ?? pageLocale(req, res);
    if (err instanceof SessionRequired) {
      if (isPartial(req)) return void res.status(401).json({ error: { code: 'UNAUTHENTICATED' } });
      const next = req.method === 'GET' ? safeNext(req.originalUrl) : backTo(req);
      const query = `next=${encodeURIComponent(next)}${err.expired ? '&expired=1' : ''}`;
      return res.redirect(303, `/app/login?${query}`);
    }
    const status = this.statusOf(err);
    const key =
      err instanceof CsrfRejected
        ? 'error.CSRF_FAILED'
        : err instanceof AdminRequired
          ? 'error.FORBIDDEN'
          : errorKey(err);
    if (status >= 500)
      log.error({ err: err instanceof Error ? err.stack : String(err), path: req.path }, 'page failed');
    if (isPartial(req)) return void res.status(status).json({ error: { code: key.replace('error.', '') } });
    if (req.method !== 'GET' && req.page && !(err instanceof CsrfRejected)) {
      setFlash(res, { kind: 'error', key });
      return res.redirect(303, backTo(req));
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).render('workspace/error', {
      layout: 'layouts/auth',
      locale,
      title: t(locale, 'common.errorTitle'),
      message: t(locale, key),
      back: req.method === 'GET' ? '/app' : backTo(req),
    });
  }

  private statusOf(err: unknown): number {
    if (err instanceof CsrfRejected || err instanceof AdminRequired) return 403;
    if (err instanceof DomainError) return httpStatusOf[err.code] ?? 400;
    if (err instanceof HttpException) return err.getStatus();
    return 500;
  }
}
