import { DomainError } from '../common/errors/domain-error';
import type { IdentityKind } from './entities';
import { emailDomain, normalizeDomain, normalizeIdentity, toAsciiHostname } from './identity-values';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a domain error';
  }
};

describe('normalizeIdentity', () => {
  describe('email', () => {
    it.each([
      ['Kim@Example.COM', 'kim@example.com'],
      ['  kim@example.com \n', 'kim@example.com'],
      ['ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'kim@example.com'],
      ['mailto:Kim@example.com', 'kim@example.com'],
      ['kim+tag@sub.example.co.kr', 'kim+tag@sub.example.co.kr'],
      ['kim@example.com.', 'kim@example.com'],
      ['kim@한국.kr', 'kim@xn--3e0b707e.kr'],
      ['kim@XN--3E0B707E.kr', 'kim@xn--3e0b707e.kr'],
      ['김민준@example.com', '김민준@example.com'],
    ])('%s → %s', (raw, expected) => {
      expect(normalizeIdentity('email', raw)).toBe(expected);
    });

    it.each([
      'not-an-email',
      '@example.com',
      'kim@',
      'kim@localhost',
      'kim@192.168.0.1',
      'kim@exa mple.com',
      'Kim <kim@example.com>',
      'kim@-example.com',
      'kim@example..com',
      `${'a'.repeat(65)}@example.com`,
      '',
      '   ',
    ])('rejects %j', (raw) => {
      expect(code(() => normalizeIdentity('email', raw))).toBe('VALIDATION_FAILED');
    });

    it('reads the domain of a normalised email', () => {
      expect(emailDomain(normalizeIdentity('email', 'a@Acme.Example'))).toBe('acme.example');
    });
  });

  describe('phone', () => {
    it.each([
      ['+82 10-1234-5678', '+821012345678'],
      ['+82 (0)10 1234 5678', '+821012345678'],
      ['+82 010-1234-5678', '+821012345678'],
      ['0082 10 1234 5678', '+821012345678'],
      ['821012345678', '+821012345678'],
      ['tel:+1-415-555-0100', '+14155550100'],
      ['+1 (415) 555.0100', '+14155550100'],
      ['+44 (0)20 7946 0958', '+442079460958'],
      ['＋８２ １０ １２３４ ５６７８', '+821012345678'],
      ['+39 06 1234 5678', '+390612345678'],
    ])('%s → %s', (raw, expected) => {
      expect(normalizeIdentity('phone', raw)).toBe(expected);
    });

    it.each(['010-1234-5678', '12345', '+0 123 4567', 'call me', '+82 10 1234 5678 ext 9', '+1234567890123456'])(
      'rejects %j (local numbers need a country code)',
      (raw) => {
        expect(code(() => normalizeIdentity('phone', raw))).toBe('VALIDATION_FAILED');
      },
    );

    it('applies to WhatsApp and SMS ids too', () => {
      expect(normalizeIdentity('whatsapp', '+82 10 1234 5678')).toBe('+821012345678');
      expect(normalizeIdentity('sms', '0082-10-1234-5678')).toBe('+821012345678');
    });
  });

  describe('opaque ids', () => {
    it.each<IdentityKind>(['external_id', 'visitor', 'telegram', 'line', 'messenger', 'instagram'])(
      '%s is trimmed and kept as given',
      (kind) => {
        expect(normalizeIdentity(kind, '  User-42 ')).toBe('User-42');
      },
    );

    it('rejects control characters and oversized values', () => {
      expect(code(() => normalizeIdentity('external_id', 'a\u0000b'))).toBe('VALIDATION_FAILED');
      expect(code(() => normalizeIdentity('external_id', 'a\nb'))).toBe('VALIDATION_FAILED');
      expect(code(() => normalizeIdentity('external_id', 'x'.repeat(321)))).toBe('VALIDATION_FAILED');
    });
  });
});

describe('domains', () => {
  it.each([
    ['Acme.COM', 'acme.com'],
    ['@acme.com', 'acme.com'],
    [' support.acme.co.kr ', 'support.acme.co.kr'],
    ['한국.kr', 'xn--3e0b707e.kr'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeDomain(raw)).toBe(expected);
  });

  it.each(['acme', 'acme..com', 'ac me.com', '-acme.com', 'http://acme.com', 'acme.com/path', '1.2.3.4', ''])(
    'rejects %j',
    (raw) => {
      expect(toAsciiHostname(raw)).toBeNull();
      expect(code(() => normalizeDomain(raw))).toBe('VALIDATION_FAILED');
    },
  );
});
