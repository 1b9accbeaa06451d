import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export type Scheme = 'light' | 'dark';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A browser context signed in as the given agent (through the real sign-in form). */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  creds: { email: string; password: string },
  opts: {
    viewport?: { width: number; height: number };
    scheme?: Scheme;
    locale?: 'en' | 'ko';
    javaScript?: boolean;
  } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport: opts.viewport ?? DESKTOP,
    colorScheme: opts.scheme ?? 'light',
    locale: opts.locale === 'ko' ? 'ko-KR' : 'en-US',
    javaScriptEnabled: opts.javaScript ?? true,
  });
  const page = await ctx.newPage();
  await page.goto(`${baseUrl}/app/login${opts.locale ? `?lang=${opts.locale}` : ''}`);
  await page.fill('#email', creds.email);
  await page.fill('#password', creds.password);
  await Promise.all([page.waitForURL(`${baseUrl}/app`), page.click('button[type=submit]')]);
  return { ctx, page };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string }>;
}

let axeSource: string | undefined;

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not block it
  axeSource ??= readFileSync(join(require.resolve('axe-core'), '../axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) })))`,
  );
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Visible text of the page's body (what a reader sees). */
export function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** Visible controls smaller than 40 × 40 px (phones: thumbs need room), as "tag.class: w×h". */
export function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll(
      'button, select, summary, input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file]), .rail__item, .view, .trow__link, .tabs__tab, .settings__nav a'
    )]
    .filter((e) => e.offsetParent !== null && !e.classList.contains('sr-only') && getComputedStyle(e).visibility !== 'hidden')
    .map((e) => ({ e, r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && (r.height < 39.5 || r.width < 39.5))
    .map(({ e, r }) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ': ' + Math.round(r.width) + 'x' + Math.round(r.height))`);
}
