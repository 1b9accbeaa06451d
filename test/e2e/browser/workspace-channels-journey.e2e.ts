import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MacrosService } from '../../../src/automation/macros.service';
import { SmtpReceiverService } from '../../../src/channels/email/ways-in/smtp-receiver.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { waitUntil } from '../../helpers/email';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { axeViolations, PHONE, signedIn } from '../../helpers/workspace';
import { panel as widgetPanel, sendFromWidget, visitorToken } from './widget-page';

jest.setTimeout(120_000);

/**
 * Issue 5 in one go, in Chromium: "sign in; a customer email and a widget chat arrive and appear
 * without reload; assign, reply by email from a chat ticket, add a note with a mention, apply a
 * macro, solve" — through the real SMTP receiver, the embedded widget on a host page and an
 * outbound SMTP server standing in for the customer's.
 */
describe('workspace: the channels journey', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let site: HostPage;
  let browser: Browser;
  let sarah: AgentWithCredentials;
  let minjun: AgentWithCredentials;
  let widgetId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({
      JOBS_ENABLED: '1',
      EMAIL_SMTP_ENABLED: '1',
      EMAIL_SMTP_PORT: '0',
      EMAIL_SMTP_HOST: '127.0.0.1',
    });
    const f = factories(app.app);
    sarah = await f.agent({ role: 'admin', name: 'Sarah Lee' });
    minjun = await f.agent({ name: 'Minjun Kim' });
    const mailbox = await app.gql(
      `mutation($i: CreateMailboxInput!) { createMailbox(input: $i) { mailbox { id } } }`,
      {
        i: {
          address: 'support@acme.test',
          name: 'Acme Support',
          smtp: { host: '127.0.0.1', port: sink.port, security: 'none' },
        },
      },
      { token: sarah.token },
    );
    expect(mailbox.errors).toBeUndefined();
    const widget = await app.gql<{ createWidget: { widget: { id: string; embedSnippet: string } } }>(
      `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id embedSnippet } } }`,
      { i: { name: 'Acme Support', color: '#0f766e' } },
      { token: sarah.token },
    );
    expect(widget.errors).toBeUndefined();
    widgetId = widget.data!.createWidget.widget.id;
    site = await startHostPage(widget.data!.createWidget.widget.embedSnippet.replace(/http:\/\/localhost:0/g, app.url));
    await app.app.get(MacrosService).create(sarah.actor, {
      name: 'Shipping follow-up',
      description: 'High priority, tag shipping, reply with the delivery date',
      actions: [
        { type: 'priority', value: 'high' },
        { type: 'add_tags', value: ['shipping'] },
        { type: 'insert_text', mode: 'reply', value: 'Your replacement ships tomorrow, {{contact.first_name}}.' },
      ],
    });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await site?.close();
    await app?.stop();
    await sink?.close();
  });

  /** The flash of the page the form post led to (waited for: the previous page may still show its own). */
  const flashed = async (page: Page, text: string) => {
    await page.locator('[data-flash]', { hasText: text }).waitFor({ timeout: 30_000 });
    expect((await page.locator('[data-flash]').textContent())?.trim()).toBe(text);
  };
  const ticketOf = async (sql: string, params: unknown[]) =>
    waitUntil(
      () => app.dataSource.query<Array<{ id: string; number: string; subject: string }>>(sql, params),
      (rows) => rows.length === 1,
      20_000,
      sql,
    ).then((rows) => ({ ...rows[0], number: Number(rows[0].number) }));
  /** Waits for the "N new" pill of the live inbox, shows the new rows and returns the one named. */
  const arrives = async (page: Page, subject: string) => {
    await page.locator('[data-new-pill]').waitFor({ state: 'visible', timeout: 30_000 });
    await page.click('[data-new-pill]');
    const row = page.locator('[data-ticket-row]', { hasText: subject });
    await row.waitFor({ timeout: 30_000 });
    return row;
  };

  it('sign in; a customer email and a widget chat arrive live; assign, email from the chat, note, macro, solve', async () => {
    // sign in, on the inbox
    const { ctx, page } = await signedIn(browser, app.url, { email: sarah.agent.email, password: sarah.password });
    contexts.push(ctx);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/app/inbox/unassigned`);
    await page.waitForSelector('html[data-live=connected]');
    await page.evaluate('window.__sameDocument = true');

    // a customer email through the SMTP receiver appears without a reload
    const customer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: app.app.get(SmtpReceiverService).port as number,
      secure: false,
      ignoreTLS: true,
    });
    await customer.sendMail({
      from: '"Jisoo Han" <jisoo@customer.test>',
      to: 'support@acme.test',
      subject: 'Tent pole arrived bent',
      text: 'Hello, one of the tent poles in order #1042 arrived bent. Can you send a new one?',
      messageId: '<bent-pole-1042@customer.test>',
    });
    customer.close();
    await arrives(page, 'Tent pole arrived bent');
    const emailTicket = await ticketOf(`SELECT id, number, subject FROM ticket WHERE subject = $1`, [
      'Tent pole arrived bent',
    ]);
    expect(emailTicket.number).toBeGreaterThan(0);

    // a visitor on the customer's site chats through the widget; that ticket appears without a reload too
    const vctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
    contexts.push(vctx);
    const visitor = await vctx.newPage();
    await visitor.goto(site.url);
    await sendFromWidget(visitor, 'Hi! Which stove fits the Trail 2 tent?');
    const chatTicket = await ticketOf(
      `SELECT t.id, t.number, t.subject FROM ticket t JOIN conversation c ON c.ticket_id = t.id
        WHERE c.channel_kind = 'widget'`,
      [],
    );
    await arrives(page, chatTicket.subject);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    // the visitor leaves an email address (as the pre-chat form does) so the team can write back
    const session = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': await visitorToken(visitor, widgetId) },
      body: JSON.stringify({
        query: `mutation($i: WidgetVisitorInput!) { widgetUpdateVisitor(input: $i) { visitorId } }`,
        variables: { i: { name: 'Dana Cho', email: 'dana@customer.test' } },
      }),
    });
    expect(((await session.json()) as { errors?: unknown }).errors).toBeUndefined();

    // the agent opens the chat ticket: the visitor's pages and device are in the side panel
    await Promise.all([
      page.waitForURL(new RegExp(`/app/tickets/${chatTicket.number}`)),
      page.locator('[data-ticket-row]', { hasText: chatTicket.subject }).locator('a').first().click(),
    ]);
    await page.locator('.msg--customer', { hasText: 'Which stove fits the Trail 2 tent?' }).waitFor();
    const visitorPanel = page.locator('[data-visitor-context]');
    await visitorPanel
      .locator('[data-pages-viewed] a', { hasText: 'Acme – Home' })
      .first()
      .waitFor({ state: 'attached' });
    expect(await visitorPanel.locator('[data-visitor-device]').textContent()).toContain('Linux · desktop');

    // assign to me
    await page.click('[data-assign-me]');
    await flashed(page, 'The ticket is yours now.');
    expect(await page.locator('[data-assign-me]').count()).toBe(0);

    // reply by email from the chat ticket: a new email conversation with the visitor's address
    await page.selectOption('[data-via]', 'new:email');
    await page.fill('[data-composer-body]', 'Hi Dana, the Trail Stove Mini fits. I have sent you the manual.');
    await page.click('[data-send]');
    await flashed(page, 'Reply sent.');
    await page.locator('.msg--team', { hasText: 'the Trail Stove Mini fits' }).waitFor();
    const mail = await sink.waitForMailTo('dana@customer.test', 30_000);
    expect(mail.envelope.to).toEqual(['dana@customer.test']);
    expect((mail.parsed.from as { value: Array<{ address: string }> }).value[0].address).toBe('support@acme.test');
    expect(mail.header('message-id')).toMatch(
      new RegExp(`^<sori\\.${chatTicket.number}-[0-9a-f]{10}\\..+@acme\\.test>$`),
    );
    expect(mail.header('in-reply-to')).toBeUndefined();
    expect(mail.header('auto-submitted')).toBeUndefined();
    expect(mail.parsed.subject).toContain(`[#${chatTicket.number}]`);
    expect(mail.parsed.text).toContain('the Trail Stove Mini fits');
    const emailConversations = await app.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM conversation WHERE ticket_id = $1 AND channel_kind = 'email'`,
      [chatTicket.id],
    );
    expect(emailConversations).toHaveLength(1);
    await waitUntil(
      () =>
        app.dataSource.query<Array<{ delivery_state: string }>>(
          `SELECT delivery_state FROM message WHERE conversation_id = $1`,
          [emailConversations[0].id],
        ),
      (rows) => rows.length === 1 && rows[0].delivery_state === 'sent',
      20_000,
      'the email to be marked sent',
    );

    // a note with a mention, picked from the list
    await page.click('label:has(input[value=note])');
    await page.locator('[data-composer-body]').pressSequentially('Asking @Min');
    await page.locator('[data-mention-list] li', { hasText: 'Minjun Kim' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-composer-body]').pressSequentially('whether the stove is in stock.');
    await page.click('[data-send]');
    await flashed(page, 'Note added.');
    expect(await page.locator('.msg--note').last().textContent()).toContain(
      '@Minjun Kim whether the stove is in stock.',
    );
    const [note] = await app.dataSource.query<Array<{ mention_ids: string[] }>>(
      'SELECT mention_ids FROM ticket_note WHERE ticket_id = $1',
      [chatTicket.id],
    );
    expect(note.mention_ids).toEqual([minjun.agent.id]);

    // a macro from the composer's picker ("m"): sets the priority and a tag, inserts the reply
    const body = page.locator('#composer-body');
    await page.click('label:has(input[value=reply])');
    await body.fill('');
    await body.press('Escape');
    await page.keyboard.press('m');
    await page.locator('#macro-search').waitFor({ state: 'visible' });
    await waitUntil(
      () => page.evaluate<string>('document.activeElement && document.activeElement.id'),
      (id) => id === 'macro-search',
      15_000,
      'the macro search to take the focus',
    );
    await page.keyboard.type('shipping');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // polled from here: the page's CSP forbids the string evaluation an in-page wait would need
    await waitUntil(
      () => body.inputValue(),
      (v) => v.includes('Your replacement ships tomorrow, Dana.'),
      15_000,
      'the macro text in the composer',
    );
    const afterMacro = await waitUntil(
      () =>
        app.dataSource.query<Array<{ priority: string; tags: string[] }>>(
          `SELECT priority, tags FROM ticket WHERE id = $1`,
          [chatTicket.id],
        ),
      (rows) => rows[0].priority === 'high',
      10_000,
      'the macro to set the priority',
    );
    expect(afterMacro[0].tags).toContain('shipping');

    // solve, sending the macro's text to the chat
    const [chat] = await app.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM conversation WHERE ticket_id = $1 AND channel_kind = 'widget'`,
      [chatTicket.id],
    );
    await page.selectOption('[data-via]', chat.id);
    await page.click('.split__caret');
    await page.click('[data-send-status=solved]');
    await flashed(page, 'Reply sent; the ticket is now Solved.');
    expect(await page.locator('.ticket__sub .status').textContent()).toContain('Solved');
    await widgetPanel(visitor).getByText('Your replacement ships tomorrow, Dana.').waitFor();
    const [solved] = await app.dataSource.query<Array<{ status: string; assignee_id: string }>>(
      `SELECT status, assignee_id FROM ticket WHERE id = $1`,
      [chatTicket.id],
    );
    expect(solved).toEqual({ status: 'solved', assignee_id: sarah.agent.id });

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-channels-en', { fullPage: false });

    // the side panel with the visitor's context, in English and Korean
    for (const locale of ['en', 'ko'] as const) {
      await page.goto(`${app.url}/app/tickets/${chatTicket.number}?lang=${locale}`);
      await page.click('label[for=panel-toggle]');
      await page.locator('[data-visitor-context] [data-pages-viewed]').waitFor({ state: 'visible' });
      expect((await page.locator('#requester-visitor-title').textContent())?.trim()).toBe(
        locale === 'en' ? 'On your website' : '웹사이트 방문 정보',
      );
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `journey-visitor-panel-${locale}`, { fullPage: false });
    }
    // and in the dark theme and on a phone (the side panel is a drawer there)
    for (const [name, opts] of [
      ['journey-visitor-panel-dark-en', { scheme: 'dark' as const, locale: 'en' as const }],
      ['journey-visitor-panel-phone-ko', { viewport: PHONE, locale: 'ko' as const }],
    ] as const) {
      const other = await signedIn(browser, app.url, { email: sarah.agent.email, password: sarah.password }, opts);
      contexts.push(other.ctx);
      await other.page.goto(`${app.url}/app/tickets/${chatTicket.number}`);
      await other.page.click('label[for=panel-toggle]');
      await other.page.locator('[data-visitor-context] [data-pages-viewed]').scrollIntoViewIfNeeded();
      await other.page.locator('[data-visitor-context] [data-pages-viewed]').waitFor({ state: 'visible' });
      expect(await axeViolations(other.page)).toEqual([]);
      await screenshot(other.page, name, { fullPage: false });
    }
    expect(errors).toEqual([]);
  });
});
