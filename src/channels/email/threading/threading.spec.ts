import type { ParsedEmail } from '../inbound/parse';
import { subjectTagPattern, subjectWithTag, threadKeys } from './thread-keys';
import { matchThread, type ThreadLookup } from './thread-match';
import {
  baseAddress,
  newMessageId,
  threadIndexFor,
  threadIndexRoot,
  ticketToken,
  tokenAddress,
  tokenInAddress,
  tokenInMessageId,
  verifyTicketToken,
} from './tokens';

const SECRET = 'test-secret-test-secret-test-secret-0123';

function mail(over: Partial<ParsedEmail> = {}, headers: Record<string, string> = {}): ParsedEmail {
  return {
    messageId: 'm1@example.org',
    inReplyTo: [],
    references: [],
    subject: 'Hello',
    date: null,
    from: { address: 'kim@example.org', name: 'Kim' },
    sender: null,
    replyTo: [],
    to: [{ address: 'support@acme.test', name: '' }],
    cc: [],
    html: null,
    text: 'hi',
    attachments: [],
    contentType: 'text/plain',
    headers: new Map(Object.entries(headers).map(([k, v]) => [k, [v]])),
    ...over,
  };
}

const empty = (): ThreadLookup => ({ byMessageId: new Map(), byToken: [], bySubject: [], byThreadIndex: [] });

describe('ticket tokens', () => {
  it('round-trips and refuses forgeries', () => {
    const token = ticketToken(SECRET, 1042);
    expect(token).toMatch(/^1042-[0-9a-f]{10}$/);
    expect(verifyTicketToken(SECRET, token)).toBe(1042);
    expect(verifyTicketToken(SECRET, token.toUpperCase())).toBe(1042);
    expect(verifyTicketToken(SECRET, token.replace('1042', '1043'))).toBeNull();
    expect(verifyTicketToken('another-secret-another-secret-another', token)).toBeNull();
    expect(verifyTicketToken(SECRET, 'garbage')).toBeNull();
  });

  it('travels in our Message-IDs and plus addresses', () => {
    const token = ticketToken(SECRET, 7);
    const id = newMessageId('Acme.test', token);
    expect(id).toMatch(/^sori\.7-[0-9a-f]{10}\.[a-z0-9]+\.[a-z0-9]+@acme\.test$/);
    expect(tokenInMessageId(id)).toBe(token);
    expect(newMessageId('acme.test', token)).not.toBe(id);
    const reply = tokenAddress('support@acme.test', token);
    expect(reply).toBe(`support+sori-${token}@acme.test`);
    expect(tokenInAddress(reply)).toBe(token);
    expect(baseAddress(reply)).toBe('support@acme.test');
    expect(tokenInMessageId('CAF=abc@mail.gmail.com')).toBeNull();
  });

  it('builds Outlook Thread-Index values that share a root per ticket', () => {
    const created = new Date('2024-05-01T10:00:00Z');
    const first = threadIndexFor(SECRET, 't1', created, 0);
    const later = threadIndexFor(SECRET, 't1', created, 3);
    expect(Buffer.from(first, 'base64')).toHaveLength(22);
    expect(Buffer.from(later, 'base64')).toHaveLength(27);
    expect(threadIndexRoot(later)).toBe(threadIndexRoot(first));
    expect(threadIndexRoot(threadIndexFor(SECRET, 't2', created, 0))).not.toBe(threadIndexRoot(first));
    expect(threadIndexRoot('not base64 of the right length')).toBeNull();
  });
});

