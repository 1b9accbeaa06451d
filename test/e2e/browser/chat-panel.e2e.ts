import { waitUntil } from '../../helpers/email';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { axeViolations, PHONE, signedIn } from '../../helpers/workspace';
import { panel as widgetPanel, sendFromWidget, visitorToken } from './widget-page';

jest.setTimeout(120_000);

/**
 * Records desktop notifications instead of showing them, and lets the test hide the page.
 * Runs before the page's own script (CDP init script, so the CSP does not apply).
 */
const NOTIFICATION_STUB = `
  window.__notes = [];
  window.__hidden = false;
  class FakeNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, opts) { window.__notes.push({ title, tag: opts && opts.tag }); }
  }
  window.Notification = FakeNotification;
  Object.defineProperty(Document.prototype, 'visibilityState', { get() { return window.__hidden ? 'hidden' : 'visible'; } });
`;

describe('the live chat panel', () => {
  let app: TestApp;
  let browser: Browser;
  let site: HostPage;
  let widgetId: string;
  let ara: AgentWithCredentials;
  let bora: AgentWithCredentials;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    const f = factories(app.app);
    ara = await f.agent({ role: 'admin', name: 'Ara Kim' });
    bora = await f.agent({ name: 'Bora Lee' });
    await app.gql(`mutation { setMyStatus(status: online) { id } }`, {}, { token: ara.token });
    // Bora takes transfers only: every new chat goes to Ara
    await app.gql(`mutation { setMyStatus(status: transfer_only) { id } }`, {}, { token: bora.token });
    const r = await app.gql<{ createWidget: { widget: { id: string; embedSnippet: string } } }>(
      `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id embedSnippet } } }`,
      { i: { name: 'Acme Support', mode: 'live_chat', color: '#0f766e' } },
      { token: ara.token },
    );
    widgetId = r.data!.createWidget.widget.id;
    site = await startHostPage(r.data!.createWidget.widget.embedSnippet.replace(/http:\/\/localhost:0/g, app.url));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await site?.close();
    await app?.stop();
  });

  const agentPage = async (a: AgentWithCredentials): Promise<Page> => {
    const { ctx, page } = await signedIn(browser, app.url, { email: a.agent.email, password: a.password });
    contexts.push(ctx);
    await ctx.addInitScript(NOTIFICATION_STUB);
    await page.goto(`${app.url}/app/chats`);
    await page.locator('html[data-live=connected]').waitFor({ state: 'attached' });
    return page;
  };
  const visitor = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(site.url);
    return page;
  };
  const conversationOf = async (page: Page): Promise<string> => {
    const r = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': await visitorToken(page, widgetId) },
      body: JSON.stringify({ query: '{ widgetSession { conversations { id } } }' }),
    });
    return ((await r.json()) as { data: { widgetSession: { conversations: Array<{ id: string }> } } }).data
      .widgetSession.conversations[0].id;
  };
  const row = (page: Page, id: string) => page.locator(`.chat-row[data-chat-id="${id}"]`);
  const accept = async (page: Page, id: string) => {
    await Promise.all([page.waitForURL(new RegExp(`c=${id}`)), row(page, id).locator('[data-accept]').click()]);
  };

  it('offers, accepts, replies, counts unread, transfers with a note and ends, live in two agent browsers and the widget', async () => {
    const a = await agentPage(ara);
    const b = await agentPage(bora);
    await a.evaluate(`window.__hidden = true`);

    // a chat arrives in Ara's panel live, with a sound and a desktop notification
    const v1 = await visitor();
    await sendFromWidget(v1, 'Hi, my order #4411 never arrived');
    const c1 = await conversationOf(v1);
    await row(a, c1).locator('[data-accept]').waitFor();
    // the badge follows the row on its own update
    await a.locator('[data-chats-badge]', { hasText: /^1$/ }).waitFor();
    expect(await a.locator('[data-chats-badge]').innerText()).toBe('1');
    // polled from here: the page's CSP forbids the string evaluation an in-page wait needs
    await waitUntil(
      () =>
        a.evaluate<boolean>(`Number(document.documentElement.dataset.chatAlerts) >= 1 && window.__notes.length >= 1`),
      (ok) => ok,
      15_000,
      'the chat alert and the desktop notification',
    );
    expect(await a.evaluate(`window.__notes[0].title`)).toBe('A new chat is waiting for you');
    expect(await row(b, c1).count()).toBe(0);
    await a.evaluate(`window.__hidden = false`);

    // Ara accepts and replies; the visitor sees the reply
    await accept(a, c1);
    await a.locator('[data-timeline]', { hasText: 'my order #4411 never arrived' }).waitFor();
    await a.fill('#chat-body', 'Sorry about that! Let me check the courier for you.');
    await a.press('#chat-body', 'Enter');
    await widgetPanel(v1).getByText('Let me check the courier for you.').waitFor();
    await a.locator('[data-timeline]', { hasText: 'Let me check the courier' }).waitFor();

    // a second chat: accepted, then Ara goes back to the first; new visitor messages count as unread
    const v2 = await visitor();
    await sendFromWidget(v2, 'Can I change my delivery address?');
    const c2 = await conversationOf(v2);
    await row(a, c2).locator('[data-accept]').waitFor();
    await accept(a, c2);
    await a.goto(`${app.url}/app/chats?c=${c1}`);
    await sendFromWidget(v2, 'It should go to Busan, not Seoul.');
    await row(a, c2).locator('.unread', { hasText: '1' }).waitFor();
    await sendFromWidget(v1, 'The tracking page says delivered');
    await a.locator('[data-timeline]', { hasText: 'The tracking page says delivered' }).waitFor();

    // a third chat waits as an offer: the panel with two chats and an offer, in English and Korean
    const v3 = await visitor();
    await sendFromWidget(v3, '안녕하세요, 환불 문의드려요');
    const c3 = await conversationOf(v3);
    await row(a, c3).locator('[data-accept]').waitFor();
    expect(await a.locator('.chats__load').innerText()).toBe('Chats 2/3 · Tickets 2');
    expect(await axeViolations(a)).toEqual([]);
    await screenshot(a, 'chat-panel-en', { fullPage: false });
    await a.goto(`${app.url}/app/chats?c=${c1}&lang=ko`);
    await row(a, c3).locator('[data-accept]').waitFor();
    expect(await a.locator('.chats__load').innerText()).toBe('채팅 2/3 · 티켓 2');
    expect(await axeViolations(a)).toEqual([]);
    await screenshot(a, 'chat-panel-ko', { fullPage: false });
    await a.goto(`${app.url}/app/chats?c=${c1}&lang=en`);
    // the status menu in the rail shows the load per channel
    await a.click('summary.avatar-btn');
    await a.locator('.menu__hint', { hasText: 'Chats 2/3 · Tickets 2' }).waitFor();
    await screenshot(a, 'chat-rail-status-en', { fullPage: false });
    await a.click('summary.avatar-btn');
    for (const [name, opts] of [
      ['chat-panel-dark-en', { scheme: 'dark' as const }],
      ['chat-panel-phone-ko', { viewport: PHONE, locale: 'ko' as const }],
    ] as const) {
      const { ctx, page } = await signedIn(browser, app.url, { email: ara.agent.email, password: ara.password }, opts);
      contexts.push(ctx);
      await page.goto(`${app.url}/app/chats?c=${c1}`);
      await row(page, c3).locator('[data-accept]').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, name, { fullPage: name.includes('phone') });
    }

    // Ara transfers the first chat to Bora with a note; Bora sees it live and ends it
    await a.locator('.chats__transfer summary').click();
    await a.selectOption('#transfer-target', `agent:${bora.agent.id}`);
    await a.fill('#transfer-note', 'Courier says delivered; please open a claim.');
    await Promise.all([a.waitForURL(/\/app\/chats$/), a.locator('[data-transfer]').click()]);
    expect(await row(a, c1).count()).toBe(0);
    await row(b, c1).locator('.chat-row__note', { hasText: 'please open a claim' }).waitFor();
    await b.goto(`${app.url}/app/chats?c=${c1}`);
    await b.locator('[data-timeline]', { hasText: 'Courier says delivered; please open a claim.' }).waitFor();
    await b.locator('[data-timeline]', { hasText: 'Ara Kim transferred the chat to Bora Lee' }).waitFor();
    await Promise.all([b.waitForURL(/\/app\/chats$/), b.locator('[data-end]').click()]);
    await widgetPanel(v1).getByText('This chat has ended.').waitFor();
    expect(await row(b, c1).count()).toBe(0);
  });
});
