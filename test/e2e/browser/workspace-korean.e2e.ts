import type { Browser, Page } from 'playwright-core';
import { en } from '../../../src/common/i18n/en';
import { ko } from '../../../src/common/i18n/ko';
import { launchBrowser } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { signedIn } from '../../helpers/workspace';

/** English UI strings that must not appear on a Korean page (the ones that differ in Korean). */
const englishOnly = new Set<string>(
  (Object.keys(en) as Array<keyof typeof en>)
    .filter((k) => en[k] !== ko[k] && !/\{\w+\}/.test(en[k]))
    .map((k): string => en[k]),
);
const KEY =
  /^(?:nav|inbox|view|status|priority|ticket|panel|composer|timeline|contacts|orgs|settings|profile|search|bulk|audit|common|shortcuts)\.[\w.]+$/;

/** What a Korean agent reads: visible lines plus the labels screen readers and tooltips say. */
async function uiTexts(page: Page): Promise<string[]> {
  const lines = (await page.locator('body').innerText()).split('\n').map((l) => l.trim());
  const attrs = await page.evaluate<string[]>(
    `[...document.querySelectorAll('[aria-label],[title],[placeholder]')].flatMap((e) => ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a)).filter(Boolean))`,
  );
  return [...lines, ...attrs].filter(Boolean);
}

describe('the workspace in Korean', () => {
  let app: TestApp;
  let browser: Browser;

  // seeding the demo workspace and starting Chromium take a while on a busy 2-core machine
  beforeAll(async () => {
    app = await startTestApp({ SORI_DEMO: '1' });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('switches to Korean from the menu and shows no English UI string or raw key on any page', async () => {
    const { ctx, page } = await signedIn(browser, app.url, app.admin);
    expect(await page.textContent('#list-title')).toBe('Mine');
    await page.click('summary.avatar-btn');
    await page.click('a[lang=ko]');
    await page.waitForURL(/lang=ko/);
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    const [{ number }] = await app.dataSource.query(
      `SELECT number FROM ticket WHERE subject = 'Refund for duplicate charge'`,
    );
    const [{ id: contact }] = await app.dataSource.query(`SELECT id FROM contact WHERE name = 'Daniel Carter'`);
    const leaks: string[] = [];
    for (const path of [
      '/app',
      '/app/inbox/unassigned',
      `/app/tickets/${number}`,
      '/app/search?q=refund',
      '/app/contacts',
      `/app/contacts/${contact}`,
      '/app/organizations',
      '/app/profile',
      '/app/settings/agents',
      '/app/settings/groups',
      '/app/settings/fields',
      '/app/settings/forms',
      '/app/settings/tags',
    ]) {
      await page.goto(`${app.url}${path}`);
      await page.evaluate('document.fonts.ready');
      for (const text of await uiTexts(page)) {
        if (englishOnly.has(text) || KEY.test(text)) leaks.push(`${path}: ${text}`);
      }
      // Hangul renders with the self-hosted Pretendard
      expect(await page.evaluate(`document.fonts.check('16px "Pretendard Variable"', '받은편지함')`)).toBe(true);
    }
    expect(leaks).toEqual([]);
    expect(await page.textContent('h1')).toBe('태그');
    await ctx.close();
  });
});
