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

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: join(require.resolve('axe-core'), '../axe.min.js') });
  const result = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) })))`,
  );
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Visible text of the page's body (what a reader sees). */
export function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}
