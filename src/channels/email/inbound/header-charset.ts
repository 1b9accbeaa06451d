import { charsetDecoder } from './charsets';
import { firstHeader, headerEnd, headerFields } from './raw-mail';

/**
 * Header lines with raw 8-bit bytes and no declared charset (old Korean and Japanese mailers,
 * misconfigured scripts). MIME parsers read such bytes as UTF-8, which turns EUC-KR into
 * replacement characters. This rewrites those lines to UTF-8 before parsing, guessing the
 * charset from the mail's own Content-Type, then from what the bytes decode to.
 */

const HANGUL = /[\uac00-\ud7a3]/;
// full-width kana: Japanese text nearly always has some; windows-1252 bytes read as Shift_JIS
// ("Résumé" → 0xE9 0x73) give kanji or half-width kana, almost never these
const KANA = /[\u3040-\u30ff]/;

type Decoder = (bytes: Uint8Array) => string;

const decoder = (charset: string) => charsetDecoder(charset, true);
const utf8 = decoder('utf-8');

function decodes(d: Decoder | null, bytes: Buffer): string | null {
  if (!d) return null;
  try {
    return d(bytes);
  } catch {
    return null;
  }
}

function isUtf8(bytes: Buffer): boolean {
  return decodes(utf8, bytes) !== null;
}

function hasHighBytes(bytes: Buffer): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

/**
 * Whether the high bytes read as EUC-KR text rather than windows-1252 punctuation and accents:
 * CP949 (the decoder's superset) takes almost any high byte followed by a letter as a Hangul
 * syllable, so "It’s" (0x92 0x73) would become Korean. Real Korean header text is mostly KS X 1001
 * pairs, both bytes 0xA1–0xFE; ask for at least half of them to be.
 */
function looksEucKr(bytes: Buffer): boolean {
  let pairs = 0;
  let core = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) continue;
    const trail = bytes[i + 1] ?? 0;
    pairs++;
    if (bytes[i] >= 0xa1 && trail >= 0xa1 && bytes[i] <= 0xfe && trail <= 0xfe) core++;
    i++;
  }
  return pairs > 0 && core * 2 >= pairs;
}

/** The charset the 8-bit header bytes are most likely in. */
export function guessHeaderCharset(raw: Buffer, bytes: Buffer): string {
  const contentType = firstHeader(headerFields(raw), 'content-type') ?? '';
  const declared = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (declared && !/^(utf-?8|us-ascii)$/.test(declared) && decodes(decoder(declared), bytes) !== null) return declared;
  const korean = decodes(decoder('euc-kr'), bytes);
  if (korean !== null && HANGUL.test(korean) && looksEucKr(bytes)) return 'euc-kr';
  const japanese = decodes(decoder('shift_jis'), bytes);
  if (japanese !== null && KANA.test(japanese)) return 'shift_jis';
  return 'windows-1252';
}

/** The raw mail with 8-bit header lines that are not UTF-8 converted to UTF-8; unchanged otherwise. */
export function repairHeaderCharset(raw: Buffer): Buffer {
  const { end } = headerEnd(raw);
  const header = raw.subarray(0, end);
  if (!hasHighBytes(header) || isUtf8(header)) return raw;
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < header.length; i++) {
    if (header[i] === 0x0a) {
      lines.push(header.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < header.length) lines.push(header.subarray(start));
  const bad = Buffer.concat(lines.filter((l) => hasHighBytes(l) && !isUtf8(l)));
  const charset = guessHeaderCharset(raw, bad);
  const d = charsetDecoder(charset) as Decoder;
  const fixed = lines.map((l) => (hasHighBytes(l) && !isUtf8(l) ? Buffer.from(d(l), 'utf8') : l));
  return Buffer.concat([...fixed, raw.subarray(end)]);
}
