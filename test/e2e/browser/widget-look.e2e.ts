import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MailService } from '../../../src/common/mail/mail.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { launcher, panel, sendFromWidget, visitorToken } from './widget-page';

jest.setTimeout(120_000);

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** Live chat sessions, off hours, hostile host CSS, and screenshots in both languages and themes. */
describe('the widget’s look and its live chat and off-hours flows', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sites: HostPage[] = [];

  const createWidget = async (input: Record<string, unknown>) => {
    const r = await app.gql<{ createWidget: { widget: { id: string; embedSnippet: string } } }>(
      `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id embedSnippet } } }`,
      { i: input },
      { token: admin.token },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return {
      id: r.data!.createWidget.widget.id,
      snippet: r.data!.createWidget.widget.embedSnippet.replace(/http:\/\/localhost:0/g, app.url),
    };
  };
  const site = async (snippet: string, hostileCss = false) => {
    const s = await startHostPage(snippet, { hostileCss });
    sites.push(s);
    return s;
  };
  const open = async (
    url: string,
    opts: { viewport?: { width: number; height: number }; locale?: string; dark?: boolean; timezoneId?: string } = {},
  ) => {
    const context = await browser.newContext({
      viewport: opts.viewport ?? VIEWPORTS.desktop,
      locale: opts.locale ?? 'en-US',
      colorScheme: opts.dark ? 'dark' : 'light',
      deviceScaleFactor: 1,
      timezoneId: opts.timezoneId ?? 'Asia/Seoul',
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    return page;
  };
  const conversationOf = async (page: Page, widgetId: string) => {
    const r = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': await visitorToken(page, widgetId) },
      body: JSON.stringify({ query: '{ widgetSession { conversations { id } } }' }),
    });
    return ((await r.json()) as { data: { widgetSession: { conversations: Array<{ id: string }> } } }).data
      .widgetSession.conversations[0]?.id;
  };
  const gql = (query: string, variables: Record<string, unknown>) => app.gql(query, variables, { token: admin.token });

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina Park' });
    await gql(`mutation { setMyStatus(status: online) { id } }`, {});
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of sites) await s.close();
    await app?.stop();
  });

  it('live chat: queue, accepted by an agent, ended; a reload starts a new session', async () => {
    const w = await createWidget({ name: 'Acme Live', mode: 'live_chat', color: '#b91c1c' });
    const s = await site(w.snippet);
    const page = await open(s.url);
    await sendFromWidget(page, 'Is anyone there?');
    await panel(page)
      .getByText(/number 1 in line/)
      .waitFor();
    const c = await conversationOf(page, w.id);
    await gql(`mutation($c: ID!) { acceptChat(conversationId: $c) { id } }`, { c });
    await panel(page).getByText('Mina Park joined the chat').waitFor();
    await gql(`mutation($c: ID!) { endChat(conversationId: $c) { id } }`, { c });
    await panel(page).getByText('This chat has ended.').waitFor();
    await page.reload();
    await launcher(page).click();
    await panel(page).locator('.home .primary').waitFor();
    expect(await panel(page).locator('.conv').count()).toBe(0);
  });

  it('off hours: says when the team is back, takes an email, and the unread reply is emailed', async () => {
    const hours = await gql(`mutation($i: BusinessHoursInput!) { saveBusinessHours(input: $i) { id } }`, {
      i: {
        name: 'Never today',
        timezone: 'Asia/Seoul',
        weekly: [{ day: (new Date(Date.now() + 9 * 3600_000).getUTCDay() + 3) % 7, open: '09:00', close: '18:00' }],
      },
    });
    const hoursId = (hours.data as { saveBusinessHours: { id: string } }).saveBusinessHours.id;
    const w = await createWidget({ name: 'Acme After Hours', businessHoursId: hoursId, unreadEmailDelaySeconds: 1 });
    const s = await site(w.snippet);
    const page = await open(s.url);
    await sendFromWidget(page, 'My order arrived broken');
    // the visitor is in Seoul too: the office opens at 09:00 their time
    await panel(page)
      .getByText(/We’re away\. Back \w+day 09:00\./)
      .first()
      .waitFor();
    await panel(page).locator('input[type=email]').fill('jun@example.net');
    await panel(page).getByRole('button', { name: 'Save' }).click();
    await panel(page).getByText('Thanks! We’ll reply to jun@example.net.').waitFor();
    await screenshot(page, 'widget-off-hours-en-light-desktop');
    await page.close();
    const mail = app.app.get(MailService);
    const ticketOf = await app.dataSource.query(
      `SELECT c.id, c.ticket_id FROM conversation c JOIN widget_conversation wc ON wc.conversation_id = c.id WHERE wc.widget_id = $1`,
      [w.id],
    );
    await gql(`mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id } } }`, {
      i: { ticketId: ticketOf[0].ticket_id, body: 'Sorry! A replacement is on its way.' },
    });
    const deadline = Date.now() + 10_000;
    while (!mail.outbox.some((m) => m.to === 'jun@example.net') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(mail.outbox.find((m) => m.to === 'jun@example.net')?.text).toContain('A replacement is on its way.');
  });

  it('still works and looks the same under hostile host CSS', async () => {
    const w = await createWidget({ name: 'Acme Hostile', color: '#1d4ed8' });
    const s = await site(w.snippet, true);
    const page = await open(s.url);
    await sendFromWidget(page, 'Styles cannot touch me');
    await page.waitForTimeout(300);
    const style = await page.evaluate(`(() => {
      const el = document.querySelector('sori-widget').shadowRoot.querySelector('.me .bubble');
      const cs = getComputedStyle(el);
      return { letterSpacing: cs.letterSpacing, lineHeight: cs.lineHeight, textTransform: cs.textTransform, fontSize: cs.fontSize };
    })()`);
    expect(style).toEqual({
      letterSpacing: 'normal',
      lineHeight: expect.stringMatching(/^2[01](\.\d+)?px$/),
      textTransform: 'none',
      fontSize: '15px',
    });
    const box = await panel(page).boundingBox();
    expect(box!.width).toBeGreaterThan(350);
    await screenshot(page, 'widget-hostile-css');
  });

  for (const locale of ['en', 'ko'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      for (const device of ['desktop', 'phone'] as const) {
        it(`screenshot ${locale} ${theme} ${device}`, async () => {
          const w = await createWidget({
            name: locale === 'ko' ? '아크미 고객센터' : 'Acme Support',
            color: '#4f46e5',
          });
          const s = await site(w.snippet);
          const page = await open(s.url, {
            viewport: VIEWPORTS[device],
            locale: locale === 'ko' ? 'ko-KR' : 'en-US',
            dark: theme === 'dark',
          });
          await launcher(page).waitFor();
          if (device === 'desktop') await screenshot(page, `widget-launcher-${locale}-${theme}-${device}`);
          await sendFromWidget(
            page,
            locale === 'ko' ? '안녕하세요, 배송 언제 되나요?' : 'Hi! When will my order ship?',
          );
          const c = await conversationOf(page, w.id);
          await gql(`mutation($i: ChatReplyInput!) { chatReply(input: $i) { id } }`, {
            i: {
              conversationId: c,
              body:
                locale === 'ko' ? '안녕하세요! 오늘 오후에 출고될 예정이에요. 📦' : 'Hi! It ships this afternoon. 📦',
              content: {
                type: 'quick_replies',
                replies: locale === 'ko' ? ['고마워요', '배송 조회'] : ['Thanks!', 'Track my order'],
              },
            },
          });
          await panel(page).locator('.chip').first().waitFor();
          await gql(`mutation($c: ID!) { chatTyping(conversationId: $c, typing: true) }`, { c });
          await panel(page).locator('.typing').waitFor();
          await screenshot(page, `widget-chat-${locale}-${theme}-${device}`);
          await panel(page)
            .getByRole('button', { name: locale === 'ko' ? '뒤로' : 'Back' })
            .click();
          await panel(page).locator('.conv').first().waitFor();
          await screenshot(page, `widget-home-${locale}-${theme}-${device}`);
        });
      }
    }
  }
});
