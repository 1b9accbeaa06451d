import { factories, type AgentWithCredentials } from '../factories';
import { emailHelpers } from '../helpers/email';
import { pageSession, type PageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The composer's "New email to …" choice, as a browser without script posts it: refused clearly, then sent. */
describe('workspace: a new email from the ticket composer', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let s: PageSession;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina Park' });
    s = await pageSession(app, admin.agent.email, admin.password);
  });
  afterAll(async () => app.stop());

  const send = (number: number) =>
    s.post(`/app/tickets/${number}/messages`, {
      mode: 'reply',
      conversationId: 'new:email',
      body: 'Following up by email.',
      confirm: '1',
    });
  /** The page after the redirect, with the flash the redirect set. */
  const after = async (res: Response) => {
    expect(res.status).toBe(303);
    const flash = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return (await s.get(res.headers.get('location')!.replace(/#.*$/, ''), { cookie: `${s.cookie}; ${flash}` })).text();
  };
  const emailConversations = async (ticketId: string) =>
    (
      await app.dataSource.query<Array<{ n: string }>>(
        `SELECT count(*) AS n FROM conversation WHERE ticket_id = $1 AND channel_kind = 'email'`,
        [ticketId],
      )
    )[0].n;

  it('is offered only for requesters with an email address, and says why it cannot send', async () => {
    const f = factories(app.app);
    const noMail = await f.ticket({ subject: 'Phone caller', requester: { phone: '+82 10-5555-0101', name: 'Bo' } });
    const page = await (await s.get(`/app/tickets/${noMail.number}`)).text();
    expect(page).toContain('Phone caller');
    expect(page).not.toContain('value="new:email"');
    expect(await after(await send(noMail.number))).toContain(
      'There is no mailbox to send from yet: an admin adds one under Settings → Channels → Email.',
    );

    const { ticket } = await f.conversationTicket({
      subject: 'Chat that needs a follow-up',
      channel: 'widget',
      requester: { email: 'dana@customer.test', name: 'Dana Cho' },
    });
    expect(await (await s.get(`/app/tickets/${ticket.number}`)).text()).toContain(
      '<option value="new:email" >New email to dana@customer.test</option>',
    );
    expect(await after(await send(ticket.number))).toContain('There is no mailbox to send from yet');
    expect(await emailConversations(ticket.id)).toBe('0');

    await emailHelpers(app.app).mailbox();
    expect(await after(await send(noMail.number))).toContain(
      'The requester has no email address yet: add one on their contact page first.',
    );
    expect(await emailConversations(noMail.id)).toBe('0');

    expect(await after(await send(ticket.number))).toContain('Reply sent.');
    expect(await emailConversations(ticket.id)).toBe('1');
    const [mail] = await app.dataSource.query<Array<{ to_addresses: string[]; from_address: string }>>(
      `SELECT to_addresses, from_address FROM email_outbound WHERE ticket_id = $1`,
      [ticket.id],
    );
    expect(mail).toEqual({ to_addresses: ['dana@customer.test'], from_address: 'support@acme.test' });
  });
});
