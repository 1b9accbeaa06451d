import iconv from 'iconv-lite';
import { decodeWindows1252 } from './charsets';
import { guessHeaderCharset, repairHeaderCharset } from './header-charset';
import { rawBodyText } from './parse';

/** A mail whose Subject (and From name) are raw bytes in `charset`, with no charset declared anywhere. */
function mail(subject: string, charset: string, contentType = 'text/plain'): Buffer {
  return Buffer.concat([
    Buffer.from('From: '),
    iconv.encode(charset === 'utf-8' ? '김민지' : 'René Müller', charset === 'utf-8' ? 'utf-8' : charset),
    Buffer.from(' <someone@example.test>\r\nSubject: '),
    iconv.encode(subject, charset),
    Buffer.from(`\r\nContent-Type: ${contentType}\r\n\r\nHello\r\n`),
  ]);
}

const subjectOf = (raw: Buffer) => /^Subject: (.*)$/m.exec(raw.toString('utf8'))?.[1]?.replace(/\r$/, '');

describe('8-bit header bytes without a declared charset', () => {
  it.each([
    ['Outlook smart quotes and euro', 'It’s about the “export” – 49,90 € … OK'],
    ['a right single quote before a letter (CP949 would read a Hangul syllable)', 'It’s fine'],
    ['accented capitals before letters', 'Ärger über die Rechnung, Éric'],
    ['Latin accents', 'Réclamation : facture n° 2024 — Café Noël, Straße'],
    ['trade mark, dagger, œ and Ÿ', 'Sori™ † cœur Ÿ'],
  ])('windows-1252: %s', (_, subject) => {
    const repaired = repairHeaderCharset(mail(subject, 'windows-1252'));
    expect(subjectOf(repaired)).toBe(subject);
    expect(repaired.toString('utf8')).toContain('From: René Müller <someone@example.test>');
    expect(repaired.toString('utf8')).not.toMatch(/[\ufffd\u0080-\u009f]/);
  });

  it('windows-1252 also when the body declares UTF-8 (the label says nothing about the header)', () => {
    const raw = mail('Can’t log in – “locked”', 'windows-1252', 'text/plain; charset=utf-8');
    expect(subjectOf(repairHeaderCharset(raw))).toBe('Can’t log in – “locked”');
  });

  it('follows a declared windows-1252 or iso-8859-1 body charset, reading 0x80–0x9F as windows-1252', () => {
    for (const label of ['windows-1252', 'iso-8859-1']) {
      const raw = mail('Price: 20 € – that’s it', 'windows-1252', `text/plain; charset=${label}`);
      expect(subjectOf(repairHeaderCharset(raw))).toBe('Price: 20 € – that’s it');
    }
  });

  it('leaves valid UTF-8 alone, even when it could be read as windows-1252 or EUC-KR', () => {
    for (const subject of ['Café “quoted” – €5', '결제 문의', 'Ã© looks like mojibake but is UTF-8']) {
      const raw = mail(subject, 'utf-8');
      expect(repairHeaderCharset(raw)).toBe(raw);
    }
  });

  it('reads EUC-KR bytes as Korean', () => {
    const raw = mail('[긴급] 결제가 두 번 되었습니다', 'euc-kr');
    expect(guessHeaderCharset(raw, iconv.encode('[긴급] 결제가 두 번 되었습니다', 'euc-kr'))).toBe('euc-kr');
    expect(subjectOf(repairHeaderCharset(raw))).toBe('[긴급] 결제가 두 번 되었습니다');
  });

  it('reads Shift_JIS bytes as Japanese, and never Latin accents as Shift_JIS', () => {
    expect(subjectOf(repairHeaderCharset(mail('お問い合わせの件', 'shift_jis')))).toBe('お問い合わせの件');
    expect(subjectOf(repairHeaderCharset(mail('Résumé attached', 'windows-1252')))).toBe('Résumé attached');
  });
});

describe('windows-1252 decoding', () => {
  it('maps 0x80–0x9F to the windows-1252 characters and the rest as Latin-1', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0xe9, 0x41]))).toBe(
      '€…‘’“”–—™éA',
    );
  });

  it('is used for the raw body text of a mail that is not UTF-8', () => {
    const raw = Buffer.concat([Buffer.from('Subject: x\r\n\r\n'), iconv.encode('It’s 20 € – thanks', 'windows-1252')]);
    expect(rawBodyText(raw)).toBe('It’s 20 € – thanks');
  });
});
