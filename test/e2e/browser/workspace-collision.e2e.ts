import type { Browser } from 'playwright-core';
import { TicketRepliesService } from '../../../src/conversations/ticket-replies.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { signedIn } from '../../helpers/workspace';

/** Two agents on one ticket: presence, live "someone replied" warning, and the server's own check. */
describe('collision detection', () => {
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

  it('shows who else views and replies, and warns before sending after a teammate replied', async () => {
    const { ticket } = await f.conversationTicket({ subject: 'Both of us?' });
    const a = await signedIn(browser, app.url, creds(sarah));
    const b = await signedIn(browser, app.url, creds(minjun));
    const url = `${app.url}/app/tickets/${ticket.number}`;
    await a.page.goto(url);
    await b.page.goto(url);
    await a.page.locator('[data-presence]', { hasText: 'Minjun Kim is viewing' }).waitFor();
    await b.page.locator('[data-presence]', { hasText: 'Sarah Lee is viewing' }).waitFor();

    await b.page.fill('[data-composer-body]', 'I can take this one.');
    await b.page.locator('[data-composer-body]').press('End');
    await a.page.locator('[data-presence]', { hasText: 'Minjun Kim is replying' }).waitFor();

    await a.page.fill('[data-composer-body]', 'Let me check the order.');
    await b.page.click('[data-send]');
    await b.page.locator('[data-flash]', { hasText: 'Reply sent.' }).waitFor();

    const warning = a.page.locator('[data-collision-live]');
    await warning.waitFor({ state: 'visible' });
    expect(await warning.textContent()).toContain('Minjun Kim just replied to the customer');
    await a.page.locator('.msg--team', { hasText: 'I can take this one.' }).waitFor();

    await a.page.click('[data-send]');
    const anyway = warning.locator('button', { hasText: 'Send anyway' });
    await anyway.waitFor();
    expect(new URL(a.page.url()).pathname).toBe(`/app/tickets/${ticket.number}`);
    const before = await app.dataSource.query('SELECT count(*)::int AS n FROM message WHERE ticket_id = $1', [
      ticket.id,
    ]);
    expect(before[0].n).toBe(2);
    await anyway.click();
    await a.page.locator('[data-flash]', { hasText: 'Reply sent.' }).waitFor();
    await a.page.locator('.msg--team', { hasText: 'Let me check the order.' }).waitFor();
    await a.ctx.close();
    await b.ctx.close();
  });

  it('without script, the server asks again when a teammate replied since the page was opened', async () => {
    const { ticket } = await f.conversationTicket({ subject: 'No script here' });
    const { ctx, page } = await signedIn(browser, app.url, creds(sarah), { javaScript: false });
    await page.goto(`${app.url}/app/tickets/${ticket.number}`);
    await page.fill('[data-composer-body]', 'My answer, written slowly.');
    await app.app.get(TicketRepliesService).reply(minjun.actor, {
      ticketId: ticket.id,
      body: 'Already answered!',
      bodyFormat: 'TEXT',
    });
    await page.click('[data-send]');
    expect(await page.locator('[data-collision-server]').textContent()).toContain(
      'Minjun Kim replied while you were writing',
    );
    expect(await page.inputValue('[data-composer-body]')).toBe('My answer, written slowly.');
    expect(await page.locator('.msg--team', { hasText: 'Already answered!' }).count()).toBe(1);
    await page.click('[data-send]');
    expect(await page.locator('[data-flash]').textContent()).toBe('Reply sent.');
    const rows = await app.dataSource.query(
      `SELECT body_text FROM message WHERE ticket_id = $1 AND author_kind = 'agent' ORDER BY id`,
      [ticket.id],
    );
    expect(rows.map((r: { body_text: string }) => r.body_text)).toEqual([
      'Already answered!',
      'My answer, written slowly.',
    ]);
    await ctx.close();
  });
});
