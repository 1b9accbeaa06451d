import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { htmlToText } from '../../common/text/html';
import { loadConfig } from '../../config/config';
import type { AttachmentsService } from '../../conversations/attachments/attachments.service';
import { detectContentType } from '../../conversations/attachments/file-type';
import { sanitizeFilename } from '../../conversations/attachments/filenames';
import { bodyFromInbound } from '../../conversations/message-body';
import type { Agent } from '../../identity/entities';
import { loopReason, noAutoAnswerReason } from './inbound/auto-reply';
import { deliveryReport } from './inbound/dsn';
import { rewriteCidLinks, storeInboundAttachments } from './inbound/inbound-attachments';
import { parseEmail, type ParsedEmail } from './inbound/parse';
import { mailPeople, ticketCopies } from './inbound/people';
import { quotedTextStart } from './inbound/quotes';
import { rawIdentity } from './inbound/raw-mail';
import { threadKeys } from './threading/thread-keys';
import { matchThread, type ThreadLookup } from './threading/thread-match';
import { verifyTicketToken } from './threading/tokens';

/**
 * The fixture corpus: every `test/fixtures/email/*.eml` is parsed and run through the pure
 * parts of the pipeline (charset repair, MIME parsing, sanitising, attachment checks, who it is
 * from, auto-reply / loop / bounce classification, quote detection, threading) and compared
 * with its `.json` — only the fields the JSON names. The world it threads against is below.
 */

const DIR = join(__dirname, '../../../test/fixtures/email');
const SECRET = 'test-secret-test-secret-test-secret-0123';
const config = loadConfig({ APP_SECRET: SECRET, DATA_DIR: '/tmp/sori-corpus-unused' });
const OURS = new Set(['support@acme.test', 'billing@acme.test', 'sales@acme.test']);
const AGENTS = new Map([['agent@acme.test', { id: 'A-han', email: 'agent@acme.test', name: 'Han Agent' }]]);

/** Tickets that exist in this world: number → id, requester, customers copied. */
const TICKETS: Record<number, { id: string; requester: string; copies: string[] }> = {
  1001: { id: 'T1001', requester: 'kim@example.org', copies: ['choi@example.org'] },
  1002: { id: 'T1002', requester: 'lee@example.com', copies: [] },
  1003: { id: 'T1003', requester: 'park@contoso.test', copies: [] },
  1004: { id: 'T1004', requester: 'kwon@example.kr', copies: [] },
  1005: { id: 'T1005', requester: 'kwon@example.kr', copies: [] },
};
/** Mail we sent or received earlier, by Message-ID. */
const KNOWN_IDS = new Map([
  ['sori.1001-daebeddf4d.lw2k3j.a1b2c3d4e5f6@acme.test', 'T1001'],
  ['sori.1002-30d90c4e81.lw2k3m.ack000000002@acme.test', 'T1002'],
  ['cust-1002-original@example.com', 'T1002'],
]);
/** The Outlook conversation of fixture 06 was stored on T1003. */
const KNOWN_THREAD_ROOTS = new Map([['01da6dcf91a49f1c2d3e4a5b6c7d8e9fa0b1c2d3e4f5', 'T1003']]);

function lookup(keys: ReturnType<typeof threadKeys>): ThreadLookup {
  const byNumber = (n: number | null) => (n !== null && TICKETS[n] ? [{ ticketId: TICKETS[n].id }] : []);
  const byMessageId = new Map<string, { ticketId: string; conversationId: string | null }>();
  for (const id of keys.messageIds) {
    const t = KNOWN_IDS.get(id);
    if (t) byMessageId.set(id, { ticketId: t, conversationId: `C-${t}` });
  }
  const root = keys.threadIndexRoot && KNOWN_THREAD_ROOTS.get(keys.threadIndexRoot);
  return {
    byMessageId,
    byToken: keys.tokens.flatMap((t) => byNumber(verifyTicketToken(SECRET, t))),
    bySubject: keys.subjectNumbers.flatMap(byNumber),
    byThreadIndex: root ? [{ ticketId: root, conversationId: `C-${root}` }] : [],
  };
}

/** AttachmentsService.storeBuffer's checks, without disk or database; ids are `file-<n>`. */
const storedNames = new Map<string, string>();
const storage = {
  storeBuffer: (data: Buffer, filename: string, declared?: string) => {
    if (data.length > config.storage.maxUploadBytes) throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'too large');
    if (!data.length) throw new ValidationError('empty');
    detectContentType(data.subarray(0, 4096), declared, sanitizeFilename(filename), config.storage.allowedTypes);
    const id = `file-${storedNames.size + 1}`;
    storedNames.set(id, sanitizeFilename(filename));
    return Promise.resolve({ id });
  },
} as unknown as AttachmentsService;

