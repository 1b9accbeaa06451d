import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { axeViolations, DESKTOP, PHONE, signedIn } from '../../helpers/workspace';
import { launcher, panel, ticketNumberOf } from './widget-page';

jest.setTimeout(120_000);

const FIELDS = [
  { key: 'name', label: 'Your name', required: false },
  { key: 'custom:order', type: 'text', label: 'Order number', labelKo: '주문 번호', required: true },
  {
    key: 'custom:topic',
    type: 'select',
    label: 'Topic',
    labelKo: '문의 유형',
    options: ['Billing', 'Shipping', 'Other'],
    required: true,
  },
  { key: 'custom:size', type: 'number', label: 'Company size', labelKo: '회사 규모', required: false },
  {
    key: 'custom:agree',
    type: 'checkbox',
    label: 'I agree to the privacy policy',
    labelKo: '개인정보 처리방침에 동의해요',
    required: true,
  },
];

/** Custom pre-chat questions in Chromium: the visitor answers them in the widget, the agent reads the answers. */
describe('widget custom pre-chat questions', () => {
  let app: TestApp;
  let browser: Browser;
  let widgetId: string;
  let site: HostPage;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    const login = await app.gql(`mutation($i: LoginInput!) { login(input: $i) { csrfToken } }`, { i: app.admin });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const r = await app.gql<{ createWidget: { widget: { id: string } } }>(
      `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id } } }`,
      { i: { name: 'Acme Shop', preChatFields: FIELDS } },
      { cookie },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    widgetId = r.data!.createWidget.widget.id;
    site = await startHostPage(
      `<script>window.Sori=window.Sori||function(){(Sori.q=Sori.q||[]).push(arguments)}</script>` +
        `<script async src="${app.url}/widget.js" data-sori-widget="${widgetId}"></script>`,
    );
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await site?.close();
    await browser?.close();
    await app?.stop();
  });

  const visit = async (locale: 'en' | 'ko', viewport = DESKTOP): Promise<Page> => {
    const ctx = await browser.newContext({ viewport, locale: locale === 'ko' ? 'ko-KR' : 'en-US' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(site.url);
    return page;
  };
  const openPrechat = async (page: Page, title: string) => {
    await launcher(page).click();
    await panel(page).locator('.home .primary').click();
    const form = panel(page).locator('form.card', { hasText: title });
    await form.waitFor();
    return form;
  };

  it('asks the questions with proper inputs, shows errors inline, and the agent sees the answers', async () => {
    const page = await visit('en');
    const form = await openPrechat(page, 'Before we start');
    expect(await form.locator('label').allInnerTexts()).toEqual([
      'Your name',
      'Order number *',
      'Topic *',
      'Company size',
      'I agree to the privacy policy *',
    ]);
    expect(await form.getByLabel('Topic').evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await form.getByLabel('Company size').getAttribute('type')).toBe('number');
    expect(await form.getByLabel('I agree to the privacy policy').getAttribute('type')).toBe('checkbox');

    // nothing filled in: each required question says so under itself, and the first one gets the focus
    await form.getByRole('button', { name: 'Start' }).click();
    expect(await form.locator('.ferr:not(:empty)').allInnerTexts()).toEqual([
      'Please fill this in.',
      'Please choose one.',
      'Please tick this box.',
    ]);
    expect(await form.getByLabel('Order number').getAttribute('aria-invalid')).toBe('true');
    expect(
      await form
        .getByLabel('Order number')
        .evaluate((el) => el === (el.getRootNode() as { activeElement?: unknown }).activeElement),
    ).toBe(true);
    expect(await form.getByRole('textbox', { name: 'Order number' }).getAttribute('aria-describedby')).toBe(
      'sori-pc-custom-order-e',
    );
    await screenshot(page, 'widget-prechat-custom-errors-en', { fullPage: false });

    // the keyboard alone fills the form: type, pick a choice, tick the box with Space
    await form.getByLabel('Your name').fill('Jiwoo Kim');
    await form.getByLabel('Order number').fill('A-1024');
    await form.getByLabel('Topic').selectOption('Shipping');
    await form.getByLabel('Company size').fill('25');
    await form.getByLabel('I agree to the privacy policy').focus();
    await page.keyboard.press('Space');
    expect(await form.locator('.ferr:not(:empty)').count()).toBe(0); // each error went once put right
    await screenshot(page, 'widget-prechat-custom-en', { fullPage: false });
    await form.getByRole('button', { name: 'Start' }).click();
    const box = panel(page).locator('.composer textarea');
    await box.waitFor();
    await box.fill('My parcel has not arrived.');
    await box.press('Enter');
    await panel(page).locator('.me .bubble', { hasText: 'My parcel has not arrived.' }).waitFor();
    await panel(page).locator('.me .bubble.pending').waitFor({ state: 'detached' });

    // the agent's ticket page shows the answers beside the chat, labelled in the agent's language
    const number = await ticketNumberOf(app, page, widgetId);
    for (const locale of ['en', 'ko'] as const) {
      const { ctx, page: agentPage } = await signedIn(browser, app.url, app.admin, {
        locale,
        viewport: { width: 1680, height: 900 },
      });
      contexts.push(ctx);
      await agentPage.goto(`${app.url}/app/tickets/${number}`);
      const answers = agentPage.locator('[data-prechat-answers]');
      await answers.waitFor();
      expect(await answers.locator('dt').allInnerTexts()).toEqual(
        locale === 'en'
          ? ['Order number', 'Topic', 'Company size', 'I agree to the privacy policy']
          : ['주문 번호', '문의 유형', '회사 규모', '개인정보 처리방침에 동의해요'],
      );
      expect(await answers.locator('dd').allInnerTexts()).toEqual([
        'A-1024',
        'Shipping',
        '25',
        locale === 'en' ? 'Yes' : '예',
      ]);
      await answers.scrollIntoViewIfNeeded();
      await screenshot(agentPage, `ticket-prechat-answers-${locale}`, { fullPage: false });
    }
  });

  it('shows the Korean labels to a visitor reading Korean, on a phone too', async () => {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await visit('ko', viewport);
      const form = await openPrechat(page, '시작하기 전에');
      expect(await form.locator('label').allInnerTexts()).toEqual([
        'Your name',
        '주문 번호 *',
        '문의 유형 *',
        '회사 규모',
        '개인정보 처리방침에 동의해요 *',
      ]);
      expect(await form.getByLabel('문의 유형').locator('option').allInnerTexts()).toEqual([
        '선택하세요…',
        'Billing',
        'Shipping',
        'Other',
      ]);
      await form.getByRole('button', { name: '시작' }).click();
      expect(await form.locator('.ferr:not(:empty)').first().innerText()).toBe('이 항목을 입력해 주세요.');
      await screenshot(page, `widget-prechat-custom-ko-${label}`, { fullPage: false });
    }
  });

  it('lets an admin add, reorder and remove questions on the settings page, in English and Korean', async () => {
    const { ctx, page } = await signedIn(browser, app.url, app.admin, { locale: 'en' });
    contexts.push(ctx);
    await page.goto(`${app.url}/app/settings/channels/widget/${widgetId}`);
    const rows = page.locator('[data-custom-field]');
    expect(await rows.count()).toBe(6); // four questions and two empty rows
    // a new dropdown in the first empty row: its choices appear once the type is chosen
    const blank = rows.nth(4);
    await blank.getByLabel('Label (English)').fill('Preferred contact time');
    await blank.getByLabel('Label (Korean)').fill('연락 희망 시간');
    expect(await blank.getByLabel('Choices, one per line').isVisible()).toBe(false);
    await blank.getByLabel('Answer type').selectOption('select');
    await blank.getByLabel('Choices, one per line').fill('Morning\nAfternoon\nEvening');
    // the topic question moves up; the company size question goes
    await rows.nth(1).getByRole('button', { name: 'Move up' }).click();
    await page.locator('[data-custom-field]', { hasText: 'custom:size' }).getByLabel('Remove').check();
    await page.locator('[data-custom-field]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-widget-prechat-custom-editing-en', { fullPage: false });
    await page.locator('[data-widget-form] .savebar button[type=submit]').click();
    await page.locator('[data-flash="ok"]').waitFor();
    const [row] = await app.dataSource.query<Array<{ f: Array<{ key: string; options?: string[] }> }>>(
      `SELECT pre_chat_fields AS f FROM widget WHERE id = $1`,
      [widgetId],
    );
    expect(row.f.map((f) => f.key)).toEqual([
      'name',
      'custom:topic',
      'custom:order',
      'custom:agree',
      'custom:preferred_contact_time',
    ]);
    expect(row.f[4].options).toEqual(['Morning', 'Afternoon', 'Evening']);

    for (const locale of ['en', 'ko'] as const) {
      const { ctx: c, page: p } = await signedIn(browser, app.url, app.admin, { locale });
      contexts.push(c);
      await p.goto(`${app.url}/app/settings/channels/widget/${widgetId}`);
      expect(await axeViolations(p)).toEqual([]);
      await p.locator('#sec-custom-fields').scrollIntoViewIfNeeded();
      await screenshot(p, `settings-widget-prechat-custom-${locale}`, { fullPage: false });
    }
  });
});
