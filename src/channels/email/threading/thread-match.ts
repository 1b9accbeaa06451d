import type { ThreadKeys } from './thread-keys';

export type ThreadVia = 'in-reply-to' | 'references' | 'token' | 'subject' | 'thread-index';

/** What the database knows about the keys of a mail. */
export interface ThreadLookup {
  /** Mails we sent or received with these Message-IDs. */
  byMessageId: Map<string, { ticketId: string; conversationId: string | null }>;
  /** Tickets of verified tokens, in the order of `keys.tokens`. */
  byToken: Array<{ ticketId: string }>;
  /** Tickets of the subject numbers. */
  bySubject: Array<{ ticketId: string }>;
  /** Tickets of earlier mails in the same Outlook conversation, newest first. */
  byThreadIndex: Array<{ ticketId: string; conversationId: string | null }>;
}

export interface ThreadTarget {
  ticketId: string;
  conversationId: string | null;
  via: ThreadVia;
}

/**
 * Picks the ticket a mail continues, in order: a Message-ID we sent or received (In-Reply-To,
 * then References newest first); a genuine ticket token; the subject tag; the Outlook
 * conversation. The last two can be forged or guessed by anyone, so they only count when the
 * sender already takes part in that ticket (`mayJoin`); otherwise the mail opens a new ticket.
 */
export function matchThread(
  keys: ThreadKeys,
  found: ThreadLookup,
  mayJoin: (ticketId: string) => boolean,
): ThreadTarget | null {
  for (const id of keys.messageIds) {
    const hit = found.byMessageId.get(id);
    if (hit) return { ...hit, via: keys.inReplyTo.includes(id) ? 'in-reply-to' : 'references' };
  }
  const token = found.byToken[0];
  if (token) return { ticketId: token.ticketId, conversationId: null, via: 'token' };
  const subject = found.bySubject.find((t) => mayJoin(t.ticketId));
  if (subject) return { ticketId: subject.ticketId, conversationId: null, via: 'subject' };
  const outlook = found.byThreadIndex.find((t) => mayJoin(t.ticketId));
  if (outlook) return { ...outlook, via: 'thread-index' };
  return null;
}
