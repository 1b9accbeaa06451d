import type { Response } from 'express';
import { t, type UiLocale } from '../../common/i18n/i18n';
import { en } from '../../common/i18n/en';
import { takeFlash } from './flash';
import type { PageContext, PageRequest } from './page-context';

/** The main areas of the icon rail. */
export type NavArea = 'inbox' | 'chats' | 'search' | 'contacts' | 'settings' | 'profile';

const CLIENT_KEYS = Object.keys(en).filter((k) => k.startsWith('client.'));

/** Strings the client script shows, in the page's language. */
function clientStrings(locale: UiLocale): Record<string, string> {
  return Object.fromEntries(CLIENT_KEYS.map((k) => [k.slice('client.'.length), t(locale, k)]));
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no tag can close it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  const first = [...parts[0]];
  // Hangul names read best as their first syllable(s); Latin names as the initials of two words
  if (/[\u3131-\uD79D]/.test(parts[0])) return parts.length > 1 ? [...parts[0]][0] + [...parts[1]][0] : first[0];
  return (first[0] + (parts.length > 1 ? [...parts[parts.length - 1]][0] : (first[1] ?? ''))).toUpperCase();
}

export function isPartial(req: PageRequest): boolean {
  return req.headers['x-sori-partial'] === '1';
}

/** Renders a workspace page in the app shell with what every page needs. */
export function renderPage(
  req: PageRequest,
  res: Response,
  view: string,
  vars: Record<string, unknown> & { nav: NavArea; title: string },
  status = 200,
): void {
  const page = req.page as PageContext;
  const flash = takeFlash(req, res);
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).render(view, {
    layout: 'layouts/app',
    ...shellVars(page),
    flash: flash ? { kind: flash.kind, text: t(page.locale, flash.key, flash.vars) } : null,
    client: scriptJson({
      csrf: page.csrf,
      agentId: page.agent.id,
      locale: page.locale,
      timeZone: page.timezone,
      strings: clientStrings(page.locale),
    }),
    ...vars,
  });
}

/** Renders a fragment (no layout) for the client script's partial swaps. */
export function renderPartial(req: PageRequest, res: Response, view: string, vars: Record<string, unknown>): void {
  const page = req.page as PageContext;
  res.setHeader('Cache-Control', 'no-store');
  res.render(view, { layout: false, ...shellVars(page), ...vars });
}

function shellVars(page: PageContext) {
  return {
    locale: page.locale,
    timezone: page.timezone,
    csrf: page.csrf,
    theme: page.theme,
    canWrite: page.canWrite,
    isAdmin: page.isAdmin,
    me: {
      id: page.agent.id,
      name: page.agent.name,
      email: page.agent.email,
      initials: initials(page.agent.name),
      status: page.agent.status,
      role: page.agent.role,
    },
  };
}
