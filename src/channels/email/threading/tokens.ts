import { createHmac, randomBytes } from 'node:crypto';

/**
 * The per-ticket token carried by our outbound mail (in the Message-ID, optionally in a
 * plus-addressed Reply-To). It is `<ticket number>-<HMAC>`: anyone can read the number, nobody
 * can make up a token for another ticket without APP_SECRET.
 */

const TOKEN = /^(\d{1,15})-([0-9a-f]{10})$/;
const IN_MESSAGE_ID = /^sori\.(\d{1,15}-[0-9a-f]{10})\./;
const IN_ADDRESS = /\+sori-(\d{1,15}-[0-9a-f]{10})@/i;

function mac(secret: string, ticketNumber: number): string {
  return createHmac('sha256', secret).update(`sori-ticket:${ticketNumber}`).digest('hex').slice(0, 10);
}

export function ticketToken(secret: string, ticketNumber: number): string {
  return `${ticketNumber}-${mac(secret, ticketNumber)}`;
}

/** The ticket number of a genuine token; null for anything else. */
export function verifyTicketToken(secret: string, token: string): number | null {
  const m = TOKEN.exec(token.toLowerCase());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && mac(secret, n) === m[2] ? n : null;
}

export function tokenInMessageId(id: string): string | null {
  return IN_MESSAGE_ID.exec(id)?.[1] ?? null;
}

export function tokenInAddress(address: string): string | null {
  return IN_ADDRESS.exec(address)?.[1]?.toLowerCase() ?? null;
}

/** `local+sori-<token>@domain`: replies to it carry the token even if every header is lost. */
export function tokenAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+sori-${token}${address.slice(at)}`;
}

/** The address without a `+…` tag, for matching our mailboxes. */
export function baseAddress(address: string): string {
  return address.toLowerCase().replace(/\+[^@]*@/, '@');
}

/** A new Message-ID (normalised: lower case, no brackets) on our domain, with the ticket token when there is one. */
export function newMessageId(domain: string, token: string | null): string {
  const unique = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  return `sori.${token ?? 'system'}.${Date.now().toString(36)}.${unique}@${domain.toLowerCase()}`;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() || 'localhost';
}

// ---- Outlook Thread-Index: 22-byte root (6 bytes of FILETIME + a 16-byte GUID), then 5-byte blocks

/** The conversation root of a Thread-Index header, as hex; null when the header is not one. */
export function threadIndexRoot(value: string | null | undefined): string | null {
  if (!value) return null;
  const bytes = Buffer.from(value.trim(), 'base64');
  return bytes.length >= 22 && (bytes.length - 22) % 5 === 0 ? bytes.subarray(0, 22).toString('hex') : null;
}

/** A Thread-Index for a ticket's conversation: the same root for every mail of the ticket. */
export function threadIndexFor(secret: string, ticketId: string, createdAt: Date, sequence: number): string {
  const filetime = (BigInt(createdAt.getTime()) + 11644473600000n) * 10000n;
  const head = Buffer.alloc(8);
  head.writeBigUInt64BE(filetime);
  const guid = createHmac('sha256', secret).update(`sori-thread:${ticketId}`).digest().subarray(0, 16);
  const child = Buffer.alloc(5);
  child.writeUInt32BE(Math.min(sequence, 0xffffffff) >>> 0, 1);
  return Buffer.concat([head.subarray(0, 6), guid, ...(sequence > 0 ? [child] : [])]).toString('base64');
}
