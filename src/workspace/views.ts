import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { join } from 'node:path';
import { t, type UiLocale } from '../common/i18n/i18n';
import { nodeModulesDir, publicDir, viewsDir } from '../common/paths';
import { formatDate, formatDateTime, formatNumber, formatRelative, formatShort } from './core/format';
import { iconSvg } from './core/icons';
import { channelIcon, channelKey, PRIORITY_ICON, STATUS_ICON } from './core/taxonomy';
import type { TicketPriority, TicketStatus } from '../tickets/entities';

interface HbsModule {
  registerHelper(name: string, fn: (...args: unknown[]) => unknown): void;
  registerPartials(dir: string, options?: { rename(name: string): string }): void;
  handlebars: { SafeString: new (s: string) => unknown };
}

interface HelperOptions {
  data?: { root?: { locale?: UiLocale; timezone?: string } };
  hash?: Record<string, string | number>;
}

/** Styles may be inline (sanitised email HTML keeps its formatting); scripts may not. */
export const WORKSPACE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const opts = (args: unknown[]) => args[args.length - 1] as HelperOptions;
const root = (args: unknown[]) => ({
  locale: opts(args).data?.root?.locale ?? 'en',
  tz: opts(args).data?.root?.timezone ?? 'UTC',
});

/** Handlebars helpers: translation, comparisons, dates and numbers per locale and zone, icons. */
function registerHelpers(hbs: HbsModule): void {
  const safe = (s: string) => new hbs.handlebars.SafeString(s);
  hbs.registerHelper('t', (key: unknown, options: unknown) => {
    const o = options as HelperOptions;
    return t(o.data?.root?.locale ?? 'en', String(key), o.hash ?? {});
  });
  /** `t` with a key built from parts: {{tk "status." status}}. */
  hbs.registerHelper('tk', (...args: unknown[]) => {
    const key = args.slice(0, -1).map(String).join('');
    return t(root(args).locale, key, opts(args).hash ?? {});
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => (a === b ? 'true' : 'false'));
  hbs.registerHelper('is', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('join', (list: unknown) => (Array.isArray(list) ? list.map(String).join(', ') : ''));
  hbs.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  hbs.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hbs.registerHelper('datetime', (d: unknown, ...rest: unknown[]) =>
    formatDateTime(d, root(rest).locale, root(rest).tz),
  );
  hbs.registerHelper('date', (d: unknown, ...rest: unknown[]) => formatDate(d, root(rest).locale, root(rest).tz));
  hbs.registerHelper('short', (d: unknown, ...rest: unknown[]) => formatShort(d, root(rest).locale, root(rest).tz));
  hbs.registerHelper('ago', (d: unknown, ...rest: unknown[]) => formatRelative(d, root(rest).locale, root(rest).tz));
  hbs.registerHelper('iso', (d: unknown) => (d instanceof Date ? d.toISOString() : typeof d === 'string' ? d : ''));
  hbs.registerHelper('num', (n: unknown, ...rest: unknown[]) => formatNumber(n, root(rest).locale));
  hbs.registerHelper('icon', (name: unknown, ...rest: unknown[]) => {
    const size = Number(opts(rest).hash?.size ?? 16);
    return safe(iconSvg(String(name), size, String(opts(rest).hash?.class ?? '')));
  });
  hbs.registerHelper('statusIcon', (s: unknown) => safe(iconSvg(STATUS_ICON[s as TicketStatus] ?? 'circle', 14)));
  hbs.registerHelper('priorityIcon', (p: unknown) => safe(iconSvg(PRIORITY_ICON[p as TicketPriority] ?? 'equal', 14)));
  hbs.registerHelper('channelIcon', (c: unknown) => safe(iconSvg(channelIcon(String(c)), 14)));
  hbs.registerHelper('channelLabel', (c: unknown, ...rest: unknown[]) => t(root(rest).locale, channelKey(String(c))));
}

/** Handlebars pages and the static files they use (CSS, fonts, icons, scripts) — nothing from other hosts. */
export function configureViews(app: NestExpressApplication): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- hbs ships no ES module
  const hbs = require('hbs') as HbsModule;
  hbs.registerPartials(join(viewsDir, 'partials'), { rename: (name) => name });
  registerHelpers(hbs);
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  // workspace pages load nothing from other hosts and run only Sori's own script
  app.use('/app', (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('Content-Security-Policy', WORKSPACE_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  const cache = { maxAge: '1h', immutable: false };
  app.use('/static/fonts/pretendard', express.static(join(nodeModulesDir, 'pretendard/dist/web/variable'), cache));
  app.use('/static', express.static(publicDir, cache));
}
