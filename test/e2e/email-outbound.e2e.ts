import { EmailMaintenanceService } from '../../src/channels/email/maintenance.service';
import { SenderService } from '../../src/channels/email/outbound/sender.service';
import { factories, type AgentWithCredentials } from '../factories';
import { emailHelpers, waitUntil } from '../helpers/email';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type TestApp } from '../helpers/test-app';

const OPEN = `mutation($i: OpenTicketInput!) { openTicket(input: $i) { ticket { id number } conversation { id } } }`;
const SEND = `mutation($i: SendEmailInput!) { sendEmail(input: $i) { message { id deliveryState conversationId } ticket { status } } }`;
const REPLY = `mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id } } }`;
const MESSAGE_STATE = `query($id: ID!) { conversation(id: $id) { messages(first: 50) { edges { node {
  id authorKind deliveryState deliveryError email { direction sendState sendError to cc } } } } } }`;

interface MessageNode {
  id: string;
  authorKind: string;
  deliveryState: string;
  deliveryError: string | null;
  email: { direction: string; sendState: string | null; sendError: string | null; to: string[]; cc: string[] } | null;
}

/**
 * Mail going out: a new email from a chat ticket, threading of the customer's answer to it,
 * header injection, attachments and quoted history, SMTP refusals (permanent and temporary),
 * bounces, agent notifications and system mail over SMTP.
 */