describe('subject tags', () => {
  it('finds configured tags and adds the tag once', () => {
    expect([...'Re: [#1234] refund'.matchAll(subjectTagPattern('[#{number}]')!)].map((m) => m[1])).toEqual(['1234']);
    expect([...'[Ticket#77] x'.matchAll(subjectTagPattern('[Ticket#{number}]')!)].map((m) => m[1])).toEqual(['77']);
    expect(subjectTagPattern('no placeholder')).toBeNull();
    expect(subjectWithTag('Refund', '[#{number}]', 12)).toBe('Refund [#12]');
    expect(subjectWithTag('Re: Refund [#12]', '[#{number}]', 12)).toBe('Re: Refund [#12]');
    expect(subjectWithTag('Refund', '', 12)).toBe('Refund');
  });
});

describe('thread keys', () => {
  it('orders In-Reply-To before References (newest first) and collects tokens and numbers', () => {
    const token = ticketToken(SECRET, 55);
    const keys = threadKeys(
      mail(
        {
          inReplyTo: ['c@x'],
          references: ['a@x', `sori.${token}.abc.def@acme.test`, 'c@x'],
          subject: 'Re: [#55] Help [#56]',
        },
        { 'thread-index': threadIndexFor(SECRET, 't', new Date(), 1) },
      ),
      ['support@acme.test'],
      ['[#{number}]', '[#{number}]'],
    );
    expect(keys.messageIds).toEqual(['c@x', `sori.${token}.abc.def@acme.test`, 'a@x']);
    expect(keys.tokens).toEqual([token]);
    expect(keys.subjectNumbers).toEqual([55, 56]);
    expect(keys.threadIndexRoot).toMatch(/^[0-9a-f]{44}$/);
  });

  it('reads tokens from plus-addressed recipients', () => {
    const token = ticketToken(SECRET, 9);
    const keys = threadKeys(mail(), [`support+sori-${token}@acme.test`], []);
    expect(keys.tokens).toEqual([token]);
  });
});

describe('thread matching', () => {
  const keys = (over: Partial<ParsedEmail>, headers: Record<string, string> = {}) =>
    threadKeys(mail(over, headers), [], ['[#{number}]']);

  it('prefers a known In-Reply-To over older references and everything else', () => {
    const found = empty();
    found.byMessageId.set('new@x', { ticketId: 'T2', conversationId: 'C2' });
    found.byMessageId.set('old@x', { ticketId: 'T1', conversationId: 'C1' });
    found.bySubject.push({ ticketId: 'T3' });
    const k = keys({ inReplyTo: ['new@x'], references: ['old@x', 'new@x'], subject: '[#3]' });
    expect(matchThread(k, found, () => true)).toEqual({ ticketId: 'T2', conversationId: 'C2', via: 'in-reply-to' });
  });

  it('falls back to References when In-Reply-To is unknown', () => {
    const found = empty();
    found.byMessageId.set('old@x', { ticketId: 'T1', conversationId: null });
    const k = keys({ inReplyTo: ['unknown@x'], references: ['old@x', 'unknown@x'] });
    expect(matchThread(k, found, () => false)).toEqual({ ticketId: 'T1', conversationId: null, via: 'references' });
  });

  it('uses a verified token even from a stranger (they received our mail)', () => {
    const found = empty();
    found.byToken.push({ ticketId: 'T5' });
    expect(matchThread(keys({}), found, () => false)?.via).toBe('token');
  });

  it('accepts a subject tag or Outlook thread only from someone already on the ticket', () => {
    const found = empty();
    found.bySubject.push({ ticketId: 'T7' });
    found.byThreadIndex.push({ ticketId: 'T8', conversationId: 'C8' });
    expect(matchThread(keys({ subject: '[#7]' }), found, () => false)).toBeNull();
    expect(matchThread(keys({ subject: '[#7]' }), found, (t) => t === 'T7')?.via).toBe('subject');
    expect(matchThread(keys({}), found, (t) => t === 'T8')).toEqual({
      ticketId: 'T8',
      conversationId: 'C8',
      via: 'thread-index',
    });
  });

  it('opens a new ticket when nothing matches', () => {
    expect(matchThread(keys({ inReplyTo: ['x@y'] }), empty(), () => true)).toBeNull();
  });
});
