import { cleanLocale, cleanName, cleanNotes, cleanTimezone, mergeNotes } from './contact-fields';

describe('contact fields', () => {
  it('stores names in NFC with whitespace collapsed', () => {
    const decomposed = '김민준'.normalize('NFD');
    expect(decomposed).not.toBe('김민준');
    expect(cleanName(`  ${decomposed}\t `)).toBe('김민준');
    expect(cleanName('Kim\nMin  Jun')).toBe('Kim Min Jun');
    expect(() => cleanName('x'.repeat(201))).toThrow(/200/);
  });

  it('accepts language tags in canonical case and rejects others', () => {
    expect(cleanLocale('ko')).toBe('ko');
    expect(cleanLocale('en-us')).toBe('en-US');
    expect(cleanLocale(' ')).toBeNull();
    expect(cleanLocale(null)).toBeNull();
    expect(() => cleanLocale('korean!')).toThrow(/language tag/);
    expect(() => cleanLocale('en_US')).toThrow(/language tag/);
  });

  it('accepts IANA time zones only', () => {
    expect(cleanTimezone('Asia/Seoul')).toBe('Asia/Seoul');
    expect(cleanTimezone('UTC')).toBe('UTC');
    expect(cleanTimezone(null)).toBeNull();
    expect(() => cleanTimezone('Mars/Olympus')).toThrow(/time zone/);
  });

  it('appends notes of a merged contact', () => {
    expect(mergeNotes('', 'b')).toBe('b');
    expect(mergeNotes('a', '  ')).toBe('a');
    expect(mergeNotes('a', 'b')).toBe('a\n\nb');
    expect(cleanNotes('  hi ')).toBe('hi');
  });
});
