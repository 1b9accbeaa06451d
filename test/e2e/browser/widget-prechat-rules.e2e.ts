import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIdentityJwt } from '../../../src/channels/widget/identity-jwt';
import { launchBrowser } from '../../helpers/browser';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { signedIn } from '../../helpers/workspace';
import { launcher, panel, ticketNumberOf } from './widget-page';

jest.setTimeout(120_000);

/** The pre-chat form and proactive messages of the widget, in Chromium on a customer's site. */
describe('widget pre-chat form and proactive messages', () => {
  let app: TestApp;
  let browser: Browser;
  let adminCookie: string;
  const contexts: BrowserContext[] = [];
  const sites: HostPage[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    const r = await app.gql(`mutation($i: LoginInput!) { login(input: $i) { csrfToken } }`, { i: app.admin });
    adminCookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    for (const s of sites.splice(0)) await s.close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const siteFor = async (widgetId: string) => {
    const site = await startHostPage(
      `<script>window.Sori=window.Sori||function(){(Sori.q=Sori.q||[]).push(arguments)}</script>` +
        `<script async src="${app.url}/widget.js" data-sori-widget="${widgetId}"></script>`,
    );
    sites.push(site);
    return site;
  };
  const visit = async (url: string): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(url);
    return page;
  };

  /** Opens the widget, starts a conversation and returns the pre-chat form. */
  const openPrechat = async (page: Page) => {
    await launcher(page).click();
    await panel(page).locator('.home .primary').click();
    const form = panel(page).locator('form.card', { hasText: 'Before we start' });
    await form.waitFor();
    return form;
  };
  const send = async (page: Page, text: string) => {
    const box = panel(page).locator('.composer textarea');
    await box.waitFor();
    await box.fill(text);
    await box.press('Enter');
    await panel(page).locator('.me .bubble', { hasText: text }).waitFor();
    await panel(page).locator('.me .bubble.pending').waitFor({ state: 'detached' });
  };

  it('asks the pre-chat fields, enforces the required ones, and the agent sees the answers on the ticket', async () => {
    const { id } = await createWidgetAsAdmin({
      name: 'Pre-chat',
      preChatFields: [
        { key: 'name', label: 'Your name', required: true },
        { key: 'email', label: 'Work email', required: true },
        { key: 'phone', label: 'Phone', required: false },
      ],
    });
    const site = await siteFor(id);

    // everything answered, the optional phone included
    const page = await visit(site.url);
    const form = await openPrechat(page);
    expect(await form.locator('label').allInnerTexts()).toEqual(['Your name *', 'Work email *', 'Phone']);
    await form.getByRole('button', { name: 'Start' }).click();
    // required fields stop the form: still there, nothing to type into yet
    expect(await form.locator('input:invalid').count()).toBe(2);
    expect(await panel(page).locator('.composer textarea').isVisible()).toBe(false);
    await form.getByLabel('Your name').fill('Jiwoo Kim');
    await form.getByLabel('Work email').fill('not-an-email');
    await form.getByRole('button', { name: 'Start' }).click();
    expect(await form.locator('input:invalid').count()).toBe(1);
    await form.getByLabel('Work email').fill('jiwoo@example.com');
    // a phone becomes a contact identity, so it needs its country code
    await form.getByLabel('Phone').fill('010-1234-5678');
    await form.getByRole('button', { name: 'Start' }).click();
    expect(await form.locator('input:invalid').count()).toBe(1);
    await form.getByLabel('Phone').fill('+82 10-1234-5678');
    await form.getByRole('button', { name: 'Start' }).click();
    await send(page, 'Hi, my order has not arrived.');
    const number = await ticketNumberOf(app, page, id);

    // the agent's ticket page shows who wrote, with the email and phone they gave
    const { ctx, page: agentPage } = await signedIn(browser, app.url, app.admin, {
      viewport: { width: 1680, height: 900 }, // the side panel is inline from 1600 px
    });
    contexts.push(ctx);
    await agentPage.goto(`${app.url}/app/tickets/${number}`);
    const requester = agentPage.locator('section[aria-labelledby="requester-title"]');
    await requester.waitFor();
    expect(await requester.locator('.person__name').innerText()).toBe('Jiwoo Kim');
    const identities = await requester.locator('.identity__value').allInnerTexts();
    expect(identities).toEqual(expect.arrayContaining(['jiwoo@example.com']));
    expect(identities).toEqual(expect.arrayContaining(['+821012345678']));

    // a second visitor leaves the optional phone empty: the form still goes through
    const other = await visit(site.url);
    const second = await openPrechat(other);
    await second.getByLabel('Your name').fill('Minho Lee');
    await second.getByLabel('Work email').fill('minho@example.com');
    await second.getByRole('button', { name: 'Start' }).click();
    await send(other, 'Do you ship to Busan?');
    const [contact] = await app.dataSource.query<Array<{ name: string; values: string[] }>>(
      `SELECT c.name, array_agg(i.value ORDER BY i.value) AS values FROM ticket t JOIN contact c ON c.id = t.requester_id
       JOIN contact_identity i ON i.contact_id = c.id AND i.kind <> 'visitor' WHERE t.number = $1 GROUP BY c.name`,
      [await ticketNumberOf(app, other, id)],
    );
    expect(contact).toEqual({ name: 'Minho Lee', values: ['minho@example.com'] });
  });

  it('a rule for a URL pattern and time on page opens the widget with its message; an identified-only rule skips anonymous visitors', async () => {
    const { id, secret } = await createWidgetAsAdmin({ name: 'Proactive' });
    const site = await siteFor(id);
    await saveRule(id, {
      name: 'Pricing',
      message: 'Comparing plans? Ask us anything.',
      urlPattern: `${site.url}/page2*`,
      minSecondsOnPage: 2,
      audience: 'all',
    });
    await saveRule(id, {
      name: 'Members',
      message: 'Welcome back! Your account manager is online.',
      urlPattern: `${site.url}/`,
      audience: 'identified',
    });

    // the home page matches only the identified-only rule: an anonymous visitor gets nothing
    const page = await visit(site.url);
    await page.waitForFunction(() => (globalThis as unknown as { __soriApp?: unknown }).__soriApp !== undefined);
    await page.waitForTimeout(3000);
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');

    // the pricing page opens by itself after two seconds on it, with the rule's message
    const started = Date.now();
    await page.goto(`${site.url}/page2`);
    await panel(page).locator('.bubble', { hasText: 'Comparing plans? Ask us anything.' }).waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('true');
    expect(await panel(page).innerText()).not.toContain('Welcome back!');

    // once identified, the same home page greets the member (so the rule itself does work)
    const jwt = signIdentityJwt(secret, {
      external_id: 'member-1',
      name: 'Hana',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const member = await visit(site.url);
    await member.evaluate(
      (token) =>
        new Promise<void>((resolve) => {
          const w = globalThis as unknown as { Sori: (...a: unknown[]) => void };
          w.Sori('on', 'identified', () => resolve());
          w.Sori('identify', { jwt: token });
        }),
      jwt,
    );
    await member.reload();
    await panel(member).locator('.bubble', { hasText: 'Welcome back! Your account manager is online.' }).waitFor();
  });

  async function createWidgetAsAdmin(input: Record<string, unknown>) {
    const r = await app.gql<{ createWidget: { widget: { id: string }; identitySecret: string } }>(
      `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id } identitySecret } }`,
      { i: input },
      { cookie: adminCookie },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return { id: r.data!.createWidget.widget.id, secret: r.data!.createWidget.identitySecret };
  }

  async function saveRule(widgetId: string, input: Record<string, unknown>) {
    const r = await app.gql(
      `mutation($i: ProactiveRuleInput!, $w: ID) { saveProactiveRule(input: $i, widgetId: $w) { id } }`,
      { w: widgetId, i: input },
      { cookie: adminCookie },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
  }
});
