import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { InboundWriterService } from '../../src/channels/email/inbound/inbound-writer.service';
import { ValidationError } from '../../src/common/errors/domain-error';
import { AgentsService } from '../../src/identity/agents.service';
import { factories, type AgentWithCredentials } from '../factories';
import { emailHelpers, waitUntil } from '../helpers/email';
import { startTestApp, type TestApp } from '../helpers/test-app';

const DIR = join(__dirname, '../fixtures/email');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
const expected = (f: string) =>
  JSON.parse(readFileSync(join(DIR, f.replace(/\.eml$/, '.json')), 'utf8')) as {
    report?: unknown;
    loop?: string | null;
    parse?: string;
    stored?: string[];
  };

const FAILED = `query { inboundMails(status: failed, first: 50) { edges { node { id status error attempts subject } } } }`;
const RETRY = `mutation($id: ID!) { retryInboundMail(id: $id) { id status } }`;

/**
 * The raw-first pipeline on a real database: every fixture of the corpus goes in through the
 * intake and comes out parsed or deliberately ignored, never lost; failures are visible,
 * retryable and do not hold up other mail; duplicates add nothing.
 */
describe('email pipeline', () => {
  let app: TestApp;
  let h: ReturnType<typeof emailHelpers>;
  let admin: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp({ JOBS_ENABLED: '1', EMAIL_SENDER_RATE_LIMIT: '10', EMAIL_INGEST_CONCURRENCY: '4' });
    h = emailHelpers(app.app);
    admin = await factories(app.app).agent({ role: 'admin' });
    await h.mailbox({ isDefault: true });
    await h.mailbox({ address: 'billing@acme.test', name: 'Billing' });
    await h.mailbox({ address: 'sales@acme.test', name: 'Sales' });
    await app.app.get(AgentsService).create(SYSTEM_ACTOR, {
      email: 'agent@acme.test',
      name: 'Han Agent',
      role: 'agent',
      password: 'agent-password-123',
    });
  }, 60000);
  afterAll(async () => app.stop());

  it('processes the whole corpus: parsed or ignored as expected, attachments stored, nothing failed', async () => {
    const stored = await Promise.all(
      fixtures.map(async (f) => ({
        f,
        r: await h.intake.store({ raw: readFileSync(join(DIR, f)), source: 'api', mailboxId: null }),
      })),
    );
    const dup = stored.find((s) => s.f.startsWith('71-'))!;
    expect(dup.r.duplicate).toBe(true);
    const fresh = stored.filter((s) => !s.r.duplicate);
    expect(fresh).toHaveLength(fixtures.length - 1);
    const rows = await waitUntil(
      () => Promise.all(fresh.map((s) => h.inbound(s.r.id))),
      (all) => all.every((r) => r.status !== 'received'),
      60000,
      'every mail to be processed',
    );
    for (const [i, row] of rows.entries()) {
      const e = expected(fresh[i].f);
      const ignored = e.parse === 'error' || !!e.report || !!e.loop;
      expect({ file: fresh[i].f, status: row.status, error: row.error }).toEqual({
        file: fresh[i].f,
        status: ignored ? 'ignored' : 'parsed',
        error: null,
      });
      if (!ignored) {
        const files = await h.ds.query<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM attachment WHERE message_id = $1`,
          [row.messageId],
        );
        expect({ file: fresh[i].f, files: Number(files[0].n) }).toEqual({
          file: fresh[i].f,
          files: e.stored?.length ?? 0,
        });
      }
    }
  }, 90000);

  it('stores a duplicate delivery once', async () => {
    const raw = `From: a@dup.test\nTo: support@acme.test\nSubject: dup\nMessage-ID: <dup-1@dup.test>\n\nsame\n`;
    const first = await h.deliver(raw);
    const again = await h.intake.store({
      raw: Buffer.from(raw.replace(/\n/g, '\r\n')),
      source: 'imap',
      mailboxId: null,
    });
    expect(again).toEqual({ id: first.id, duplicate: true });
    const n = await h.ds.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM email_inbound WHERE message_id_header = 'dup-1@dup.test'`,
    );
    expect(Number(n[0].n)).toBe(1);
  });

  it('indexes a new ticket by the words of its first mail and records the mail on its conversation', async () => {
    const row = await h.deliver(
      `From: Ji-woo <jiwoo@index.test>\nTo: support@acme.test\nSubject: 주문 문의\nMessage-ID: <index-1@index.test>\n` +
        `Content-Type: text/plain; charset=utf-8\n\nThe zanzibarite gadget broke; 환불 부탁드립니다.\n`,
    );
    expect(row.status).toBe('parsed');
    const found = async (text: string) => {
      const r = await app.gql<{ tickets: { edges: Array<{ node: { id: string } }> } }>(
        `query($f: TicketFilterInput) { tickets(filter: $f) { edges { node { id } } } }`,
        { f: { text } },
        { token: admin.token },
      );
      return r.data!.tickets.edges.map((e) => e.node.id);
    };
    // the subject, a body word, and a two-syllable Korean body word (bigrams) all find it
    expect(await found('주문')).toContain(row.ticketId);
    expect(await found('zanzibarite')).toContain(row.ticketId);
    expect(await found('환불')).toContain(row.ticketId);
    const [rows] = [
      await h.ds.query<Array<{ last_message_at: Date | null; updated_at: Date; created_at: Date }>>(
        `SELECT c.last_message_at, t.updated_at, t.created_at FROM conversation c JOIN ticket t ON t.id = c.ticket_id
          WHERE c.id = $1`,
        [row.conversationId],
      ),
    ];
    expect(rows[0].last_message_at).not.toBeNull();
    expect(rows[0].updated_at.getTime()).toBeGreaterThanOrEqual(rows[0].created_at.getTime());
  });

  it('commits mails that arrive together as a group, each stored once, a bad one refused alone', async () => {
    const mail = (n: number) =>
      Buffer.from(
        `From: g${n}@group.test\r\nTo: support@acme.test\r\nSubject: group ${n}\r\nMessage-ID: <group-${n}@group.test>\r\n\r\nbody ${n}\r\n`,
      );
    const store = (n: number, mailboxId: string | null = null) =>
      h.intake.store({ raw: mail(n), source: 'api', mailboxId });
    // all handed over at once: the first commits alone, the rest wait for it and share the next commit
    const results = await Promise.allSettled([
      store(1),
      store(2),
      store(3),
      store(2),
      store(4, '00000000-0000-4000-8000-000000000000'), // no such mailbox: the insert fails
      store(5),
    ]);
    const [one, two, three, twoAgain, bad, five] = results;
    for (const r of [one, two, three, five])
      expect(r).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
    expect(twoAgain).toEqual({
      status: 'fulfilled',
      value: { id: (two as PromiseFulfilledResult<{ id: number }>).value.id, duplicate: true },
    });
    expect(bad.status).toBe('rejected');
    const rows = await h.ds.query<Array<{ message_id_header: string; n: string }>>(
      `SELECT message_id_header, count(*) AS n FROM email_inbound WHERE message_id_header LIKE 'group-%'
        GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.map((r) => [r.message_id_header, Number(r.n)])).toEqual([
      ['group-1@group.test', 1],
      ['group-2@group.test', 1],
      ['group-3@group.test', 1],
      ['group-5@group.test', 1],
    ]);
    // and every stored one is processed (its job was committed with it)
    await waitUntil(
      () =>
        Promise.all(
          [one, two, three, five].map((r) => h.inbound((r as PromiseFulfilledResult<{ id: number }>).value.id)),
        ),
      (all) => all.every((r) => r.status === 'parsed'),
      30000,
      'the grouped mails to be processed',
    );
  });

  it('marks a mail that cannot be processed failed, keeps going, and lets an admin retry it', async () => {
    const writer = app.app.get(InboundWriterService);
    const spy = jest.spyOn(writer, 'write').mockRejectedValueOnce(new ValidationError('simulated bug'));
    const bad = await h.deliver(
      `From: x@fail.test\nTo: support@acme.test\nSubject: will fail\nMessage-ID: <fail-1@fail.test>\n\nx\n`,
    );
    expect(bad).toMatchObject({ status: 'failed', error: 'simulated bug' });
    const next = await h.deliver(
      `From: y@fail.test\nTo: support@acme.test\nSubject: fine\nMessage-ID: <fine-1@fail.test>\n\ny\n`,
    );
    expect(next.status).toBe('parsed');
    spy.mockRestore();

    const listed = await app.gql<{
      inboundMails: { edges: Array<{ node: { id: string; error: string; subject: string | null } }> };
    }>(FAILED, {}, { token: admin.token });
    expect(listed.data!.inboundMails.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ id: String(bad.id), error: 'simulated bug' }),
    );
    const retried = await app.gql<{ retryInboundMail: { status: string } }>(
      RETRY,
      { id: String(bad.id) },
      { token: admin.token },
    );
    expect(retried.data!.retryInboundMail.status).toBe('received');
    const after = await waitUntil(
      () => h.inbound(bad.id),
      (r) => r.status !== 'received',
    );
    expect(after).toMatchObject({ status: 'parsed', attempts: 2 });
  });

  it('keeps an unparseable mail as failed with the reason', async () => {
    const parts = Array.from({ length: 2100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join(
      '',
    );
    const raw = `From: many@parts.test\r\nTo: support@acme.test\r\nSubject: too many parts\r\nMessage-ID: <parts@parts.test>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`;
    const row = await h.deliver(Buffer.from(raw));
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/^parse: /);
  });

  it('holds back a sender over the hourly rate limit (mail loop guard)', async () => {
    const rows = [];
    for (let i = 0; i < 12; i++) {
      rows.push(
        await h.deliver(
          `From: loop@robot.test\nTo: support@acme.test\nSubject: ping ${i}\nMessage-ID: <loop-${i}@robot.test>\n\nping ${i}\n`,
        ),
      );
    }
    expect(rows.filter((r) => r.status === 'parsed')).toHaveLength(10);
    expect(rows.slice(10).map((r) => r.reason)).toEqual([
      expect.stringMatching(/^rate limit: 10 mails from loop@robot\.test/),
      expect.stringMatching(/^rate limit: 10 mails from loop@robot\.test/),
    ]);
  });

  it('forbids the admin views to agents', async () => {
    const agent = await factories(app.app).agent();
    const r = await app.gql(FAILED, {}, { token: agent.token });
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
