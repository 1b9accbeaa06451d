import type { Browser, Page } from 'playwright-core';
import { TicketsService } from '../../../src/tickets/tickets.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { signedIn } from '../../helpers/workspace';

/** An agent's day in the workspace, in Chromium: live inbox, live timeline, assign, reply, note, solve. */
describe('workspace journeys', () => {
  let app: TestApp;
  let browser: Browser;
  let f: ReturnType<typeof factories>;
  let sarah: AgentWithCredentials;
  let minjun: AgentWithCredentials;
  const creds = (a: AgentWithCredentials) => ({ email: a.agent.email, password: a.password });

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    f = factories(app.app);
    sarah = await f.agent({ name: 'Sarah Lee' });
    minjun = await f.agent({ name: 'Minjun Kim' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const flash = (page: Page) => page.locator('[data-flash]').textContent();

  it('shows a customer message that arrives while the ticket is open, without a reload', async () => {
    const { ticket, conversation } = await f.conversationTicket({ subject: 'Where is my order?' });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah));
    await page.goto(`${app.url}/app/tickets/${ticket.number}?view=open`);
    await page.evaluate('window.__sameDocument = true');
    await f.customerMessage(conversation.id, 'It was supposed to arrive yesterday.');
    await page.locator('.msg--customer', { hasText: 'It was supposed to arrive yesterday.' }).waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await ctx.close();
  });

  it('counts a new ticket live and offers it with an "N new" pill instead of moving the list', async () => {
    await f.conversationTicket({ subject: 'First in line' });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah));
    await page.goto(`${app.url}/app/inbox/unassigned`);
    await page.waitForSelector('html[data-live=connected]');
    await page.waitForTimeout(300);
    const count = Number(await page.locator('[data-count=unassigned]').textContent());
    const firstRow = await page.locator('[data-ticket-row]').first().getAttribute('data-id');
    const { ticket } = await f.conversationTicket({ subject: 'Just arrived' });
    await page.locator('[data-count=unassigned]', { hasText: String(count + 1) }).waitFor();
    await page.locator('[data-new-pill]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-new-pill]').textContent()).toContain('1 new');
    expect(await page.locator('[data-ticket-row]').first().getAttribute('data-id')).toBe(firstRow);
    await page.click('[data-new-pill]');
    await page.locator(`[data-ticket-row][data-id="${ticket.id}"]`).waitFor();
    expect(await page.locator('[data-ticket-row]').first().getAttribute('data-id')).toBe(ticket.id);
    await ctx.close();
  });

  it('assigns to me, replies, adds a note with a mention and solves', async () => {
    const { ticket } = await f.conversationTicket({
      subject: 'Refund please',
      requester: { email: 'dana@example.test', name: 'Dana' },
    });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah));
    await page.goto(`${app.url}/app/tickets/${ticket.number}?view=unassigned`);

    await page.click('[data-assign-me]');
    expect(await flash(page)).toBe('The ticket is yours now.');
    expect(await page.locator('[data-assign-me]').count()).toBe(0);
    expect(await page.locator('.tl-event').last().textContent()).toContain(
      'Sarah Lee assigned the ticket to Sarah Lee',
    );

    await page.fill('[data-composer-body]', 'Thanks Dana, the refund is on its way.');
    await page.click('[data-send]');
    expect(await flash(page)).toBe('Reply sent.');
    await page.locator('.msg--team', { hasText: 'the refund is on its way' }).waitFor();

    await page.click('label:has(input[value=note])');
    await page.locator('[data-composer-body]').pressSequentially('Checking with @Min');
    await page.locator('[data-mention-list] li', { hasText: 'Minjun Kim' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-composer-body]').pressSequentially('about the bank fee.');
    expect(await page.inputValue('[data-composer-body]')).toContain(`@[Minjun Kim](agent:${minjun.agent.id})`);
    await page.click('[data-send]');
    expect(await flash(page)).toBe('Note added.');
    const note = page.locator('.msg--note').last();
    expect(await note.textContent()).toContain('@Minjun Kim about the bank fee.');
    expect(await note.locator('.note-label').textContent()).toContain('Note');
    const [row] = await app.dataSource.query('SELECT mention_ids FROM ticket_note WHERE ticket_id = $1', [ticket.id]);
    expect(row.mention_ids).toEqual([minjun.agent.id]);

    await page.fill('[data-composer-body]', 'Anything else I can do?');
    await page.click('.split__caret');
    await page.click('[data-send-status=solved]');
    expect(await flash(page)).toBe('Reply sent; the ticket is now Solved.');
    expect(await page.locator('.ticket__sub .status').textContent()).toContain('Solved');
    const solved = await app.app.get(TicketsService).get(sarah.actor, ticket.id);
    expect(solved).toMatchObject({ status: 'solved', assigneeId: sarah.agent.id });
    await ctx.close();
  });

  it('saves properties with the ticket version and explains a conflict', async () => {
    const { ticket } = await f.conversationTicket({ subject: 'Priority check' });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah));
    await page.goto(`${app.url}/app/tickets/${ticket.number}`);
    await page.click('label[for=panel-toggle]');
    await page.selectOption('[data-panel-form] select[name=priority]', 'high');
    await page.fill('[data-panel-form] input[name=tags]', 'vip, refund');
    await page.click('[data-panel-save]');
    expect(await flash(page)).toBe('Ticket updated.');
    expect((await app.app.get(TicketsService).get(sarah.actor, ticket.id)).tags).toEqual(['vip', 'refund']);

    await page.click('label[for=panel-toggle]');
    await page.selectOption('[data-panel-form] select[name=priority]', 'urgent');
    await app.app.get(TicketsService).update(minjun.actor, ticket.id, { priority: 'low' });
    await page.locator('[data-panel-stale]').waitFor();
    await page.click('[data-panel-save]');
    expect(await flash(page)).toContain('Someone else changed this ticket meanwhile');
    expect((await app.app.get(TicketsService).get(sarah.actor, ticket.id)).priority).toBe('low');
    await ctx.close();
  });

  it('keeps a draft across reloads and sends attachments uploaded through POST /files', async () => {
    const { ticket } = await f.conversationTicket({ subject: 'Invoice copy' });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah));
    await page.goto(`${app.url}/app/tickets/${ticket.number}`);
    await page.fill('[data-composer-body]', 'Here is the invoice you asked for.');
    await page.locator('[data-draft-state]', { hasText: 'Draft saved' }).waitFor();
    await page.reload();
    expect(await page.inputValue('[data-composer-body]')).toBe('Here is the invoice you asked for.');
    await page.setInputFiles('[data-attach]', {
      name: 'invoice.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('INV-1 total 10 EUR'),
    });
    await page.locator('[data-files] input[name=attachmentIds]').waitFor({ state: 'attached' });
    await page.click('[data-send]');
    expect(await flash(page)).toBe('Reply sent.');
    await page.locator('.msg--team .file', { hasText: 'invoice.txt' }).waitFor();
    expect(await page.inputValue('[data-composer-body]')).toBe('');
    await page.reload();
    expect(await page.inputValue('[data-composer-body]')).toBe('');
    await ctx.close();
  });

  it('moves through tickets and the composer with the keyboard', async () => {
    await f.conversationTicket({ subject: 'Keyboard one' });
    await f.conversationTicket({ subject: 'Keyboard two' });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah));
    await page.goto(`${app.url}/app/inbox/open`);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await page.locator('[data-ticket-row].is-cursor').count()).toBe(1);
    const second = await page.locator('[data-ticket-row]').nth(1).getAttribute('data-id');
    expect(await page.locator('[data-ticket-row].is-cursor').getAttribute('data-id')).toBe(second);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/tickets\/\d+/);
    await page.keyboard.press('n');
    expect(await page.locator('input[name=mode][value=note]').isChecked()).toBe(true);
    expect(await page.evaluate('document.activeElement.name')).toBe('body');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    expect(await page.locator('input[name=mode][value=reply]').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    expect(await page.locator('dialog#shortcuts').getAttribute('open')).not.toBeNull();
    await page.keyboard.press('Escape');
    await page.keyboard.press('a');
    expect(await flash(page)).toBe('The ticket is yours now.');
    await ctx.close();
  });
});
