import { formatDateTime, formatNumber, formatRelative, formatShort } from './format';
import { initials, scriptJson } from './render';

describe('page formatting', () => {
  const at = new Date('2026-03-03T05:05:00Z');

  it('formats dates in the agent language and time zone', () => {
    expect(formatDateTime(at, 'en', 'UTC')).toBe('Mar 3, 2026, 5:05 AM');
    expect(formatDateTime(at, 'en', 'Asia/Seoul')).toBe('Mar 3, 2026, 2:05 PM');
    expect(formatDateTime(at, 'ko', 'Asia/Seoul')).toBe('2026년 3월 3일 14:05');
    expect(formatDateTime(at, 'en', 'Not/AZone')).toBe('Mar 3, 2026, 5:05 AM');
  });

  it('shows the time today, the day this year, the date before', () => {
    const now = new Date('2026-03-03T10:00:00Z');
    expect(formatShort(at, 'ko', 'Asia/Seoul', now)).toBe('14:05');
    expect(formatShort(new Date('2026-01-20T00:00:00Z'), 'en', 'UTC', now)).toBe('Jan 20');
    expect(formatShort(new Date('2025-12-31T00:00:00Z'), 'ko', 'UTC', now)).toBe('2025년 12월 31일');
    expect(formatRelative(new Date(now.getTime() - 5 * 60_000), 'en', 'UTC', now)).toBe('5 min. ago');
    expect(formatRelative(new Date(now.getTime() - 5 * 60_000), 'ko', 'UTC', now)).toBe('5분 전');
  });

  it('formats numbers per locale', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, 'ko')).toBe('1,234,567');
    expect(formatNumber('x', 'en')).toBe('');
  });

  it('makes initials for Latin and Hangul names', () => {
    expect(initials('Sarah Lee')).toBe('SL');
    expect(initials('김민준')).toBe('김');
    expect(initials('  ')).toBe('?');
  });

  it('keeps JSON inside a script block from closing it', () => {
    expect(scriptJson({ name: '</script><script>alert(1)</script>' })).toBe(
      '{"name":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}',
    );
  });
});
