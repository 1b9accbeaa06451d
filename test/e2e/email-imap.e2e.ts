import { ImapFlow } from 'imapflow';
import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { MailboxesService } from '../../src/channels/email/mailboxes/mailboxes.service';
import { ImapPollersService } from '../../src/channels/email/ways-in/imap-pollers.service';
import { factories } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { emailHelpers, waitUntil } from '../helpers/email';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type TestApp } from '../helpers/test-app';

const REPLY = `mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id } } }`;

/**
 * IMAP against a real Dovecot the test starts: mail appended to the folder becomes a ticket
 * (IDLE wakes the poller), is marked seen or moved, the agent's answer goes out by SMTP, the
 * customer's reply threads, and after a restart nothing is read twice.
 */
describe('email over IMAP (Dovecot)', () => {
  let dovecot: Dovecot;
  let sink: SmtpSink;
  let db: TestDatabase;
  let app: TestApp;

  const imap = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: 'support', pass: 'imap-password' },
      logger: false,
    });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout();
    }
  };
  const append = (raw: string, folder = 'INBOX') => imap((c) => c.append(folder, raw.replace(/\r?\n/g, '\r\n')));
  const boot = () =>
    startTestApp(
      { DATABASE_URL: db.url, JOBS_ENABLED: '1', EMAIL_IMAP_POLL_SECONDS: '1' },
      { db: { ...db, drop: () => Promise.resolve() } },
    );
  const inboundCount = async () => Number((await app.dataSource.query(`SELECT count(*) AS n FROM email_inbound`))[0].n);

  beforeAll(async () => {
    dovecot = await startDovecot({ support: 'imap-password' });
    sink = await startSmtpSink();
    db = await createTestDatabase();
    app = await boot();
    await imap((c) => c.mailboxCreate('Processed'));
    await app.app.get(MailboxesService).create(SYSTEM_ACTOR, {
      address: 'support@acme.test',
      name: 'Acme Support',
      isDefault: true,
      smtp: { host: '127.0.0.1', port: sink.port, security: 'none' },
      imap: {
        enabled: true,
        host: '127.0.0.1',
        port: dovecot.port,
        tls: false,
        user: 'support',
        password: 'imap-password',
        folder: 'INBOX',
        afterFetch: 'seen',
      },
    });
    await app.app.get(ImapPollersService).reconcile();
  }, 60000);

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
    await sink?.close();
    await dovecot?.stop();
  });

  it('turns IMAP mail into a ticket, marks it seen, and threads the reply to our answer', async () => {
    const h = emailHelpers(app.app);
    await append(
      'From: Jisoo <jisoo@customer.test>\nTo: support@acme.test\nSubject: IMAP hello\nMessage-ID: <imap-1@customer.test>\n\n메일함으로 보냅니다.\n',
    );
    const first = await waitUntil(
      () =>
        h.ds.query(`SELECT id, status, ticket_id FROM email_inbound WHERE message_id_header = 'imap-1@customer.test'`),
      (rows: Array<{ status: string; ticket_id: string }>) => rows[0]?.status === 'parsed',
      20000,
      'the IMAP mail to become a ticket',
    );
    const ticketId = first[0].ticket_id;
    const flags = await imap(async (c) => {
      await c.mailboxOpen('INBOX');
      return (await c.fetchAll('1:*', { flags: true, uid: true })).map((m) => [...(m.flags ?? [])]);
    });
    expect(flags).toEqual([['\\Seen']]);

    const admin = await factories(app.app).agent({ role: 'admin' });
    await app.gql(REPLY, { i: { ticketId, body: 'IMAP으로 받은 메일에 답합니다.' } }, { token: admin.token });
    const answer = await sink.waitForMailTo('jisoo@customer.test');
    expect(answer.header('in-reply-to')).toBe('<imap-1@customer.test>');

    await append(
      `From: Jisoo <jisoo@customer.test>\nTo: support@acme.test\nSubject: Re: IMAP hello\nMessage-ID: <imap-2@customer.test>\n` +
        `In-Reply-To: ${answer.header('message-id')}\nReferences: <imap-1@customer.test> ${answer.header('message-id')}\n\n감사합니다\n`,
    );
    const second = await waitUntil(
      () => h.ds.query(`SELECT status, ticket_id FROM email_inbound WHERE message_id_header = 'imap-2@customer.test'`),
      (rows: Array<{ status: string; ticket_id: string }>) => rows[0]?.status === 'parsed',
      20000,
    );
    expect(second[0].ticket_id).toBe(ticketId);
  }, 60000);

  it('resumes after a restart without reading anything twice, also when its progress is lost', async () => {
    const before = await inboundCount();
    await app.stop();
    await append(
      'From: Later <later@customer.test>\nTo: support@acme.test\nSubject: while down\nMessage-ID: <imap-3@customer.test>\n\nx\n',
    );
    app = await boot();
    await app.app.get(ImapPollersService).reconcile();
    await waitUntil(inboundCount, (n) => n === before + 1, 20000, 'the mail sent while the app was down');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inboundCount()).toBe(before + 1);

    // progress lost (e.g. restored backup): every mail is read again and recognised as known
    await app.dataSource.query(`UPDATE email_mailbox SET imap_last_uid = 0`);
    app.app.get(ImapPollersService).pokeAll();
    await waitUntil(
      () => app.dataSource.query(`SELECT imap_last_uid FROM email_mailbox`),
      (rows: Array<{ imap_last_uid: string }>) => Number(rows[0].imap_last_uid) >= 3,
      20000,
    );
    expect(await inboundCount()).toBe(before + 1);
    const tickets = Number((await app.dataSource.query(`SELECT count(*) AS n FROM ticket`))[0].n);
    expect(tickets).toBe(2);
  }, 60000);

  it('moves fetched mail to another folder when configured so', async () => {
    const mailboxes = app.app.get(MailboxesService);
    const [mb] = await mailboxes.list(SYSTEM_ACTOR);
    await mailboxes.update(SYSTEM_ACTOR, mb.id, {
      imap: {
        enabled: true,
        host: '127.0.0.1',
        port: dovecot.port,
        tls: false,
        user: 'support',
        folder: 'INBOX',
        afterFetch: 'move',
        moveTo: 'Processed',
      },
    });
    await app.app.get(ImapPollersService).reconcile();
    await append(
      'From: Mover <mover@customer.test>\nTo: support@acme.test\nSubject: move me\nMessage-ID: <imap-4@customer.test>\n\nx\n',
    );
    await waitUntil(
      () =>
        imap(async (c) => {
          const st = await c.status('Processed', { messages: true });
          return st ? (st.messages ?? 0) : 0;
        }),
      (n) => n === 1,
      20000,
      'the mail to be moved',
    );
    const inbox = await imap(async (c) => {
      const st = await c.status('INBOX', { messages: true });
      return st ? st.messages : -1;
    });
    expect(inbox).toBe(3);
    await waitUntil(
      () => app.dataSource.query(`SELECT status FROM email_inbound WHERE message_id_header = 'imap-4@customer.test'`),
      (rows: Array<{ status: string }>) => rows[0]?.status === 'parsed',
      20000,
    );
  }, 60000);
});
