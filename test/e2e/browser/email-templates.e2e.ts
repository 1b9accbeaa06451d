import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { renderEmail, type EmailLocale, type TemplateName } from '../../../src/channels/email/outbound/templates';
import { nodeModulesDir } from '../../../src/common/paths';
import { ARTIFACTS_DIR, launchBrowser, screenshot } from '../../helpers/browser';

const BRAND = { name: 'Acme Support', color: '#0f766e' };
const URL_OF_TICKET = 'https://help.acme.test/app/tickets/1042';

/** Sample data of each outbound template, as the composer fills it, in both languages. */
const SAMPLES: Record<EmailLocale, Array<[TemplateName, Record<string, unknown>]>> = {
  en: [
    [
      'agent-reply',
      {
        bodyHtml:
          '<p>Hi Daniel,</p><p>I refunded the duplicate charge of <strong>$49.00</strong>. It shows on your card within 5 business days.</p><p>Anything else, just reply here.</p>',
        bodyText:
          'Hi Daniel,\n\nI refunded the duplicate charge of $49.00. It shows on your card within 5 business days.\n\nAnything else, just reply here.',
        signature: 'Mina Park\nAcme Support',
        quote: {
          date: 'Nov 23, 2026, 9:12 AM UTC',
          from: 'Daniel Carter <daniel@example.com>',
          html: '<p>Hello, I was charged twice for order #8812. Could you refund one of them?</p>',
          quotedText: '> Hello, I was charged twice for order #8812. Could you refund one of them?',
        },
      },
    ],
    [
      'ack',
      {
        contactName: 'Daniel Carter',
        ticketNumber: 1042,
        subject: 'Charged twice for order #8812',
        signature: 'Acme Support',
      },
    ],
    [
      'notify-assigned',
      {
        agentName: 'Mina',
        actorName: 'Jae Kim',
        ticketNumber: 1042,
        subject: 'Charged twice for order #8812',
        excerpt: 'Hello, I was charged twice for order #8812.',
        url: URL_OF_TICKET,
      },
    ],
    [
      'notify-mentioned',
      {
        agentName: 'Mina',
        actorName: 'Jae Kim',
        ticketNumber: 1042,
        subject: 'Charged twice for order #8812',
        excerpt: '@Mina can you check the payment log for this one?',
        url: URL_OF_TICKET,
      },
    ],
    [
      'notify-customer-replied',
      {
        agentName: 'Mina',
        contactName: 'Daniel Carter',
        ticketNumber: 1042,
        subject: 'Charged twice for order #8812',
        excerpt: 'Thanks! Will it show as a separate line on my statement?',
        url: URL_OF_TICKET,
      },
    ],
  ],
  ko: [
    [
      'agent-reply',
      {
        bodyHtml:
          '<p>김민지 고객님, 안녕하세요.</p><p>중복 결제된 <strong>49,000원</strong>을 환불해 드렸습니다. 카드사 사정에 따라 영업일 기준 3~5일 안에 반영됩니다.</p><p>더 궁금한 점이 있으시면 이 메일에 회신해 주세요.</p>',
        bodyText:
          '김민지 고객님, 안녕하세요.\n\n중복 결제된 49,000원을 환불해 드렸습니다. 카드사 사정에 따라 영업일 기준 3~5일 안에 반영됩니다.\n\n더 궁금한 점이 있으시면 이 메일에 회신해 주세요.',
        signature: '박미나\nAcme 고객지원팀',
        quote: {
          date: '2026. 11. 23. 오전 9:12 UTC',
          from: '김민지 <minji@example.kr>',
          html: '<p>안녕하세요. 주문 #8812 건이 두 번 결제되었습니다. 한 건 취소 부탁드립니다.</p>',
          quotedText: '> 안녕하세요. 주문 #8812 건이 두 번 결제되었습니다. 한 건 취소 부탁드립니다.',
        },
      },
    ],
    [
      'ack',
      { contactName: '김민지', ticketNumber: 1042, subject: '주문 #8812 중복 결제 문의', signature: 'Acme 고객지원팀' },
    ],
    [
      'notify-assigned',
      {
        agentName: '박미나',
        actorName: '김재현',
        ticketNumber: 1042,
        subject: '주문 #8812 중복 결제 문의',
        excerpt: '안녕하세요. 주문 #8812 건이 두 번 결제되었습니다.',
        url: URL_OF_TICKET,
      },
    ],
    [
      'notify-mentioned',
      {
        agentName: '박미나',
        actorName: '김재현',
        ticketNumber: 1042,
        subject: '주문 #8812 중복 결제 문의',
        excerpt: '@박미나 결제 로그 한번 확인해 주실 수 있을까요?',
        url: URL_OF_TICKET,
      },
    ],
    [
      'notify-customer-replied',
      {
        agentName: '박미나',
        contactName: '김민지',
        ticketNumber: 1042,
        subject: '주문 #8812 중복 결제 문의',
        excerpt: '감사합니다! 명세서에는 따로 표시되나요?',
        url: URL_OF_TICKET,
      },
    ],
  ],
};

