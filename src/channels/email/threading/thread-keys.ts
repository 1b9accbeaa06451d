import type { ParsedEmail } from '../inbound/parse';
import { threadIndexRoot, tokenInAddress, tokenInMessageId } from './tokens';

/** Everything in a mail that can tie it to an existing ticket, strongest kind first. */
export interface ThreadKeys {
  /** In-Reply-To first, then References from the newest to the oldest. */
  messageIds: string[];
  /** The subset of `messageIds` from In-Reply-To. */
  inReplyTo: string[];
  /** Ticket tokens (unverified) from our Message-IDs it refers to and from plus-addressed recipients. */
  tokens: string[];
  /** Ticket numbers from the subject tag. */
  subjectNumbers: number[];
  threadIndexRoot: string | null;
}

/** A regex for a subject tag template such as `[#{number}]` or `[Ticket#{number}]`. */
export function subjectTagPattern(template: string): RegExp | null {
  if (!template.includes('{number}')) return null;
  const [before, after] = template.split('{number}').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`${before}\\s*(\\d{1,12})\\s*${after}`, 'gi');
}

export function subjectWithTag(subject: string, template: string, ticketNumber: number): string {
  const pattern = subjectTagPattern(template);
  if (!pattern) return subject;
  if ([...subject.matchAll(pattern)].some((m) => Number(m[1]) === ticketNumber)) return subject;
  return `${subject} ${template.replace('{number}', String(ticketNumber))}`.trim();
}

export function threadKeys(mail: ParsedEmail, recipients: string[], subjectTags: string[]): ThreadKeys {
  const messageIds = [...new Set([...mail.inReplyTo, ...[...mail.references].reverse()])];
  const tokens = new Set<string>();
  for (const id of messageIds) {
    const t = tokenInMessageId(id);
    if (t) tokens.add(t);
  }
  for (const r of recipients) {
    const t = tokenInAddress(r);
    if (t) tokens.add(t);
  }
  const numbers = new Set<number>();
  for (const tag of new Set(subjectTags)) {
    const pattern = subjectTagPattern(tag);
    if (!pattern) continue;
    for (const m of mail.subject.matchAll(pattern)) numbers.add(Number(m[1]));
  }
  return {
    messageIds,
    inReplyTo: mail.inReplyTo,
    tokens: [...tokens],
    subjectNumbers: [...numbers],
    threadIndexRoot: threadIndexRoot(mail.headers.get('thread-index')?.[0]),
  };
}
