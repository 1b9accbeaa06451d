import { contrastRatio, onColorFor, urlMatches } from './appearance';
import { formatReturn, instantOf, isOpen, nextOpening, type Schedule } from './business-hours';
import { signIdentityJwt, verifyIdentityJwt } from './identity-jwt';
import { parseRichContent } from './rich-content';
import { parseUserAgent } from './user-agent';
import { signVisitorToken, verifyVisitorToken } from './visitor-token';

const SECRET = 'app-secret-app-secret-app-secret-0123';
const VISITOR = '8f14e45f-ceea-467e-a9b0-27c5a5b7c1d2';

describe('visitor tokens', () => {
  it('verifies its own signature and refuses any change', () => {
    const token = signVisitorToken(SECRET, { visitorId: VISITOR, version: 1 });
    expect(verifyVisitorToken(SECRET, token)).toEqual({ visitorId: VISITOR, version: 1 });
    expect(verifyVisitorToken('another-secret-another-secret-000000', token)).toBeNull();
    expect(verifyVisitorToken(SECRET, token.replace('.1.', '.2.'))).toBeNull();
    expect(verifyVisitorToken(SECRET, `${token}x`)).toBeNull();
    for (const bad of [undefined, 42, '', 'sv1.x.1.y', 'a'.repeat(500)])
      expect(verifyVisitorToken(SECRET, bad)).toBeNull();
  });
});

describe('identity JWTs (HS256)', () => {
  const now = Date.parse('2026-05-01T00:00:00Z');
  const exp = now / 1000 + 600;

  it('accepts a well-signed token and reads external_id (or sub), email and name', () => {
    const jwt = signIdentityJwt('w', { sub: 'u-1', email: 'A@B.co', name: 'Ann', exp });
    expect(verifyIdentityJwt('w', jwt, now)).toEqual({
      ok: true,
      claims: { externalId: 'u-1', email: 'A@B.co', name: 'Ann' },
    });
  });

  it('refuses forged, expired, not-yet-valid, alg none / HS512 and identity-less tokens', () => {
    expect(verifyIdentityJwt('w', signIdentityJwt('x', { sub: 'u', exp }), now)).toMatchObject({ reason: 'signature' });
    expect(verifyIdentityJwt('w', signIdentityJwt('w', { sub: 'u', exp: now / 1000 - 120 }), now)).toMatchObject({
      reason: 'expired',
    });
    expect(verifyIdentityJwt('w', signIdentityJwt('w', { sub: 'u', nbf: now / 1000 + 600 }), now)).toMatchObject({
      reason: 'not_yet_valid',
    });
    const body = Buffer.from(JSON.stringify({ sub: 'u' })).toString('base64url');
    for (const alg of ['none', 'HS512', 'RS256']) {
      const head = Buffer.from(JSON.stringify({ alg })).toString('base64url');
      expect(verifyIdentityJwt('w', `${head}.${body}.`, now)).toMatchObject({ reason: 'algorithm' });
    }
    expect(verifyIdentityJwt('w', signIdentityJwt('w', { name: 'x', exp }), now)).toMatchObject({
      reason: 'no_identity',
    });
    expect(verifyIdentityJwt('w', 'a.b', now)).toMatchObject({ reason: 'malformed' });
  });
});

