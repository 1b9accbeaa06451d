import { createHash } from 'node:crypto';

/**
 * Cheap reading of a raw RFC 822 message before (and independently of) full MIME parsing: the
 * header block, a few fields, a stable identity for duplicate detection. Never throws.
 */

export interface RawHeaderField {
  /** Lower-cased. */
  name: string;
  /** Unfolded, as bytes read as latin1 (non-ASCII bytes survive unchanged). */
  value: string;
}

/** Where the header block ends: the index of the blank line, and where the body starts. */
export function headerEnd(raw: Buffer): { end: number; bodyStart: number } {
  const limit = Math.min(raw.length, 1024 * 1024);
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return { end: i + 1, bodyStart: i + 2 };
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return { end: i + 1, bodyStart: i + 3 };
  }
  // no blank line: all header (a truncated mail) or no header at all
  return { end: raw.length, bodyStart: raw.length };
}

/** The header fields in order, unfolded. Lines that are not `Name: value` are skipped. */
export function headerFields(raw: Buffer): RawHeaderField[] {
  const { end } = headerEnd(raw);
  const text = raw.subarray(0, end).toString('latin1');
  const fields: RawHeaderField[] = [];
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    fields.push({ name, value: line.slice(colon + 1).trim() });
  }
  return fields;
}

export function firstHeader(fields: RawHeaderField[], name: string): string | undefined {
  return fields.find((f) => f.name === name)?.value;
}

/** `<a@b>` → `a@b`, lower-cased; the first id when a header lists several; null when none. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]{1,900})>/.exec(value);
  const id = (bracketed ? bracketed[1] : value.trim().split(/\s+/)[0]).toLowerCase();
  // eslint-disable-next-line no-control-regex -- ids with control characters are refused
  if (!id || id.length > 900 || /[\x00-\x20\x7f]/.test(id)) return null;
  return id;
}

/** Every id of a References / In-Reply-To header, in order, normalised, without duplicates. */
export function messageIdList(value: string | null | undefined, max = 100): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(/<([^<>\s]{1,900})>/g)].map((m) => m[1].toLowerCase());
  // some clients write bare ids without brackets
  if (!ids.length)
    ids.push(
      ...value
        .split(/[\s,]+/)
        .filter((v) => v.includes('@'))
        .map((v) => v.toLowerCase()),
    );
  return [...new Set(ids)].slice(-max);
}

const sha256 = (...parts: Array<string | Buffer>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

// What makes two deliveries the same mail: who, to whom, what, when — not the route it took.
const CONTENT_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'content-type',
  'content-transfer-encoding',
]);

export interface RawIdentity {
  sha256: string;
  /** Equal for the same mail whatever servers added on the way (Received, Delivered-To, DKIM…). */
  contentSha256: string;
  messageId: string;
  messageIdGenerated: boolean;
}

/** The identity a raw mail is stored and de-duplicated under. */
export function rawIdentity(raw: Buffer): RawIdentity {
  const fields = headerFields(raw);
  const content = fields
    .filter((f) => CONTENT_HEADERS.has(f.name))
    .map((f) => `${f.name}:${f.value.replace(/\s+/g, ' ')}\n`)
    .join('');
  const body = raw.subarray(headerEnd(raw).bodyStart);
  // line endings and trailing whitespace change between transports (IMAP, SMTP, webhooks)
  const normalizedBody = body
    .toString('latin1')
    .replace(/[ \t]*\r?\n/g, '\n')
    .replace(/\s+$/, '');
  const contentSha256 = sha256(content, '\n\n', Buffer.from(normalizedBody, 'latin1'));
  const found = normalizeMessageId(firstHeader(fields, 'message-id'));
  return {
    sha256: sha256(raw),
    contentSha256,
    // a mail without a Message-ID gets one derived from its content: the same mail, the same id
    messageId: found ?? `generated.${contentSha256.slice(0, 32)}@sori.invalid`,
    messageIdGenerated: !found,
  };
}
