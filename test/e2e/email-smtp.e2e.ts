import nodemailer, { type Transporter } from 'nodemailer';
import { SmtpReceiverService } from '../../src/channels/email/ways-in/smtp-receiver.service';
import { factories, type AgentWithCredentials } from '../factories';
import { waitUntil } from '../helpers/email';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { connectWs, type WsConnection } from '../helpers/ws-client';

const CREATE_MAILBOX = `mutation($i: CreateMailboxInput!) {
  createMailbox(input: $i) { mailbox { id address webhookUrl } webhookSecret } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id number status subject
  conversations { id channelKind messages(first: 20) { edges { node { id authorKind bodyText deliveryState
    email { direction messageIdHeader sendState } } } } } } }`;
const REPLY = `mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id deliveryState } } }`;

interface TicketView {
  ticket: {
    id: string;
    number: number;
    status: string;
    subject: string;
    conversations: Array<{
      id: string;
      channelKind: string;
      messages: {
        edges: Array<{
          node: {
            id: string;
            authorKind: string;
            bodyText: string;
            deliveryState: string;
            email: { direction: string; messageIdHeader: string; sendState: string | null } | null;
          };
        }>;
      };
    }>;
  };
}

/**
 * The whole email loop through real sockets: a customer's mail client sends to the built-in
 * SMTP receiver, the ticket shows up on a live subscription, an agent answers through GraphQL,
 * the answer reaches the customer's mail server with proper threading headers, and the
 * customer's reply to it lands on the same ticket.
 */
describe('email over SMTP: receive, subscribe, reply, thread', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let admin: AgentWithCredentials;
  let ws: WsConnection;
  let customer: Transporter;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({
      JOBS_ENABLED: '1',
      EMAIL_SMTP_ENABLED: '1',
      EMAIL_SMTP_PORT: '0',
      EMAIL_SMTP_HOST: '127.0.0.1',
    });
    admin = await factories(app.app).agent({ role: 'admin', name: 'Admin Park' });
    const created = await app.gql(
      CREATE_MAILBOX,
      {
        i: {
          address: 'Support@Acme.test',
          name: 'Acme Support',
          signature: 'Acme Support Team',
          smtp: { host: '127.0.0.1', port: sink.port, security: 'none' },
        },
      },
      { token: admin.token },
    );
    expect(created.errors).toBeUndefined();
    const port = app.app.get(SmtpReceiverService).port as number;
    customer = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    ws = await connectWs(app.url, { token: admin.token });
  }, 60000);

  afterAll(async () => {
    customer?.close();
    await ws?.client.dispose();
    await app?.stop();
    await sink?.close();
  });

  const ticket = async (id: string) => (await app.gql<TicketView>(TICKET, { id }, { token: admin.token })).data!.ticket;
  const messagesOf = (t: TicketView['ticket']) => t.conversations.flatMap((c) => c.messages.edges.map((e) => e.node));

  it('turns a customer mail into a ticket seen live, answers it and threads the customer’s reply', async () => {
    const events: Array<{ ticket: { id: string; subject: string }; event: { action: string } }> = [];
    ws.client.subscribe(
      { query: 'subscription { ticketsUpdated { cursor ticket { id subject } event { action } } }' },
      {
        next: (r) => events.push((r.data as { ticketsUpdated: (typeof events)[number] }).ticketsUpdated),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 300));

    const first = await customer.sendMail({
      from: '"김민지" <minji@customer.test>',
      to: 'support@acme.test',
      subject: '주문 #42 배송 문의',
      text: '안녕하세요. 주문한 상품이 아직 도착하지 않았습니다.\n\n김민지 드림',
      messageId: '<first-42@customer.test>',
    });
    expect(first.accepted).toEqual(['support@acme.test']);

    const created = await waitUntil(
      async () => events.find((e) => e.event.action === 'created'),
      (e) => !!e,
      15000,
      'ticketsUpdated to report the new ticket',
    );
    expect(created!.ticket.subject).toBe('주문 #42 배송 문의');
    const ticketId = created!.ticket.id;

    // the acknowledgement arrives first, threaded under the customer's mail
    const [ack] = await sink.waitFor(1);
    expect(ack.envelope.to).toEqual(['minji@customer.test']);
    expect(ack.header('in-reply-to')).toBe('<first-42@customer.test>');
    expect(ack.header('auto-submitted')).toBe('auto-replied');
    expect(ack.parsed.subject).toMatch(/^문의가 접수되었습니다: 주문 #42 배송 문의 \[#\d+\]$/);

    const reply = await app.gql<{ replyToTicket: { message: { id: string; deliveryState: string } } }>(
      REPLY,
      { i: { ticketId, body: '확인해 보니 내일 도착 예정입니다.' } },
      { token: admin.token },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.replyToTicket.message.deliveryState).toBe('queued');

    const [, answer] = await sink.waitFor(2);
    const t = await ticket(ticketId);
    expect(answer.envelope.to).toEqual(['minji@customer.test']);
    expect(answer.header('in-reply-to')).toBe('<first-42@customer.test>');
    expect(answer.header('references')).toContain('<first-42@customer.test>');
    expect(answer.header('message-id')).toMatch(new RegExp(`^<sori\\.${t.number}-[0-9a-f]{10}\\..+@acme\\.test>$`));
    expect(answer.header('thread-index')).toBeDefined();
    expect(answer.parsed.subject).toBe(`Re: 주문 #42 배송 문의 [#${t.number}]`);
    expect(answer.parsed.text).toContain('확인해 보니 내일 도착 예정입니다.');
    expect(answer.parsed.text).toContain('Acme Support Team');
    expect(answer.parsed.html).toContain('확인해 보니 내일 도착 예정입니다.');
    expect((answer.parsed.from as { value: Array<{ address: string }> }).value[0].address).toBe('support@acme.test');
    await waitUntil(
      async () => messagesOf(await ticket(ticketId)).find((m) => m.authorKind === 'agent')?.deliveryState,
      (s) => s === 'sent',
      10000,
      'the reply to be marked sent',
    );

    // the customer answers the agent's mail: In-Reply-To points at our Message-ID
    await customer.sendMail({
      from: '"김민지" <minji@customer.test>',
      to: 'support@acme.test',
      subject: `Re: ${answer.parsed.subject}`,
      text: '감사합니다!\n\n2024년 5월 1일 (수) 오전 10:00, Acme Support <support@acme.test>님이 작성:\n> 확인해 보니',
      inReplyTo: answer.header('message-id'),
      references: [answer.header('references') as string, answer.header('message-id') as string],
    });
    const after = await waitUntil(
      () => ticket(ticketId),
      (v) => messagesOf(v).length === 3,
      15000,
      'the customer reply on the same ticket',
    );
    const last = messagesOf(after).at(-1)!;
    expect(last.authorKind).toBe('contact');
    expect(last.bodyText).toContain('감사합니다!');
    expect(last.email?.direction).toBe('inbound');
    expect(after.conversations).toHaveLength(1);
    const tickets = await app.dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ticket`);
    expect(Number(tickets[0].n)).toBe(1);
  }, 60000);

  it('refuses mail for addresses that are not ours at the SMTP level', async () => {
    await expect(
      customer.sendMail({ from: 'x@customer.test', to: 'nobody@elsewhere.test', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });
});
