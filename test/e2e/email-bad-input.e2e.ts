import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { SmtpReceiverService } from '../../src/channels/email/ways-in/smtp-receiver.service';
import { factories, type AgentWithCredentials } from '../factories';
import { emailHelpers, waitUntil } from '../helpers/email';
import { rawSmtp, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MESSAGES = `query($id: ID!) { ticket(id: $id) { subject conversations { messages(first: 5) { edges { node {
  bodyHtml bodyText attachments { filename size }
  email { rejectedAttachments { filename size reason } autoReply } } } } } } }`;

interface TicketMessages {
  ticket: {
    subject: string;
    conversations: Array<{
      messages: {
        edges: Array<{
          node: {
            bodyHtml: string;
            bodyText: string;
            attachments: Array<{ filename: string; size: number }>;
            email: {
              rejectedAttachments: Array<{ filename: string; size: number; reason: string }>;
              autoReply: string | null;
            };
          };
        }>;
      };
    }>;
  };
}

/**
 * Hostile and broken input through the real ways in: none of it loses the mail or stops the
 * pipeline. Oversized attachments are refused politely, oversized mail at the door (552/413).
 */
describe('email bad input', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let h: ReturnType<typeof emailHelpers>;
  let admin: AgentWithCredentials;
  let smtp: Transporter;
  let webhookUrl: string;
  let secret: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({
      JOBS_ENABLED: '1',
      EMAIL_SMTP_ENABLED: '1',
      EMAIL_SMTP_PORT: '0',
      EMAIL_SMTP_HOST: '127.0.0.1',
      EMAIL_MAX_MESSAGE_BYTES: String(80 * 1024 * 1024),
      MAX_UPLOAD_BYTES: String(20 * 1024 * 1024),
    });
    h = emailHelpers(app.app);
    admin = await factories(app.app).agent({ role: 'admin' });
    const created = await h.mailbox({
      isDefault: true,
      smtp: { host: '127.0.0.1', port: sink.port, security: 'none' },
    });
    webhookUrl = `${app.url}/webhooks/email/${created.mailbox.id}`;
    secret = created.webhookSecret!;
    smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: app.app.get(SmtpReceiverService).port,
      secure: false,
      ignoreTLS: true,
    });
  }, 60000);
  afterAll(async () => {
    smtp?.close();
    await app?.stop();
    await sink?.close();
  });

  const ticketOf = async (inboundId: number) => {
    const row = await waitUntil(
      () => h.inbound(inboundId),
      (r) => r.status !== 'received',
      30000,
    );
    expect(row.status).toBe('parsed');
    const r = await app.gql<TicketMessages>(MESSAGES, { id: row.ticketId }, { token: admin.token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.ticket;
  };
  const lastInboundId = async () => Number((await h.ds.query(`SELECT max(id) AS id FROM email_inbound`))[0].id);

  it('creates the ticket for a 50 MB attachment over the limit, lists it as rejected and tells the sender', async () => {
    await smtp.sendMail({
      from: '"Big Files" <big@customer.test>',
      to: 'support@acme.test',
      subject: 'Video of the problem',
      text: 'The video is attached.',
      attachments: [
        { filename: 'problem.zip', content: randomBytes(50 * 1024 * 1024), contentType: 'application/zip' },
        { filename: 'note.txt', content: 'small and fine' },
      ],
    });
    const ticket = await ticketOf(await lastInboundId());
    const message = ticket.conversations[0].messages.edges[0].node;
    expect(message.bodyText).toContain('The video is attached.');
    expect(message.attachments.map((a) => a.filename)).toEqual(['note.txt']);
    expect(message.email.rejectedAttachments).toEqual([
      { filename: 'problem.zip', size: 50 * 1024 * 1024, reason: 'too_large' },
    ]);
    // the acknowledgement goes to the same address; the two may arrive in either order
    const notice = await sink.waitForMailTo('big@customer.test', 30000, (m) =>
      /^Some attachments could not be accepted/.test(m.parsed.subject ?? ''),
    );
    expect(notice.parsed.subject).toMatch(/^Some attachments could not be accepted: Video of the problem/);
    expect(notice.parsed.text).toContain('problem.zip (50.0 MB)');
    expect(notice.parsed.text).toContain('larger than the limit of 20.0 MB');
  }, 120000);

  it('refuses a mail over the size limit at the SMTP level (552) and at the webhook (413)', async () => {
    await expect(
      smtp.sendMail({
        from: 'x@customer.test',
        to: 'support@acme.test',
        subject: 'huge',
        text: 'x'.repeat(81 * 1024 * 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    const r = await fetch(webhookUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
      body: Buffer.alloc(81 * 1024 * 1024, 0x61),
    });
    expect(r.status).toBe(413);
  }, 60000);

  it('stores an empty mail (0 bytes) and marks it ignored', async () => {
    const port = app.app.get(SmtpReceiverService).port!;
    const replies = await rawSmtp(port, 'nobody@x.test', 'support@acme.test', Buffer.alloc(0));
    expect(replies[5]).toMatch(/^250 /);
    const row = await waitUntil(
      () => lastInboundId().then((id) => h.inbound(id)),
      (r) => r.status !== 'received',
    );
    expect(row).toMatchObject({ status: 'ignored', reason: 'empty mail (0 bytes)' });
  });

  it('handles 1,000 recipients, broken MIME, truncation and 8-bit headers without losing anything', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => `partner${i}@bulk.test`);
    await smtp.sendMail({
      envelope: { from: 'mass@bulk.test', to: ['support@acme.test'] },
      from: 'mass@bulk.test',
      to: many,
      cc: 'support@acme.test',
      subject: 'To everyone',
      text: 'Hello all',
    });
    const mass = await ticketOf(await lastInboundId());
    expect(mass.conversations[0].messages.edges[0].node.email.autoReply).toMatch(/^mass mailing \(1001 recipients\)/);
    const copied = await h.ds.query(`SELECT count(*) AS n FROM ticket_contact_follower`);
    expect(Number(copied[0].n)).toBe(0);

    const raws = [
      'From: a@x.test\r\nTo: support@acme.test\r\nSubject: broken\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\nnot really mime',
      'From: b@x.test\r\nTo: support@acme.test\r\nSubject: cut\r\nContent-Type: multipart/mixed; boundary="z"\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nhalf a mai',
      Buffer.concat([
        Buffer.from('From: '),
        Buffer.from([0xc8, 0xab, 0xb1, 0xe6, 0xb5, 0xbf]),
        Buffer.from(' <hong@x.test>\r\nTo: support@acme.test\r\nSubject: '),
        Buffer.from([0xc8, 0xaf, 0xba, 0xd2]),
        Buffer.from('\r\nContent-Type: text/plain; charset=euc-kr\r\n\r\nok\r\n'),
      ]),
    ];
    const subjects = [];
    for (const raw of raws) {
      await smtp.sendMail({ envelope: { from: 'x@x.test', to: ['support@acme.test'] }, raw });
      subjects.push((await ticketOf(await lastInboundId())).subject);
    }
    expect(subjects).toEqual(['broken', 'cut', '환불']);
  });

  it('keeps scripts, iframes and javascript: links out of message HTML', async () => {
    const r = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'x-sori-webhook-secret': secret, 'content-type': 'message/rfc822' },
      body:
        'From: evil@x.test\r\nTo: support@acme.test\r\nSubject: xss\r\nContent-Type: text/html\r\n\r\n' +
        '<p onclick="x()">hi<script>alert(1)</script><iframe src="https://evil.test"></iframe>' +
        '<a href="javascript:alert(2)">link</a><img src=x onerror=alert(3)></p>',
    });
    expect(r.status).toBe(202);
    const { id } = (await r.json()) as { id: string };
    const html = (await ticketOf(Number(id))).conversations[0].messages.edges[0].node.bodyHtml.toLowerCase();
    for (const bad of ['<script', '<iframe', 'javascript:', 'onclick', 'onerror']) expect(html).not.toContain(bad);
    expect(html).toContain('hi');
  });

  it('takes raw MIME through the webhook only with the secret; forms and duplicates too', async () => {
    const raw =
      'From: hook@x.test\r\nTo: support@acme.test\r\nSubject: via webhook\r\nMessage-ID: <hook-1@x.test>\r\n\r\nhello\r\n';
    const wrong = await fetch(webhookUrl, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: raw });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${app.url}/webhooks/email/${crypto.randomUUID()}?secret=${secret}`, {
      method: 'POST',
      body: raw,
    });
    expect(unknown.status).toBe(401);
    const form = new FormData();
    form.append('email', raw);
    const viaForm = await fetch(`${webhookUrl}?secret=${encodeURIComponent(secret)}`, { method: 'POST', body: form });
    expect(viaForm.status).toBe(202);
    const first = (await viaForm.json()) as { id: string; duplicate: boolean };
    expect(first.duplicate).toBe(false);
    const again = await fetch(webhookUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/octet-stream' },
      body: raw,
    });
    expect(await again.json()).toEqual({ id: first.id, duplicate: true });
    expect((await ticketOf(Number(first.id))).subject).toBe('via webhook');
    const empty = await fetch(webhookUrl, { method: 'POST', headers: { authorization: `Bearer ${secret}` }, body: '' });
    expect(empty.status).toBe(400);
  });
});
