import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { join } from 'node:path';
import { t, type UiLocale } from '../common/i18n/i18n';
import { nodeModulesDir, publicDir, viewsDir } from '../common/paths';

interface HbsModule {
  registerHelper(name: string, fn: (...args: unknown[]) => unknown): void;
  registerPartials(dir: string): void;
}

interface HelperOptions {
  data?: { root?: { locale?: UiLocale } };
  hash?: Record<string, string | number>;
}

/** Handlebars pages and the static files they use (CSS, fonts, icons) — nothing from other hosts. */
export function configureViews(app: NestExpressApplication): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- hbs ships no ES module
  const hbs = require('hbs') as HbsModule;
  hbs.registerPartials(join(viewsDir, 'partials'));
  hbs.registerHelper('t', (key: unknown, options: unknown) => {
    const o = options as HelperOptions;
    return t(o.data?.root?.locale ?? 'en', String(key), o.hash ?? {});
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => (a === b ? 'true' : 'false'));
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  const cache = { maxAge: '1h', immutable: false };
  app.use('/static/fonts/pretendard', express.static(join(nodeModulesDir, 'pretendard/dist/web/variable'), cache));
  app.use('/static', express.static(publicDir, cache));
}
