import { parseAddressHeader } from 'mailparser';
import { addressesOf, type MailAddress, type ParsedEmail } from './parse';
import { firstHeader, headerFields } from './raw-mail';

/**
 * An agent forwarding a customer's mail into the mailbox: the ticket belongs to the customer
 * who wrote the original, not to the agent. Reads the original sender from the forwarded
 * header block that mail clients write, or from an attached .eml.
 */

const FORWARD_SUBJECT = /^\s*((fwd?|fw|wg|tr|rv|i|enc|전달|転送|转发)\s*[:：]\s*)+/i;
const FORWARD_MARK =
  /^\s*(-{2,}\s*(forwarded message|original message|전달된 메일|전달된 메시지|원본 메시지|weitergeleitete nachricht)\s*-{2,}|begin forwarded message:|_{20,})\s*$/im;
const FROM_LINE = /^\s*\*?(from|보낸\s?사람|von|de|差出人|发件人)\s*:\*?\s*(.+)$/im;
const SUBJECT_LINE = /^\s*\*?(subject|제목|betreff|objet|件名|主题)\s*:\*?\s*(.+)$/im;

export interface ForwardedOriginal {
  from: MailAddress;
  subject: string | null;
}

/** The subject without forward prefixes (`Fwd: FW: 전달: …`). */
export function stripForwardPrefix(subject: string): string {
  return subject.replace(FORWARD_SUBJECT, '').trim();
}

export function looksForwarded(p: ParsedEmail): boolean {
  return (
    FORWARD_SUBJECT.test(p.subject) ||
    FORWARD_MARK.test(p.text ?? '') ||
    p.attachments.some((a) => a.contentType === 'message/rfc822')
  );
}

function addressIn(value: string): MailAddress | null {
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /\[mailto:([^\]\s]+@[^\]\s]+)\]/i.exec(value);
  const bare = /([^\s<>[\]"(),;:]+@[^\s<>[\]"(),;:]+\.[a-z0-9-]{2,})/i.exec(value);
  const address = (bracketed?.[1] ?? bare?.[1])?.toLowerCase();
  if (!address) return null;
  const name = value
    .replace(/<[^>]*>|\[mailto:[^\]]*\]/gi, '')
    .replace(address, '')
    .replace(/["']/g, '')
    .trim();
  return { address, name };
}

/** The original sender of a forwarded mail, or null when it cannot be told. */
export function forwardedOriginal(p: ParsedEmail): ForwardedOriginal | null {
  const eml = p.attachments.find((a) => a.contentType === 'message/rfc822');
  if (eml) {
    const fields = headerFields(eml.content);
    const raw = firstHeader(fields, 'from') ?? '';
    const from = addressesOf(parseAddressHeader(Buffer.from(raw, 'latin1').toString('utf8')))[0] ?? addressIn(raw);
    if (from) return { from, subject: firstHeader(fields, 'subject') ?? null };
  }
  const text = p.text ?? '';
  const marker = FORWARD_MARK.exec(text);
  const rest = marker ? text.slice(marker.index + marker[0].length) : FORWARD_SUBJECT.test(p.subject) ? text : '';
  const fromLine = FROM_LINE.exec(rest.slice(0, 4000));
  const from = fromLine ? addressIn(fromLine[2]) : null;
  if (!from) return null;
  const subject = SUBJECT_LINE.exec(rest.slice(0, 4000))?.[2]?.trim() ?? null;
  return { from, subject };
}