/**
 * Every outbound template rendered as the recipient's mail client shows it: HTML and text parts,
 * the brand applied, in English and Korean. Screenshots (desktop and phone width) and the parts
 * themselves are saved under test-artifacts/email/. The recipient's client has a Korean font;
 * here Pretendard (named in the layout's font stack) stands in for it.
 */
describe('outbound email templates in Chromium', () => {
  let browser: Browser;
  const font = readFileSync(join(nodeModulesDir, 'pretendard/dist/web/variable/woff2/PretendardVariable.woff2'));
  const dir = join(ARTIFACTS_DIR, 'email');

  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => browser?.close());

  for (const locale of ['en', 'ko'] as const) {
    for (const [name, data] of SAMPLES[locale]) {
      it(`renders ${name} (${locale}) with both parts and the brand`, async () => {
        const mail = renderEmail(name, locale, data, BRAND, 'Charged twice for order #8812');
        writeFileSync(join(dir, `${name}-${locale}.html`), mail.html);
        writeFileSync(join(dir, `${name}-${locale}.txt`), `Subject: ${mail.subject}\n\n${mail.text}`);

        expect(mail.html).toContain(`<html lang="${locale}">`);
        expect(mail.html).toContain(`border-top:4px solid ${BRAND.color}`);
        expect(mail.html).toContain('word-break:keep-all');
        expect(mail.html).toMatch(new RegExp(`background:${BRAND.color};color:#ffffff;[^>]*>A</td>`));
        expect(mail.html).toContain(BRAND.name);
        expect(mail.html + mail.text).not.toContain('{{');
        expect(mail.text.trim().length).toBeGreaterThan(40);
        expect(mail.text).not.toMatch(/<\/?(p|div|strong|a)\b/);
        if (name !== 'agent-reply') {
          if (name !== 'ack') expect(mail.subject).toContain('1042');
          expect(mail.text).toContain('1042');
        } else {
          expect(mail.text).toContain(locale === 'ko' ? '49,000원' : '$49.00');
          expect(mail.text).toContain((data.quote as { quotedText: string }).quotedText);
          expect(mail.html).toContain('<blockquote');
        }
        if (typeof data.url === 'string') expect(mail.html).toContain(`href="${URL_OF_TICKET}"`);

        for (const [label, viewport] of [
          ['desktop', { width: 800, height: 700 }],
          ['phone', { width: 390, height: 700 }],
        ] as const) {
          const ctx = await browser.newContext({ viewport, javaScriptEnabled: true });
          const page = await ctx.newPage();
          await page.route('https://mail.test/**', (route) =>
            route.request().url().endsWith('.woff2')
              ? route.fulfill({ body: font, contentType: 'font/woff2' })
              : route.fulfill({ body: mail.html, contentType: 'text/html; charset=utf-8' }),
          );
          await page.goto('https://mail.test/message.html');
          await page.addStyleTag({
            content: `@font-face { font-family: Pretendard; src: url(https://mail.test/pretendard.woff2) format('woff2'); font-weight: 45 920; }`,
          });
          await page.evaluate('document.fonts.ready');
          // the text is drawn with a real font (no tofu): Pretendard has every Hangul syllable
          expect(await page.evaluate("document.fonts.check('15px Pretendard', '안녕하세요')")).toBe(true);
          const card = await page.evaluate<{ width: number; border: string }>(
            `(() => { const t = document.querySelectorAll('table')[1]; return { width: t.getBoundingClientRect().width, border: getComputedStyle(t).borderTopColor }; })()`,
          );
          expect(card.border).toBe('rgb(15, 118, 110)');
          expect(card.width).toBeLessThanOrEqual(640);
          await screenshot(page, `email-${name}-${locale}-${label}`, { fullPage: true });
          await ctx.close();
        }
      }, 60_000);
    }
  }
});
