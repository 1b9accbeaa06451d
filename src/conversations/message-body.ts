import { ValidationError } from '../common/errors/domain-error';
import { escapeHtml, htmlToText, sanitizeMessageHtml, textToHtml } from '../common/text/html';

/** Largest body an agent or API client may send, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 256 * 1024;
/** The same cap in characters, for input validation (a character is at least one byte). */
export const MAX_BODY_CHARS = MAX_BODY_BYTES;
/** Inbound channel HTML beyond this is replaced by its text: stored, never rejected. */
export const MAX_INBOUND_HTML_BYTES = 1024 * 1024;
export const MAX_ATTACHMENTS = 20;

export type BodyFormat = 'TEXT' | 'HTML';

export interface MessageBody {
  html: string;
  text: string;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = Buffer.from(s, 'utf8').subarray(0, max).toString('utf8');
  // a cut multi-byte sequence decodes as U+FFFD at the end
  while (out.endsWith('\uFFFD')) out = out.slice(0, -1);
  return out;
}

/** A body typed by an agent or sent through the API: sanitised, and refused when too large. */
export function bodyFromInput(body: string, format: BodyFormat): MessageBody {
  if (bytes(body) > MAX_BODY_BYTES) {
    throw new ValidationError(`The message body is larger than ${MAX_BODY_BYTES / 1024} KB.`, {
      maxBytes: MAX_BODY_BYTES,
    });
  }
  if (format === 'TEXT') {
    const text = body.replace(/\r\n?/g, '\n').trim();
    return { html: textToHtml(text), text };
  }
  const html = sanitizeMessageHtml(body);
  return { html, text: htmlToText(html) };
}

/**
 * A body received from a channel (email, webhook): never refused, since a message must not be
 * lost; oversized HTML is replaced by its text, and the text is capped.
 */
export function bodyFromInbound(input: { html?: string | null; text?: string | null }): MessageBody {
  let html = input.html ? sanitizeMessageHtml(input.html) : '';
  let text = input.text?.replace(/\r\n?/g, '\n').trim() || (html ? htmlToText(html) : '');
  text = truncateUtf8(text, MAX_BODY_BYTES);
  if (!html || bytes(html) > MAX_INBOUND_HTML_BYTES) html = textToHtml(text);
  return { html, text };
}

export function isEmptyBody(body: MessageBody): boolean {
  return !body.text.trim() && !/<img\b/i.test(body.html);
}

/** HTML for a short system line (e.g. in notes rendered from text). */
export function plainHtml(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}