describe('email out', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let h: ReturnType<typeof emailHelpers>;
  let admin: AgentWithCredentials;
  let mailboxId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({
      JOBS_ENABLED: '1',
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'Sori <no-reply@acme.test>',
    });
    h = emailHelpers(app.app);
    admin = await factories(app.app).agent({ role: 'admin', name: 'Admin Yoon' });
    const { mailbox } = await h.mailbox({
      isDefault: true,
      ackEnabled: false,
      smtp: { host: '127.0.0.1', port: sink.port, security: 'none' },
      signature: 'Acme 고객지원팀',
    });
    mailboxId = mailbox.id;
  }, 60000);
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });
  beforeEach(() => {
    sink.mails.length = 0;
    sink.refuse(null);
  });

  const messages = async (conversationId: string): Promise<MessageNode[]> => {
    const r = await app.gql<{ conversation: { messages: { edges: Array<{ node: MessageNode }> } } }>(
      MESSAGE_STATE,
      { id: conversationId },
      { token: admin.token },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.conversation.messages.edges.map((e) => e.node);
  };
  const chatTicket = async (email = 'sujin@customer.test') => {
    const r = await app.gql<{ openTicket: { ticket: { id: string; number: number }; conversation: { id: string } } }>(
      OPEN,
      {
        i: {
          subject: '주문 문의',
          requester: { email, name: '한수진' },
          body: '채팅으로 문의드려요',
          channel: 'widget',
        },
      },
      { token: admin.token },
    );
    return r.data!.openTicket;
  };

  it('continues a chat ticket by email; the customer’s answer comes back to that conversation', async () => {
    const chat = await chatTicket();
    const sent = await app.gql<{
      sendEmail: { message: { id: string; deliveryState: string; conversationId: string } };
    }>(
      SEND,
      {
        i: {
          ticketId: chat.ticket.id,
          subject: 'Your order\r\nBcc: victim@evil.test',
          body: '메일로 자세히 안내드립니다.',
          cc: ['manager@customer.test'],
        },
      },
      { token: admin.token },
    );
    expect(sent.errors).toBeUndefined();
    const conversationId = sent.data!.sendEmail.message.conversationId;
    expect(conversationId).not.toBe(chat.conversation.id);
    const [mail] = await sink.waitFor(1);
    expect(mail.envelope.to.sort()).toEqual(['manager@customer.test', 'sujin@customer.test']);
    expect(mail.parsed.subject).toBe(`Your order Bcc: victim@evil.test [#${chat.ticket.number}]`);
    expect(mail.raw.toString('latin1')).not.toMatch(/^Bcc:/im);
    expect(mail.header('cc')).toBe('manager@customer.test');
    expect(mail.parsed.text).toContain('메일로 자세히 안내드립니다.');
    expect(mail.parsed.text).toContain('Acme 고객지원팀');
    await waitUntil(
      () => messages(conversationId),
      (ms) => ms[0].deliveryState === 'sent' && ms[0].email?.sendState === 'sent',
    );

    const reply = await h.deliver(
      `From: 한수진 <sujin@customer.test>\nTo: support@acme.test\nSubject: Re: ${mail.parsed.subject}\n` +
        `In-Reply-To: ${mail.header('message-id')}\nMessage-ID: <answer-1@customer.test>\n\n네 확인했습니다.\n`,
    );
    expect(reply.status).toBe('parsed');
    expect(reply.ticketId).toBe(chat.ticket.id);
    expect(reply.conversationId).toBe(conversationId);
  });

  it('sends attachments and quotes the customer’s message under the reply', async () => {
    const first = await h.deliver(
      `From: Minho <minho@customer.test>\nTo: support@acme.test\nSubject: Need the manual\nMessage-ID: <manual-1@customer.test>\n\nCould you send the PDF manual?\n`,
      mailboxId,
    );
    const upload = new FormData();
    upload.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), '설명서.pdf');
    const file = (await (
      await fetch(`${app.url}/files`, {
        method: 'POST',
        body: upload,
        headers: { authorization: `Bearer ${admin.token}` },
      })
    ).json()) as { id: string };
    const r = await app.gql(
      REPLY,
      { i: { ticketId: first.ticketId, body: 'Here it is.', attachmentIds: [file.id] } },
      { token: admin.token },
    );
    expect(r.errors).toBeUndefined();
    const mail = await sink.waitForMailTo('minho@customer.test');
    expect(mail.parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['설명서.pdf', 'application/pdf'],
    ]);
    expect(mail.parsed.text).toMatch(/wrote:\n> Could you send the PDF manual\?/);
    expect(mail.header('in-reply-to')).toBe('<manual-1@customer.test>');
  });

  it('marks a message failed with the reason when the server refuses it for good', async () => {
    const first = await h.deliver(
      `From: Gone <gone@customer.test>\nTo: support@acme.test\nSubject: Hello\nMessage-ID: <gone-1@customer.test>\n\nhi\n`,
    );
    sink.refuse(550, 'No such user here');
    await app.gql(REPLY, { i: { ticketId: first.ticketId, body: 'Hi!' } }, { token: admin.token });
    const ms = await waitUntil(
      () => messages(first.conversationId!),
      (list) => list.some((m) => m.authorKind === 'agent' && m.deliveryState === 'failed'),
    );
    const failed = ms.find((m) => m.authorKind === 'agent')!;
    expect(failed.deliveryError).toMatch(/550.*No such user here/);
    expect(failed.email).toMatchObject({ sendState: 'failed' });
  });

  it('keeps a message queued on a temporary refusal and sends it on a later attempt; the last attempt gives up', async () => {
    const first = await h.deliver(
      `From: Busy <busy@customer.test>\nTo: support@acme.test\nSubject: Hello\nMessage-ID: <busy-1@customer.test>\n\nhi\n`,
    );
    sink.refuse(451, 'Try again later');
    await app.gql(REPLY, { i: { ticketId: first.ticketId, body: 'Answer 1' } }, { token: admin.token });
    const [queued] = await waitUntil(
      () =>
        h.ds.query<Array<{ id: string; state: string; error: string | null; attempts: number }>>(
          `SELECT o.id, o.state, o.error, o.attempts FROM email_outbound o WHERE o.conversation_id = $1 AND o.kind = 'message'`,
          [first.conversationId],
        ),
      (rows) => rows[0]?.attempts >= 1 && !!rows[0].error,
    );
    expect(queued).toMatchObject({ state: 'queued' });
    expect(queued.error).toMatch(/451/);
    expect((await messages(first.conversationId!)).at(-1)!.deliveryState).toBe('queued');
    // the job system's next attempt, without waiting for its backoff
    sink.refuse(null);
    const sender = app.app.get(SenderService);
    await sender.send(queued.id, { retryCount: 1, retryLimit: 6 });
    expect((await messages(first.conversationId!)).at(-1)!.deliveryState).toBe('sent');

    sink.refuse(421, 'Still busy');
    await app.gql(REPLY, { i: { ticketId: first.ticketId, body: 'Answer 2' } }, { token: admin.token });
    const second = await waitUntil(
      () =>
        h.ds.query<Array<{ id: string }>>(
          `SELECT id FROM email_outbound WHERE conversation_id = $1 AND kind = 'message' ORDER BY created_at`,
          [first.conversationId],
        ),
      (rows) => rows.length === 2,
    );
    await sender.send(second[1].id, { retryCount: 6, retryLimit: 6 }).catch(() => undefined);
    const last = await waitUntil(
      async () => (await messages(first.conversationId!)).at(-1)!,
      (m) => m.deliveryState === 'failed',
    );
    expect(last.deliveryError).toMatch(/421.*Still busy/);
  });

  it('turns a bounce into a failed delivery on the message, not a ticket', async () => {
    const first = await h.deliver(
      `From: Typo <tpyo@customer.test>\nTo: support@acme.test\nSubject: Hello\nMessage-ID: <typo-1@customer.test>\n\nhi\n`,
    );
    await app.gql(REPLY, { i: { ticketId: first.ticketId, body: 'Welcome!' } }, { token: admin.token });
    const mail = await sink.waitForMailTo('tpyo@customer.test');
    const tickets = async () => Number((await h.ds.query(`SELECT count(*) AS n FROM ticket`))[0].n);
    const before = await tickets();
    const dsn = await h.deliver(
      `From: MAILER-DAEMON@mx.customer.test\nTo: support@acme.test\nSubject: Undelivered Mail Returned to Sender\n` +
        `Message-ID: <bounce-1@mx.customer.test>\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n` +
        `Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n--B\nContent-Type: text/plain\n\nNope.\n` +
        `--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.customer.test\n\nFinal-Recipient: rfc822; tpyo@customer.test\n` +
        `Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n--B\nContent-Type: text/rfc822-headers\n\n` +
        `Message-ID: ${mail.header('message-id')}\n\n--B--\n`,
    );
    expect(dsn).toMatchObject({ status: 'ignored', ticketId: first.ticketId });
    expect(await tickets()).toBe(before);
    const agentMessage = (await messages(first.conversationId!)).find((m) => m.authorKind === 'agent')!;
    expect(agentMessage.deliveryState).toBe('failed');
    expect(agentMessage.deliveryError).toMatch(/^bounced: status 5\.1\.1; 550 5\.1\.1 User unknown/);
  });

  it('emails agents about assignments, mentions and customer replies, and sends system mail over SMTP', async () => {
    const f = factories(app.app);
    const agent = await f.agent({ name: 'Agent Kwon' });
    const first = await h.deliver(
      `From: Cust <cust@customer.test>\nTo: support@acme.test\nSubject: Printer on fire\nMessage-ID: <fire-1@customer.test>\n\nhelp\n`,
    );
    await app.app.get(EmailMaintenanceService).tick();
    await app.gql(
      `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`,
      {
        i: { id: first.ticketId, assigneeId: agent.agent.id },
      },
      { token: admin.token },
    );
    await app.gql(
      `mutation($i: AddNoteInput!) { addNote(input: $i) { id } }`,
      {
        i: { ticketId: first.ticketId, body: `@[Agent Kwon](agent:${agent.agent.id}) please look` },
      },
      { token: admin.token },
    );
    await h.deliver(
      `From: Cust <cust@customer.test>\nTo: support@acme.test\nSubject: Re: Printer on fire\nIn-Reply-To: <fire-1@customer.test>\n` +
        `Message-ID: <fire-2@customer.test>\n\nstill burning\n`,
    );
    await app.app.get(EmailMaintenanceService).tick();
    const mails = await sink.waitFor(3);
    const toAgent = mails.filter((m) => m.envelope.to.includes(agent.agent.email));
    const subjects = toAgent.map((m) => m.parsed.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[#\d+\] Assigned to you: Printer on fire$/),
        expect.stringMatching(/^\[#\d+\] Admin Yoon mentioned you: Printer on fire$/),
        expect.stringMatching(/^\[#\d+\] Cust replied: Printer on fire$/),
      ]),
    );
    expect(toAgent.every((m) => m.header('auto-submitted') === 'auto-generated')).toBe(true);
    // scanning again sends nothing twice
    await app.app.get(EmailMaintenanceService).tick();
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.mails.filter((m) => m.envelope.to.includes(agent.agent.email))).toHaveLength(3);

    sink.mails.length = 0;
    await app.gql(
      `mutation($i: InviteAgentInput!) { inviteAgent(input: $i) { id } }`,
      {
        i: { email: 'newbie@acme.test', role: 'agent' },
      },
      { token: admin.token },
    );
    const [invite] = await sink.waitFor(1);
    expect(invite.envelope.to).toEqual(['newbie@acme.test']);
  });
});
