import { TextDecoder } from 'node:util';

/**
 * Decoding legacy charsets with Node's TextDecoder, minus its windows-1252 gap: Node 20 decodes
 * the labels of that family (windows-1252, iso-8859-1, latin1, us-ascii…) as ISO-8859-1, so
 * 0x80–0x9F become invisible C1 controls instead of Outlook's ’ “ ” – — … € characters.
 */

// windows-1252 0x80–0x9F (WHATWG index); the five holes stay C1 controls, as browsers do
const C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk.map((b) => b)).replace(/[\x80-\x9f]/g, (c) => C1[c.charCodeAt(0) - 0x80]);
  }
  return out;
}

/** A decoder for a charset label, or null when the label is unknown. */
export function charsetDecoder(label: string, fatal = false): ((bytes: Uint8Array) => string) | null {
  let d: TextDecoder;
  try {
    d = new TextDecoder(label, { fatal });
  } catch {
    return null;
  }
  if (d.encoding === 'windows-1252') return decodeWindows1252;
  return (bytes) => d.decode(bytes);
}