async function outcome(raw: Buffer): Promise<Record<string, unknown>> {
  storedNames.clear();
  const identity = rawIdentity(raw);
  let mail: ParsedEmail;
  try {
    mail = await parseEmail(raw);
  } catch (err) {
    return { parse: 'error', error: (err as Error).message, messageIdGenerated: identity.messageIdGenerated };
  }
  const agentOf = (a: string) => Promise.resolve((AGENTS.get(a) as unknown as Agent) ?? null);
  const people = await mailPeople(mail, null, OURS, agentOf);
  const keys = threadKeys(
    mail,
    [...mail.to, ...mail.cc].map((a) => a.address),
    ['[#{number}]'],
  );
  const author = people.author?.address ?? null;
  const target = matchThread(keys, lookup(keys), (ticketId) => {
    const t = Object.values(TICKETS).find((x) => x.id === ticketId);
    return !!people.agent || (!!author && !!t && (t.requester === author || t.copies.includes(author)));
  });
  const files = await storeInboundAttachments(mail.attachments, storage);
  const html = mail.html ? rewriteCidLinks(mail.html, files.byCid) : null;
  const text = (mail.text ?? (html ? htmlToText(html) : '')).replace(/\r\n?/g, '\n').trim();
  const body = bodyFromInbound({ html, text });
  const report = deliveryReport(mail);
  return {
    parse: 'ok',
    messageId: identity.messageId,
    messageIdGenerated: identity.messageIdGenerated,
    from: mail.from?.address ?? null,
    fromName: mail.from?.name ?? null,
    to: mail.to.length > 20 ? `${mail.to.length} addresses` : mail.to.map((a) => a.address),
    cc: mail.cc.map((a) => a.address),
    subject: mail.subject,
    text: body.text,
    html: body.html,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      inline: a.inline,
    })),
    stored: files.ids.map((id) => storedNames.get(id)),
    rejected: files.rejected.map((r) => ({ filename: r.filename, reason: r.reason })),
    author,
    replyTo: people.replyTo?.address ?? null,
    agent: people.agent?.email ?? null,
    forwardedBy: people.forwardedBy?.email ?? null,
    copies: ticketCopies(people, mail, noAutoAnswerReason(mail)).map((c) => c.address),
    thread: target ? { ticket: target.ticketId, via: target.via } : null,
    noAnswer: noAutoAnswerReason(mail),
    loop: loopReason(mail, OURS),
    report: report && { kind: report.kind, status: report.status, original: report.originalMessageIds[0] ?? null },
    quoted: quotedTextStart(body.text) !== null,
  };
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort();

describe('email fixture corpus', () => {
  it('has at least 60 fixtures, each with its expected result', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
    for (const f of fixtures) expect(() => readFileSync(join(DIR, f.replace(/\.eml$/, '.json')))).not.toThrow();
  });

  it.each(fixtures)('%s', async (file) => {
    const raw = readFileSync(join(DIR, file));
    const actual = await outcome(raw);
    const expected = JSON.parse(readFileSync(join(DIR, file.replace(/\.eml$/, '.json')), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const [key, want] of Object.entries(expected)) {
      if (key === 'description') continue;
      if (key === 'textIncludes') for (const s of want as string[]) expect(actual.text).toContain(s);
      else if (key === 'htmlIncludes') for (const s of want as string[]) expect(actual.html).toContain(s);
      else if (key === 'htmlExcludes')
        for (const s of want as string[]) expect(String(actual.html).toLowerCase()).not.toContain(s);
      else if (key === 'noAnswer' || key === 'loop' || key === 'error') {
        if (want === null) expect(actual[key] ?? null).toBeNull();
        else expect(String(actual[key])).toContain(want as string);
      } else expect({ [key]: actual[key] }).toEqual({ [key]: want });
    }
  });

  it('sees the same mail delivered by another route as the same mail', () => {
    const a = rawIdentity(readFileSync(join(DIR, '01-gmail-korean-new.eml')));
    const b = rawIdentity(readFileSync(join(DIR, '71-same-mail-other-route.eml')));
    expect(b.sha256).not.toBe(a.sha256);
    expect(b.contentSha256).toBe(a.contentSha256);
    expect(b.messageId).toBe(a.messageId);
  });

  it('gives a mail without Message-ID a stable generated one', () => {
    const raw = readFileSync(join(DIR, '37-no-message-id.eml'));
    expect(rawIdentity(raw).messageId).toBe(rawIdentity(Buffer.from(raw)).messageId);
    expect(rawIdentity(raw).messageId).toMatch(/^generated\.[0-9a-f]{32}@sori\.invalid$/);
  });
});
