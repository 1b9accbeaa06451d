import type { Browser, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../../src/common/auth/actor';
import { TicketFieldsService } from '../../../src/tickets/ticket-fields.service';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import {
  axeViolations,
  DESKTOP,
  PHONE,
  signedIn,
  smallTapTargets,
  type AxeViolation,
  type Scheme,
} from '../../helpers/workspace';

/**
 * Every main page of the workspace on the demo data: screenshots in English and Korean, light
 * and dark, desktop and phone (test-artifacts/screenshots/), and axe-core on each of them.
 */
describe('workspace pages: screenshots and accessibility', () => {
  let app: TestApp;
  let browser: Browser;
  let pages: Array<[name: string, path: string]>;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ SORI_DEMO: '1' });
    browser = await launchBrowser();
    await app.app.get(TicketFieldsService).create(SYSTEM_ACTOR, {
      key: 'order_number',
      label: 'Order number',
      labelKo: '주문 번호',
      type: 'text',
    });
    await app.app.get(TicketFieldsService).create(SYSTEM_ACTOR, {
      key: 'plan',
      label: 'Plan',
      labelKo: '요금제',
      type: 'dropdown',
      options: ['Free', 'Team', 'Enterprise'],
      required: true,
    });
    const [{ number }] = await app.dataSource.query(`SELECT number FROM ticket WHERE subject = $1`, [
      'Refund for duplicate charge',
    ]);
    const [{ id: contactId }] = await app.dataSource.query(`SELECT id FROM contact WHERE name = $1`, ['Daniel Carter']);
    const [{ id: orgId }] = await app.dataSource.query(`SELECT id FROM organization ORDER BY name LIMIT 1`);
    pages = [
      ['inbox', '/app/inbox/open'],
      ['ticket', `/app/tickets/${number}?view=open`],
      ['search', '/app/search?q=refund'],
      ['contacts', '/app/contacts'],
      ['contact', `/app/contacts/${contactId}`],
      ['organization', `/app/organizations/${orgId}`],
      ['profile', '/app/profile'],
      ['settings-agents', '/app/settings/agents'],
      ['settings-fields', '/app/settings/fields'],
    ];
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const describeViolations = (where: string, list: AxeViolation[]) =>
    list.map(
      (v) => `${where}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
    );

  for (const locale of ['en', 'ko'] as const) {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const scheme of ['light', 'dark'] as Scheme[]) {
        it(`renders every page (${locale}, ${label}, ${scheme}) without serious accessibility problems`, async () => {
          const { ctx, page } = await signedIn(browser, app.url, app.admin, { viewport, scheme, locale });
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          page.on('dialog', (d) => errors.push(`dialog: ${d.message()}`));
          for (const [name, path] of pages) {
            await open(page, `${app.url}${path}`);
            // what the agent sees on the screen: the app shell scrolls inside its panes
            await screenshot(page, `workspace-${name}-${locale}-${label}-${scheme}`, { fullPage: false });
            problems.push(...describeViolations(`${name} ${locale} ${label} ${scheme}`, await axeViolations(page)));
            if (label === 'phone')
              problems.push(...(await smallTapTargets(page)).map((t) => `${name} ${label}: small tap target ${t}`));
          }
          // the ticket again with its side panel open (a drawer below 1600 px) and the note composer
          await open(page, `${app.url}${pages[1][1]}`);
          await page.click('label:has(input[value=note])');
          await page.click('label[for=panel-toggle]');
          await page.waitForTimeout(200);
          await screenshot(page, `workspace-ticket-panel-${locale}-${label}-${scheme}`, { fullPage: false });
          problems.push(...describeViolations(`ticket-panel ${locale} ${label} ${scheme}`, await axeViolations(page)));
          expect(errors).toEqual([]);
          await ctx.close();
        }, 90_000);
      }
    }
  }

  it('has no serious or critical axe violations anywhere', () => {
    expect(problems).toEqual([]);
  });
});

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate('document.fonts.ready');
  // the page's own script settles (scroll to the latest message, presence)
  await page.waitForTimeout(150);
}
