import type { Request, Response } from 'express';
import { readCookie } from '../page-session';

/** A one-time message shown on the next page after a redirect (post/redirect/get). */
export interface Flash {
  kind: 'ok' | 'error' | 'warn';
  key: string;
  vars?: Record<string, string | number>;
}

const COOKIE = 'sori_flash';

export function setFlash(res: Response, flash: Flash): void {
  const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  res.cookie(COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/app', maxAge: 60_000 });
}

export function takeFlash(req: Request, res: Response): Flash | null {
  const raw = readCookie(req, COOKIE);
  if (!raw) return null;
  res.clearCookie(COOKIE, { path: '/app' });
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flash>;
    if (typeof parsed.key !== 'string' || !/^[\w.]{1,80}$/.test(parsed.key)) return null;
    const kind = parsed.kind === 'error' || parsed.kind === 'warn' ? parsed.kind : 'ok';
    const vars: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(parsed.vars ?? {})) {
      if (typeof v === 'string' || typeof v === 'number') vars[k] = typeof v === 'string' ? v.slice(0, 200) : v;
    }
    return { kind, key: parsed.key, vars };
  } catch {
    return null;
  }
}
