import type { Browser, Page } from 'playwright-core';
import { InboundRepository } from '../../../src/channels/email/inbound/inbound.repository';
import { IntakeService } from '../../../src/channels/email/inbound/intake.service';
import { MailboxesService } from '../../../src/channels/email/mailboxes/mailboxes.service';
import { SYSTEM_ACTOR } from '../../../src/common/auth/actor';
import { AgentsService } from '../../../src/identity/agents.service';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { axeViolations, DESKTOP, PHONE, signedIn, smallTapTargets } from '../../helpers/workspace';

/**
 * Settings → Channels → Email in a browser: the mailbox list, the mailbox form, a new mailbox
 * and the failed mails, in English and Korean (screenshots under test-artifacts/screenshots/,
 * axe-core on each), and an admin creating a mailbox through the form.
 */
describe('email settings in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let mailboxId: string;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    const group = await app.app.get(AgentsService).createGroup(SYSTEM_ACTOR, { name: 'Billing', description: '' });
    const mailboxes = app.app.get(MailboxesService);
    const { mailbox } = await mailboxes.create(SYSTEM_ACTOR, {
      address: 'support@acme.test',
      name: 'Acme Support',
      senderName: 'Acme Support',
      groupId: group.id,
      signature: 'The Acme team',
      isDefault: true,
      smtp: {
        host: 'smtp.acme.test',
        port: 587,
        security: 'starttls',
        user: 'support@acme.test',
        password: 'pw-4711-x',
      },
    });
    mailboxId = mailbox.id;
    await mailboxes.create(SYSTEM_ACTOR, {
      address: 'billing@acme.test',
      name: '결제 문의',
      locale: 'ko',
      brandColor: '#0f766e',
      ackEnabled: false,
      imap: {
        enabled: true,
        host: 'imap.acme.test',
        port: 993,
        tls: true,
        user: 'billing@acme.test',
        password: 'pw-0815-y',
      },
    });
    await app.dataSource.query(
      `UPDATE email_mailbox SET imap_last_error = 'Authentication failed: invalid credentials' WHERE address = 'billing@acme.test'`,
    );
    const intake = app.app.get(IntakeService);
    const repo = app.app.get(InboundRepository);
    const failed = [
      [
        'From: =?UTF-8?B?6rmA66-87KeA?= <minji@example.kr>\r\nSubject: =?UTF-8?B?7ZmY67aI7JqU7LKt?=\r\n',
        'parse: truncated multipart body',
      ],
      ['From: robot@shop.test\r\nSubject: Your order #8812\r\n', 'parse: invalid Content-Transfer-Encoding "x-uue"'],
    ];
    for (const [i, [head, error]] of failed.entries()) {
      const stored = await intake.store({
        raw: Buffer.from(`${head}Message-ID: <failed-${i}@example.test>\r\n\r\nbody`),
        source: i ? 'imap' : 'smtp',
        mailboxId,
      });
      await repo.markFailed(stored.id, error);
      await app.dataSource.query(`UPDATE email_inbound SET from_address = $2, subject = $3 WHERE id = $1`, [
        stored.id,
        i ? 'robot@shop.test' : 'minji@example.kr',
        i ? 'Your order #8812' : '환불 요청',
      ]);
    }
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const open = async (page: Page, path: string) => {
    await page.goto(`${app.url}${path}`);
    await page.evaluate('document.fonts.ready');
  };

  for (const locale of ['en', 'ko'] as const) {
    for (const [label, viewport, scheme] of [
      ['desktop', DESKTOP, 'light'],
      ['desktop', DESKTOP, 'dark'],
      ['phone', PHONE, 'light'],
    ] as const) {
      it(`renders the email settings (${locale}, ${label}, ${scheme}) without accessibility problems`, async () => {
        const { ctx, page } = await signedIn(browser, app.url, app.admin, {
          viewport,
          scheme: scheme,
          locale,
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const problems: string[] = [];
        for (const [name, path] of [
          ['mailboxes', '/app/settings/email'],
          ['mailbox', `/app/settings/email/${mailboxId}`],
          ['new-mailbox', '/app/settings/email/new'],
          ['failed', '/app/settings/email/failed'],
        ]) {
          await open(page, path);
          const text = await page.locator('main').innerText();
          expect(text).not.toContain('pw-4711-x');
          expect(text).toContain(locale === 'ko' ? '이메일' : 'Email');
          await screenshot(page, `email-settings-${name}-${locale}-${label}-${scheme}`, { fullPage: true });
          problems.push(
            ...(await axeViolations(page)).map(
              (v) => `${name}: ${v.id} ${v.help} ${v.nodes[0]?.target.join(' ') ?? ''}`,
            ),
          );
          if (label === 'phone') problems.push(...(await smallTapTargets(page)).map((t) => `${name}: small ${t}`));
        }
        expect(problems).toEqual([]);
        expect(errors).toEqual([]);
        await ctx.close();
      }, 90_000);
    }
  }

  it('lets an admin create a mailbox through the form and retry a failed mail', async () => {
    const { ctx, page } = await signedIn(browser, app.url, app.admin, { locale: 'en' });
    await open(page, '/app/settings/email/new');
    await page.fill('input[name=address]', 'sales@acme.test');
    await page.fill('input[name=name]', 'Acme Sales');
    await page.selectOption('select[name=groupId]', { label: 'Billing' });
    await page.uncheck('input[name=ackEnabled]');
    await page.fill('input[name=smtpHost]', 'smtp.acme.test');
    await page.fill('input[name=smtpPassword]', 'typed-secret-123');
    await page.click('.form__actions--bar button[type=submit]:not([name])');
    await page.waitForSelector('.callout--ok');
    expect(await page.locator('.callout--ok').innerText()).toContain('Webhook secret');
    expect(await page.content()).not.toContain('typed-secret-123');
    const [row] = await app.dataSource.query<Array<{ ack_enabled: boolean; smtp_password_enc: string | null }>>(
      `SELECT ack_enabled, smtp_password_enc FROM email_mailbox WHERE address = 'sales@acme.test'`,
    );
    expect(row.ack_enabled).toBe(false);
    expect(row.smtp_password_enc).toBeTruthy();

    await open(page, '/app/settings/email/failed');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await page.locator('a[download]').first().getAttribute('href')).toMatch(/^\/email\/inbound\/\d+\/raw$/);
    await rows.first().locator('button[type=submit]').click();
    await page.waitForSelector('.flash, [role=status]');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await ctx.close();
  }, 60_000);
});