describe('business hours', () => {
  // Mon–Fri 09:00–18:00 in Seoul, closed on 2026-05-05 (Children's Day)
  const seoul: Schedule = {
    timezone: 'Asia/Seoul',
    weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })),
    holidays: [{ date: '2026-05-05', name: 'Children’s Day' }],
  };

  it('is open inside the hours in the schedule’s timezone only', () => {
    expect(isOpen(seoul, new Date('2026-05-04T00:30:00Z'))).toBe(true); // Mon 09:30 KST
    expect(isOpen(seoul, new Date('2026-05-04T09:30:00Z'))).toBe(false); // Mon 18:30 KST
    expect(isOpen(seoul, new Date('2026-05-05T01:00:00Z'))).toBe(false); // holiday
    expect(isOpen(seoul, new Date('2026-05-02T01:00:00Z'))).toBe(false); // Saturday
  });

  it('finds the next opening over weekends and holidays', () => {
    expect(nextOpening(seoul, new Date('2026-05-01T10:00:00Z'))).toEqual(new Date('2026-05-04T00:00:00Z')); // Fri 19:00 → Mon 09:00
    expect(nextOpening(seoul, new Date('2026-05-04T10:00:00Z'))).toEqual(new Date('2026-05-06T00:00:00Z')); // skips the holiday
    expect(nextOpening({ ...seoul, weekly: [] }, new Date())).toBeNull();
  });

  it('converts wall-clock times across daylight saving time', () => {
    expect(instantOf('America/New_York', '2026-03-09', 9 * 60)).toEqual(new Date('2026-03-09T13:00:00Z'));
    expect(instantOf('America/New_York', '2026-03-06', 9 * 60)).toEqual(new Date('2026-03-06T14:00:00Z'));
  });

  it('says when the team is back in the visitor’s timezone and language', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const monday = new Date('2026-05-04T00:00:00Z');
    expect(formatReturn(monday, 'en', 'Asia/Seoul', now)).toBe('Monday 09:00');
    expect(formatReturn(monday, 'ko', 'Asia/Seoul', now)).toBe('월요일 09:00');
    expect(formatReturn(monday, 'en', 'Europe/London', now)).toBe('Monday 01:00');
    expect(formatReturn(new Date('2026-05-02T00:00:00Z'), 'en', 'Asia/Seoul', now)).toBe('tomorrow 09:00');
    expect(formatReturn(new Date('2026-05-01T12:00:00Z'), 'ko', 'Asia/Seoul', now)).toBe('오늘 21:00');
  });
});

describe('user agents', () => {
  it('reads browser, OS and device type', () => {
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      ),
    ).toEqual({ browser: 'Chrome 126', os: 'Windows', deviceType: 'desktop' });
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36',
      ),
    ).toEqual({ browser: 'Samsung Internet 25', os: 'Android 14', deviceType: 'mobile' });
    expect(
      parseUserAgent(
        'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      ),
    ).toMatchObject({ browser: 'Safari 17', os: 'iOS 17', deviceType: 'tablet' });
    expect(parseUserAgent('Googlebot/2.1 (+http://www.google.com/bot.html)').deviceType).toBe('bot');
    expect(parseUserAgent(undefined)).toEqual({ browser: null, os: null, deviceType: null });
  });
});

describe('rich content', () => {
  it('normalises what agents send and drops unknown keys', () => {
    expect(
      parseRichContent({ type: 'quick_replies', replies: ['Yes', { label: 'No', value: 'n' }], evil: 1 }, 'agent'),
    ).toEqual({
      type: 'quick_replies',
      replies: [
        { label: 'Yes', value: 'Yes' },
        { label: 'No', value: 'n' },
      ],
    });
    const form = parseRichContent(
      { type: 'form', fields: [{ key: 'order', label: 'Order no.', required: true }] },
      'agent',
    );
    expect(form).toMatchObject({
      type: 'form',
      submitLabel: 'Send',
      fields: [{ key: 'order', kind: 'text', options: [] }],
    });
  });

  it('refuses unsafe links, oversize lists and types the sender may not use', () => {
    expect(() =>
      parseRichContent({ type: 'buttons', buttons: [{ label: 'x', url: 'javascript:alert(1)' }] }, 'agent'),
    ).toThrow(/http/);
    expect(() => parseRichContent({ type: 'quick_replies', replies: Array(11).fill('a') }, 'agent')).toThrow(/1 to 10/);
    expect(() => parseRichContent({ type: 'form', fields: [] }, 'visitor')).toThrow(/type must be/);
    expect(() => parseRichContent({ type: 'quick_reply_answer', value: 'ok' }, 'agent')).toThrow(/type must be/);
    expect(() => parseRichContent('nope', 'agent')).toThrow(/object/);
  });
});

describe('appearance', () => {
  it('picks the text colour with the higher contrast, meeting WCAG AA on common brand colours', () => {
    for (const accent of ['#4f46e5', '#0f766e', '#b91c1c', '#1d4ed8', '#facc15', '#a3e635']) {
      expect(onColorFor(accent).contrast).toBeGreaterThanOrEqual(4.5);
    }
    expect(onColorFor('#facc15').color).toBe('#111827');
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 0);
  });

  it('matches URL globs', () => {
    expect(urlMatches('https://shop.example.com/checkout*', 'https://shop.example.com/checkout/step-2')).toBe(true);
    expect(urlMatches('*/pricing', 'https://example.com/pricing')).toBe(true);
    expect(urlMatches('*/pricing', 'https://example.com/pricing-old')).toBe(false);
    expect(urlMatches(null, 'anything')).toBe(true);
  });
});
