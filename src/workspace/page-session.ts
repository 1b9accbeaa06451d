import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { safeEqual } from '../common/auth/secrets';
import { negotiateLocale, type UiLocale } from '../common/i18n/i18n';

export const CSRF_COOKIE = 'sori_csrf';
export const LANG_COOKIE = 'sori_lang';

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Page language: `?lang=` (remembered in a cookie), then the cookie, then the agent, then the browser. */
export function pageLocale(req: Request, res: Response, agentLocale?: string): UiLocale {
  const q = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (q === 'en' || q === 'ko') {
    res.cookie(LANG_COOKIE, q, { sameSite: 'lax', maxAge: 365 * 86400_000, path: '/' });
    return q;
  }
  return negotiateLocale(readCookie(req, LANG_COOKIE) ?? agentLocale, req.headers['accept-language']);
}

/**
 * CSRF for forms used before sign-in (login, reset, invite): double-submit token — a random
 * value in a SameSite=Strict HttpOnly cookie that each form must echo in `_csrf`.
 */
export function preAuthCsrf(req: Request, res: Response, secure: boolean): string {
  let token = readCookie(req, CSRF_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{32,64}$/.test(token)) {
    token = randomBytes(24).toString('base64url');
    res.cookie(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/app' });
  }
  return token;
}

export function checkPreAuthCsrf(req: Request): boolean {
  const cookie = readCookie(req, CSRF_COOKIE);
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  return !!cookie && typeof field === 'string' && safeEqual(cookie, field);
}

/** Only same-site relative paths are followed after sign-in (no open redirects). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/app(\/[\w\-/.?=&%]*)?$/.test(next) && !next.includes('//') ? next : '/app';
}
