import type { Browser } from 'playwright-core';
import { MailService } from '../../../src/common/mail/mail.service';
import { launchBrowser, screenshot } from '../../helpers/browser';
import { startTestApp, type TestApp } from '../../helpers/test-app';

describe('sign-in pages in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app.stop();
  });

  for (const locale of ['en', 'ko'] as const) {
    for (const [label, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        it(`renders the sign-in page (${locale}, ${label}, ${scheme})`, async () => {
          const ctx = await browser.newContext({
            viewport,
            colorScheme: scheme,
            locale: locale === 'ko' ? 'ko-KR' : 'en-US',
          });
          const page = await ctx.newPage();
          await page.goto(`${app.url}/app/login`);
          await page.evaluate('document.fonts.ready');
          const heading = await page.textContent('h1');
          expect(heading).toBe(locale === 'ko' ? 'Sori에 로그인' : 'Sign in to Sori');
          await screenshot(page, `login-${locale}-${label}-${scheme}`);
          await ctx.close();
        });
      }
    }
  }

  it('signs in, lands on the workspace, and signs out', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${app.url}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await page.fill('#email', app.admin.email);
    await page.fill('#password', 'wrong password');
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=alert]')).toContain('Email or password is wrong');
    await page.fill('#password', app.admin.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/app`);
    expect(await page.textContent('h1')).toBe('Mine');
    const cookies = await ctx.cookies();
    const session = cookies.find((c) => c.name === 'sori_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.click('summary.avatar-btn');
    await page.click('form[action="/app/logout"] button[type=submit]');
    await page.waitForURL(/\/app\/login\?signedOut=1/);
    await page.goto(`${app.url}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await ctx.close();
  });

  it('switches to Korean and remembers it', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${app.url}/app/login?lang=ko`);
    await page.goto(`${app.url}/app/forgot-password`);
    expect(await page.textContent('h1')).toBe('비밀번호 재설정');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await ctx.close();
  });

  it('resets a forgotten password through the mailed link', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${app.url}/app/forgot-password`);
    await page.fill('#email', app.admin.email);
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=status]')).toContain(app.admin.email);
    const mail = app.app.get(MailService).outbox.find((m) => m.purpose === 'password_reset');
    const link = /http\S+\/app\/reset-password\/\S+/.exec(mail!.text)![0];
    await page.goto(link.replace(/^https?:\/\/[^/]+/, app.url));
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=alert]')).toContain('at least 10');
    await page.fill('#password', 'a-brand-new-password');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/app\/login\?reset=1/);
    await page.fill('#email', app.admin.email);
    await page.fill('#password', 'a-brand-new-password');
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/app`);
    app.admin.password = 'a-brand-new-password';
    await ctx.close();
  });
});

describe('form CSRF protection', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.stop());

  it('refuses a sign-in form posted without the CSRF token', async () => {
    const res = await fetch(`${app.url}/app/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: app.admin.email, password: app.admin.password }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('sori_session=');
  });

  it('refuses a sign-out posted from another site (no session CSRF token)', async () => {
    const cookie = await app.login(app.admin.email, app.admin.password);
    const res = await fetch(`${app.url}/app/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: '',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    const me = await app.gql('{ me { id } }', {}, { cookie });
    expect(me.errors).toBeUndefined();
  });

  it('escapes hostile values echoed back into the form', async () => {
    const page = await fetch(`${app.url}/app/login?next=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    const html = await page.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });
});
