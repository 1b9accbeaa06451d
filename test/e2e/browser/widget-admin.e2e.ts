import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { axeViolations, DESKTOP, PHONE, signedIn, type AxeViolation } from '../../helpers/workspace';

jest.setTimeout(120_000);

/** The admin's side of the widget in Chromium: create, preview, copy the snippet, use it on a site. */
describe('widget settings in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sites: HostPage[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    for (const s of sites.splice(0)) await s.close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const asAdmin = async (opts: Parameters<typeof signedIn>[3] = {}) => {
    const { ctx, page } = await signedIn(browser, app.url, app.admin, opts);
    contexts.push(ctx);
    return page;
  };
  const serious = (list: AxeViolation[]) =>
    list.map((v) => `${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  const launcherIn = (frame: FrameLocator | Page) => frame.locator('sori-widget .launch');
  const bg = (frame: FrameLocator | Page) =>
    launcherIn(frame).evaluate(
      (el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
          .backgroundColor,
    );
  async function until<T>(read: () => Promise<T>, want: T, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await read().catch(() => undefined);
      if (last === want) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`wanted ${String(want)}, last saw ${String(last)}`);
  }

  it('admin creates a widget and copies its snippet: the preview follows unsaved edits, the site shows the saved look', async () => {
    const page = await asAdmin();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.goto(`${app.url}/app/settings/channels/widget`);
    await page.getByText('No widget yet').waitFor();
    expect(serious(await axeViolations(page))).toEqual([]);

    await page.getByLabel('Name', { exact: true }).fill('Acme Support');
    await page.getByLabel('Live chat').check();
    await page.getByRole('button', { name: 'Create widget' }).click();
    await page.getByRole('heading', { name: 'Widget created. Here is its identity secret' }).waitFor();
    expect(await page.locator('#secret-value').inputValue()).toMatch(/^whs_[\w-]{40,}$/);
    // a reload shows the editor (the secret only once) and never creates a second widget
    expect(page.url()).toMatch(/\/app\/settings\/channels\/widget\/[0-9a-f-]{36}$/);
    await page.reload();
    await page.getByRole('heading', { name: 'Acme Support' }).waitFor();
    expect(await page.locator('#secret-value').count()).toBe(0);
    const widgets = await app.gql<{ widgets: unknown[] }>('{ widgets { id } }', {}, await adminCookie());
    expect(widgets.data!.widgets).toHaveLength(1);

    // the preview is the real widget, in its saved colour
    const preview = page.frameLocator('[data-preview-frame]');
    await launcherIn(preview).waitFor();
    expect(await bg(preview)).toBe('rgb(79, 70, 229)');

    // a colour too light for text on it is flagged while editing, and the preview follows
    await page.locator('#w-color').fill('#808080');
    await page.locator('[data-contrast].contrast--bad').waitFor();
    expect(await page.locator('[data-contrast]').innerText()).toContain('WCAG AA needs 4.5:1');
    await until(() => bg(preview), 'rgb(128, 128, 128)');
    await page.locator('#w-color').fill('#0f766e');
    await page.locator('[data-contrast].contrast--ok').waitFor();
    await page.getByLabel('Launcher text').fill('Talk to Acme');
    await until(() => launcherIn(preview).innerText(), 'Talk to Acme');
    await until(() => bg(preview), 'rgb(15, 118, 110)');
    await page.getByLabel('Greeting in English').fill('Welcome to Acme 👋');
    await page.getByText('Unsaved changes').waitFor();
    // opening the preview shows the unsaved greeting in the panel
    await launcherIn(preview).click();
    await preview.locator('sori-widget .panel h2', { hasText: 'Welcome to Acme 👋' }).waitFor();
    await screenshot(page, 'widget-editor-en', { fullPage: false });
    // a Korean visitor gets the Korean greeting
    await page.getByLabel('Greeting in Korean').fill('어서 오세요, 에이크미입니다');
    await page.getByLabel('Language').selectOption('ko');
    await preview.locator('sori-widget .panel h2', { hasText: '어서 오세요, 에이크미입니다' }).waitFor();
    await page.getByLabel('Language').selectOption('auto');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-flash="ok"]', { hasText: 'Saved.' }).waitFor();
    expect(await page.locator('#w-color').inputValue()).toBe('#0f766e');
    expect(await page.getByLabel('Launcher text').inputValue()).toBe('Talk to Acme');
    expect(serious(await axeViolations(page))).toEqual([]);

    // copy the snippet with the keyboard; the page says "Copied" (to screen readers too)
    const copyButton = page.getByRole('button', { name: 'Copy snippet' });
    await copyButton.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-copy-status]', { hasText: 'Copied' }).waitFor({ state: 'attached' });
    await page.locator('[data-copy="snippet"]', { hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(await page.locator('#snippet').inputValue());
    expect(copied).toMatch(/<script async src="[^"]+\/widget\.js" data-sori-widget="[0-9a-f-]{36}"><\/script>/);

    // the customer's site with exactly that snippet (the test app's public URL is unknown until it listens)
    const site = await startHostPage(copied.replace(/http:\/\/localhost:0/g, app.url));
    sites.push(site);
    const visitor = await browser.newContext({ viewport: DESKTOP });
    contexts.push(visitor);
    const sitePage = await visitor.newPage();
    await sitePage.goto(site.url);
    await launcherIn(sitePage).waitFor();
    expect(await launcherIn(sitePage).innerText()).toBe('Talk to Acme');
    expect(await bg(sitePage)).toBe('rgb(15, 118, 110)');
    const box = (await launcherIn(sitePage).boundingBox())!;
    expect(box.x + box.width).toBeGreaterThan(DESKTOP.width - 40); // bottom right, as saved
  });

  it('works without script: create and edit with plain forms', async () => {
    const page = await asAdmin({ javaScript: false });
    await page.goto(`${app.url}/app/settings/channels/widget`);
    await page.getByLabel('Name', { exact: true }).fill('No-script widget');
    await page.getByRole('button', { name: 'Create widget' }).click();
    await page.locator('#secret-value').waitFor();
    expect(await page.getByRole('button', { name: 'Copy snippet' }).isVisible()).toBe(false);
    expect(await page.getByText('Select the snippet and copy it.').isVisible()).toBe(true);
    await page.getByLabel('Bottom left').check();
    await page.getByLabel('Launcher text').fill('Need help?');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-flash="ok"]').waitFor();
    expect(await page.getByLabel('Bottom left').isChecked()).toBe(true);
    expect(await page.getByLabel('Launcher text').inputValue()).toBe('Need help?');
  });

  it('business hours: split shifts, clear errors, axe clean', async () => {
    const page = await asAdmin();
    await page.goto(`${app.url}/app/settings/business-hours`);
    const form = page.locator('#h-new form');
    await form.getByLabel('Name', { exact: true }).fill('Seoul office');
    await form.locator('[name=timezone]').fill('Asia/Seoul');
    await form.locator('[name=close_1_0]').fill('12:00');
    await form.locator('[name=open_1_1]').fill('11:00');
    await form.locator('[name=close_1_1]').fill('18:00');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-flash="error"]', { hasText: 'Monday: 09:00–12:00 and 11:00–18:00 overlap.' }).waitFor();
    const again = page.locator('#h-new form');
    await again.getByLabel('Name', { exact: true }).fill('Seoul office');
    await again.locator('[name=timezone]').fill('Asia/Seoul');
    await again.locator('[name=close_1_0]').fill('12:00');
    await again.locator('[name=open_1_1]').fill('13:00');
    await again.locator('[name=close_1_1]').fill('18:00');
    await again.getByLabel('Closed dates').fill('2026-12-25 Christmas\n2027-01-01 New Year');
    await again.getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-flash="ok"]').waitFor();
    await page.locator('summary', { hasText: 'Seoul office' }).click();
    expect(serious(await axeViolations(page))).toEqual([]);
  });

  it('screenshots in English and Korean: the widget list, the editor with its preview, business hours', async () => {
    // real-looking settings to photograph
    const hours = await app.gql<{ saveBusinessHours: { id: string } }>(
      `mutation($i: BusinessHoursInput!) { saveBusinessHours(input: $i) { id } }`,
      {
        i: {
          name: 'Seoul support desk',
          timezone: 'Asia/Seoul',
          weekly: [
            ...[1, 2, 3, 4, 5].flatMap((day) => [
              { day, open: '09:00', close: '12:00' },
              { day, open: '13:00', close: '18:00' },
            ]),
            { day: 6, open: '10:00', close: '14:00' },
          ],
          holidays: [
            { date: '2026-12-25', name: 'Christmas' },
            { date: '2027-02-17', name: 'Seollal' },
          ],
        },
      },
      { cookie: (await adminCookie()).cookie },
    );
    const cookie = (await adminCookie()).cookie;
    const make = async (input: Record<string, unknown>) =>
      (
        await app.gql<{ createWidget: { widget: { id: string } } }>(
          `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id } } }`,
          { i: input },
          { cookie },
        )
      ).data!.createWidget.widget.id;
    const id = await make({
      name: 'Acme Store',
      color: '#0f766e',
      launcherText: 'Chat with us',
      greeting: 'Hi! How can we help? 👋',
      businessHoursId: hours.data!.saveBusinessHours.id,
      preChatFields: [
        { key: 'name', label: 'Your name', required: true },
        { key: 'email', label: 'Email', required: true },
      ],
    });
    await make({ name: 'Help center', mode: 'live_chat', color: '#b91c1c', position: 'left' });
    await make({ name: 'Mobile app (beta)', color: '#7c3aed', isActive: false });
    await app.gql(
      `mutation($i: ProactiveRuleInput!, $w: ID) { saveProactiveRule(input: $i, widgetId: $w) { id } }`,
      {
        w: id,
        i: {
          name: 'Pricing help',
          message: 'Questions about plans? We’re here.',
          urlPattern: 'https://acme.test/pricing*',
          minSecondsOnPage: 20,
        },
      },
      { cookie },
    );

    for (const locale of ['en', 'ko'] as const) {
      for (const [label, viewport, scheme] of [
        ['desktop', DESKTOP, 'light'],
        ['desktop-dark', DESKTOP, 'dark'],
        ['phone', PHONE, 'light'],
      ] as const) {
        const page = await asAdmin({ locale, viewport, scheme });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${app.url}/app/settings/channels/widget`);
        expect(serious(await axeViolations(page))).toEqual([]);
        await screenshot(page, `settings-widgets-${locale}-${label}`);
        await page.goto(`${app.url}/app/settings/channels/widget/${id}`);
        await launcherIn(page.frameLocator('[data-preview-frame]')).waitFor();
        expect(serious(await axeViolations(page))).toEqual([]);
        await screenshot(page, `settings-widget-editor-${locale}-${label}`);
        if (label !== 'phone') {
          await page.locator('#sec-identity').scrollIntoViewIfNeeded();
          await screenshot(page, `settings-widget-editor-lower-${locale}-${label}`, { fullPage: false });
        }
        await page.goto(`${app.url}/app/settings/business-hours`);
        await page.locator('details.hours summary').first().click();
        expect(serious(await axeViolations(page))).toEqual([]);
        await screenshot(page, `settings-business-hours-${locale}-${label}`);
        expect(errors).toEqual([]);
      }
    }
  });

  async function adminCookie() {
    const r = await app.gql<{ login: { csrfToken: string } }>(
      `mutation($i: LoginInput!) { login(input: $i) { csrfToken } }`,
      { i: app.admin },
    );
    return { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] };
  }
});
