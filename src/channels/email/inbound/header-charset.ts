import { TextDecoder } from 'node:util';
import { firstHeader, headerEnd, headerFields } from './raw-mail';

/**
 * Header lines with raw 8-bit bytes and no declared charset (old Korean and Japanese mailers,
 * misconfigured scripts). MIME parsers read such bytes as UTF-8, which turns EUC-KR into
 * replacement characters. This rewrites those lines to UTF-8 before parsing, guessing the
 * charset from the mail's own Content-Type, then from what the bytes decode to.
 */

const HANGUL = /[\uac00-\ud7a3]/;
const KANA_OR_KANJI = /[\u3040-\u30ff\u4e00-\u9fff]/;

function decoder(charset: string): TextDecoder | null {
  try {
    return new TextDecoder(charset, { fatal: true });
  } catch {
    return null;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodes(d: TextDecoder | null, bytes: Buffer): string | null {
  if (!d) return null;
  try {
    return d.decode(bytes);
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

/** The charset the 8-bit header bytes are most likely in. */
export function guessHeaderCharset(raw: Buffer, bytes: Buffer): string {
  const contentType = firstHeader(headerFields(raw), 'content-type') ?? '';
  const declared = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (declared && !/^(utf-?8|us-ascii)$/.test(declared) && decodes(decoder(declared), bytes) !== null) return declared;
  const korean = decodes(decoder('euc-kr'), bytes);
  if (korean !== null && HANGUL.test(korean)) return 'euc-kr';
  const japanese = decodes(decoder('shift_jis'), bytes);
  if (japanese !== null && KANA_OR_KANJI.test(japanese)) return 'shift_jis';
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
  const d = new TextDecoder(charset);
  const fixed = lines.map((l) => (hasHighBytes(l) && !isUtf8(l) ? Buffer.from(d.decode(l), 'utf8') : l));
  return Buffer.concat([...fixed, raw.subarray(end)]);
}
