import type { Browser, Locator, Page } from 'playwright-core';
import { CannedResponsesService } from '../../../src/automation/canned-responses.service';
import { MacrosService } from '../../../src/automation/macros.service';
import { SYSTEM_ACTOR } from '../../../src/common/auth/actor';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { axeViolations, DESKTOP, PHONE, signedIn, type AxeViolation } from '../../helpers/workspace';

/**
 * An agent applies a macro and a canned response from the keyboard, sends, and saves a view;
 * then the new pages and the pickers in English and Korean, checked with axe.
 */
describe('workspace: macros, canned responses and saved views in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let dana: AgentWithCredentials;
  let number: number;
  let ticketId: string;
  const problems: string[] = [];
  const violations = (where: string, list: AxeViolation[]) =>
    list.map(
      (v) => `${where}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
    );

  beforeAll(async () => {
    app = await startTestApp({ SORI_DEMO: '1' });
    browser = await launchBrowser();
    dana = await factories(app.app).agent({ name: 'Dana Lee' });
    const admin = (await app.dataSource.query(`SELECT id FROM agent WHERE email = $1`, [app.admin.email]))[0] as {
      id: string;
    };
    const adminActor = { ...SYSTEM_ACTOR, kind: 'agent' as const, agentId: admin.id, via: 'session' as const };
    const macros = app.app.get(MacrosService);
    await macros.create(adminActor, {
      name: 'Refund approved',
      description: 'Pending, high priority, tag refund, reply with the next steps',
      actions: [
        { type: 'status', value: 'pending' },
        { type: 'priority', value: 'high' },
        { type: 'add_tags', value: ['refund'] },
        {
          type: 'insert_text',
          mode: 'reply',
          value: 'Hi {{contact.first_name}}, your refund for #{{ticket.number}} is approved.',
        },
      ],
    });
    await macros.create(adminActor, {
      name: 'Escalate to tier 2',
      description: 'Urgent, note for the team',
      actions: [
        { type: 'priority', value: 'urgent' },
        { type: 'insert_text', mode: 'note', value: 'Escalating: {{ticket.subject}}' },
      ],
    });
    await macros.create(adminActor, { name: 'Close as spam', actions: [{ type: 'add_tags', value: ['spam'] }] });
    const canned = app.app.get(CannedResponsesService);
    await canned.create(adminActor, {
      shortcut: 'thanks',
      title: 'Thank you',
      body: 'Thanks for your patience, {{contact.first_name}}. — {{agent.name}}',
      shared: true,
    });
    await canned.create(adminActor, {
      shortcut: 'hours',
      title: 'Opening hours',
      body: 'We answer 9–18 KST.',
      shared: true,
    });
    const [t] = await app.dataSource.query<Array<{ id: string; number: string }>>(
      `SELECT id, number FROM ticket WHERE subject = $1`,
      ['Refund for duplicate charge'],
    );
    number = Number(t.number);
    ticketId = t.id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('applies a macro and a canned response from the keyboard, sends, and saves a view with its count', async () => {
    const { ctx, page } = await signedIn(browser, app.url, { email: dana.agent.email, password: dana.password });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/app/tickets/${number}?view=open`);
    await page.waitForSelector('html[data-live=connected]');
    const body = page.locator('#composer-body');
    await body.fill('Hello,');
    await body.press('Escape');
    // "m" opens the macro picker with its search focused; type, arrow down, Enter
    await page.keyboard.press('m');
    await page.locator('#macro-search').waitFor({ state: 'visible' });
    expect(await page.evaluate('document.activeElement.id')).toBe('macro-search');
    await page.keyboard.type('refund');
    expect(await page.locator('[data-picker="macro"] [data-picker-row]:visible').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await valueContaining(body, 'approved');
    expect(await body.inputValue()).toBe(`Hello,\n\nHi Daniel, your refund for #${number} is approved.`);
    const [after] = await app.dataSource.query<Array<{ status: string; priority: string; tags: string[] }>>(
      `SELECT status, priority, tags FROM ticket WHERE id = $1`,
      [ticketId],
    );
    expect(after).toMatchObject({ status: 'pending', priority: 'high' });
    expect(after.tags).toContain('refund');
    // the header and panel follow live (the same subscription as any other change)
    await page.locator('[data-ticket-head] .status--pending').waitFor({ timeout: 5000 });
    expect(await page.locator('#panel-status').inputValue()).toBe('pending');
    await screenshot(page, 'automation-macro-applied-en', { fullPage: false });

    // "/tha" offers the canned response; Enter inserts it with the variables filled
    await body.press('End');
    await page.keyboard.type('\n/tha');
    await page.locator('[data-canned-list] [role=option]').first().waitFor();
    await screenshot(page, 'automation-canned-suggest-en', { fullPage: false });
    problems.push(...violations('canned suggestions en', await axeViolations(page)));
    await page.keyboard.press('Enter');
    await valueContaining(body, 'patience');
    expect(await body.inputValue()).toBe(
      `Hello,\n\nHi Daniel, your refund for #${number} is approved.\nThanks for your patience, Daniel. — Dana Lee`,
    );
    await Promise.all([page.waitForURL(/#latest$/), page.keyboard.press('Control+Enter')]);
    await page.locator('.msg', { hasText: 'Thanks for your patience, Daniel. — Dana Lee' }).waitFor();

    // save a search as a view; it shows up in the inbox with its count
    await page.goto(`${app.url}/app/search?priority=high&status=pending`);
    await page.click('.save-view > summary');
    await page.fill('.save-view input[name=name]', 'High and waiting');
    await Promise.all([page.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}$/), page.click('.save-view button[type=submit]')]);
    const viewId = page.url().split('/').pop()!;
    const count = page.locator(`[data-count="${viewId}"]`);
    expect(await count.textContent()).toBe('1');
    expect(await page.locator('#list-title').textContent()).toBe('High and waiting');
    await screenshot(page, 'automation-saved-view-en', { fullPage: false });
    problems.push(...violations('saved view en', await axeViolations(page)));
    expect(errors).toEqual([]);
    await ctx.close();
  }, 90_000);

  for (const locale of ['en', 'ko'] as const) {
    it(`shows the new pages and the pickers in ${locale} (desktop and phone) without accessibility problems`, async () => {
      for (const [label, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const { ctx, page } = await signedIn(browser, app.url, app.admin, { viewport, locale });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        for (const [name, path] of [
          ['settings-macros', '/app/settings/macros'],
          ['settings-canned', '/app/settings/canned'],
          ['your-canned', '/app/canned'],
          ['views', '/app/views'],
        ] as const) {
          await open(page, `${app.url}${path}`);
          if (name === 'settings-macros') await page.click('.macro-list details > summary >> nth=0');
          await screenshot(page, `automation-${name}-${locale}-${label}`, { fullPage: label === 'desktop' });
          problems.push(...violations(`${name} ${locale} ${label}`, await axeViolations(page)));
        }
        await open(page, `${app.url}/app/tickets/${number}?view=open`);
        await page.click('[data-picker="macro"] > summary');
        await page.locator('#macro-search').waitFor({ state: 'visible' });
        await screenshot(page, `automation-macro-picker-${locale}-${label}`, { fullPage: false });
        problems.push(...violations(`macro picker ${locale} ${label}`, await axeViolations(page)));
        await page.keyboard.press('Escape');
        await page.click('[data-picker="canned"] > summary');
        await page.locator('#canned-search').waitFor({ state: 'visible' });
        await screenshot(page, `automation-canned-picker-${locale}-${label}`, { fullPage: false });
        problems.push(...violations(`canned picker ${locale} ${label}`, await axeViolations(page)));
        expect(errors).toEqual([]);
        await ctx.close();
      }
    }, 120_000);
  }

  it('has no serious or critical axe violations on these screens', () => {
    expect(problems).toEqual([]);
  });
});

/** Waits until a text box holds the text (the page's CSP forbids evaluating strings). */
async function valueContaining(box: Locator, text: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await box.inputValue()).includes(text)) {
    if (Date.now() > until) throw new Error(`the text box never contained "${text}": ${await box.inputValue()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(150);
}
