import { simpleParser, type AddressObject, type Attachment, type EmailAddress, type HeaderLines } from 'mailparser';
import { decodeWindows1252 } from './charsets';
import { repairHeaderCharset } from './header-charset';
import { TextDecoder } from 'node:util';
import { headerEnd, messageIdList, normalizeMessageId } from './raw-mail';

export interface MailAddress {
  /** Lower-cased. */
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  size: number;
  sha256: string;
  /** Content-ID without brackets, for `cid:` links. */
  cid: string | null;
  /** An image shown in the HTML body rather than a file attached to it. */
  inline: boolean;
}

/** A received mail reduced to what the pipeline needs. Headers keep their raw (unfolded) values. */
export interface ParsedEmail {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  subject: string;
  date: Date | null;
  from: MailAddress | null;
  sender: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  html: string | null;
  text: string | null;
  attachments: ParsedAttachment[];
  contentType: string;
  /** Lower-cased name → every value, unfolded, still encoded as received. */
  headers: Map<string, string[]>;
}

const PARSE_TIMEOUT_MS = 60_000;
const MAX_ADDRESSES = 2000;

export class MailParseError extends Error {}

function flatten(list: EmailAddress[], out: MailAddress[]): void {
  for (const a of list) {
    if (out.length >= MAX_ADDRESSES) return;
    if (a.group) flatten(a.group, out);
    else if (a.address && a.address.includes('@')) {
      out.push({ address: a.address.trim().toLowerCase(), name: (a.name ?? '').trim() });
    }
  }
}

export function addressesOf(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const obj of Array.isArray(value) ? value : value ? [value] : []) flatten(obj.value ?? [], out);
  const seen = new Set<string>();
  return out.filter((a) => !seen.has(a.address) && !!seen.add(a.address));
}

function headerMap(lines: HeaderLines): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  }
  return map;
}

function attachmentOf(a: Attachment): ParsedAttachment {
  const cid = a.cid ?? (a.contentId ? a.contentId.replace(/^<|>$/g, '') : null);
  return {
    filename: a.filename ?? '',
    contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
    content: a.content,
    size: a.size ?? a.content.length,
    sha256: a.checksum,
    cid: cid || null,
    inline: !!a.related || (a.contentDisposition === 'inline' && !!cid),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MailParseError(`parsing took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Parses raw RFC 822 bytes (any charset mailparser and ICU know, RFC 2047/2231 words and file
 * names, quoted-printable and base64, nested multiparts). `cid:` links are kept for the caller to
 * point at stored files; embedded messages stay attachments; delivery reports stay parts.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  if (!raw.length) throw new MailParseError('the mail is empty (0 bytes)');
  const mail = await withTimeout(
    simpleParser(repairHeaderCharset(raw), {
      keepCidLinks: true,
      keepDeliveryStatus: true,
      checksumAlgo: 'sha256',
      // the text of HTML-only mail is derived from the sanitised HTML by the caller
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      maxChildNodes: 2000,
    }),
    PARSE_TIMEOUT_MS,
  ).catch((err: unknown) => {
    throw err instanceof MailParseError ? err : new MailParseError(`the MIME structure could not be read: ${msg(err)}`);
  });
  const headers = headerMap(mail.headerLines ?? []);
  const html = typeof mail.html === 'string' && mail.html.trim() ? mail.html : null;
  const text = mail.text?.trim() ? mail.text : null;
  const first = (name: string) => headers.get(name)?.[0];
  const contentType = mail.headers.get('content-type');
  return {
    messageId: normalizeMessageId(first('message-id')),
    inReplyTo: messageIdList(first('in-reply-to')),
    references: messageIdList(headers.get('references')?.join(' ')),
    subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim(),
    date: mail.date && !Number.isNaN(mail.date.getTime()) && first('date') ? mail.date : null,
    from: addressesOf(mail.from)[0] ?? null,
    sender: addressesOf(mail.headers.get('sender') as AddressObject | undefined)[0] ?? null,
    replyTo: addressesOf(mail.replyTo),
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    html,
    // a MIME structure nothing could be read from still shows its raw content: never an empty message
    text: text ?? (html || mail.attachments.length ? null : rawBodyText(raw)),
    attachments: mail.attachments.map(attachmentOf),
    contentType:
      contentType && typeof contentType === 'object' && 'value' in contentType && typeof contentType.value === 'string'
        ? contentType.value.toLowerCase()
        : 'text/plain',
    headers,
  };
}

const MAX_RAW_TEXT = 256 * 1024;

/** The body of a mail as text (UTF-8 when it is valid UTF-8, else windows-1252), for unreadable MIME. */
export function rawBodyText(raw: Buffer): string | null {
  const body = raw.subarray(headerEnd(raw).bodyStart, headerEnd(raw).bodyStart + MAX_RAW_TEXT);
  if (!body.toString('latin1').trim()) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return decodeWindows1252(body);
  }
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
