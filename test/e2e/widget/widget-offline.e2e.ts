import { MailService } from '../../../src/common/mail/mail.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, createWidget, newVisitor, openWs, SEND, type WsSession } from '../../helpers/widget';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

async function waitFor<T>(fn: () => T | undefined, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Off hours and unread replies, with the real job workers (pg-boss). */
describe('widget off hours and email follow-up', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let widgetId: string;
  let openDay: number;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp({ JOBS_ENABLED: '1' });
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina' });
    await app.gql(`mutation { setMyStatus(status: online) { id } }`, {}, { token: admin.token });
    const seoulDay = new Date(Date.now() + 9 * 3600_000).getUTCDay();
    openDay = (seoulDay + 2) % 7;
    const hours = await app.gql<{ saveBusinessHours: { id: string; isOpenNow: boolean } }>(
      `mutation($i: BusinessHoursInput!) { saveBusinessHours(input: $i) { id isOpenNow } }`,
      {
        i: { name: 'Seoul office', timezone: 'Asia/Seoul', weekly: [{ day: openDay, open: '09:00', close: '18:00' }] },
      },
      { token: admin.token },
    );
    expect(hours.errors).toBeUndefined();
    expect(hours.data!.saveBusinessHours.isOpenNow).toBe(false);
    widgetId = (
      await createWidget(app, admin.token, {
        mode: 'live_chat',
        businessHoursId: hours.data!.saveBusinessHours.id,
        unreadEmailDelaySeconds: 1,
      })
    ).id;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.client.dispose();
  });
  afterAll(async () => app.stop());

  const visitor = async (body: Record<string, unknown> = {}) => {
    const v = await newVisitor(app, widgetId, body);
    const s = await openWs(app.url, { visitorToken: v.token });
    sockets.push(s);
    return s;
  };

  it('says when the team is back, in the visitor’s timezone and language', async () => {
    const en = await visitor({ timezone: 'Asia/Seoul', locale: 'en' });
    const a = await en.run<{ widgetSession: { availability: { online: boolean; reason: string; backText: string } } }>(
      `{ widgetSession { availability { online reason backText nextOpenAt } } }`,
    );
    expect(a.widgetSession.availability).toMatchObject({ online: false, reason: 'OFF_HOURS' });
    expect(a.widgetSession.availability.backText).toBe(`${WEEKDAYS[openDay]} 09:00`);
    const ko = await visitor({ timezone: 'Asia/Seoul', locale: 'ko' });
    const k = await ko.run<{ widgetSession: { availability: { backText: string } } }>(
      `{ widgetSession { availability { backText } } }`,
    );
    expect(k.widgetSession.availability.backText).toMatch(/^[일월화수목금토]요일 09:00$/);
    const ny = await visitor({ timezone: 'America/New_York', locale: 'en' });
    const n = await ny.run<{ widgetSession: { availability: { backText: string } } }>(
      `{ widgetSession { availability { backText } } }`,
    );
    expect(n.widgetSession.availability.backText).toMatch(/ 19:00$|^today 19:00$|^tomorrow 19:00$/);
  });

  it('takes the message as a ticket and emails the agent’s reply the visitor has not read', async () => {
    const s = await visitor();
    const sent = await s.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'My invoice is wrong', clientId: clientId() },
    });
    const c = sent.widgetSendMessage.conversationId;
    const conv = await s.run<{ widgetConversation: { state: string; offline: boolean } }>(
      `query($c: ID!) { widgetConversation(id: $c) { state offline } }`,
      { c },
    );
    expect(conv.widgetConversation).toEqual({ state: 'open', offline: true });
    await s.run(`mutation { widgetUpdateVisitor(input: { email: "late@example.org" }) { email } }`);

    const ticket = await app.gql<{ conversation: { ticketId: string } }>(
      `query($c: ID!) { conversation(id: $c) { ticketId } }`,
      { c },
      {
        token: admin.token,
      },
    );
    const reply = await app.gql(
      `mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id } } }`,
      { i: { ticketId: ticket.data!.conversation.ticketId, body: 'We fixed your invoice.' } },
      { token: admin.token },
    );
    expect(reply.errors).toBeUndefined();
    const mail = app.app.get(MailService);
    const sentMail = await waitFor(() => mail.outbox.find((m) => m.to === 'late@example.org'));
    expect(sentMail).toMatchObject({ purpose: 'widget_unread_reply', subject: 'New reply from Website' });
    expect(sentMail.text).toContain('We fixed your invoice.');
  });

  it('does not email a reply the visitor has read', async () => {
    const s = await visitor();
    await s.run(`mutation { widgetUpdateVisitor(input: { email: "reader@example.org" }) { email } }`);
    const sent = await s.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'Hi', clientId: clientId() },
    });
    const c = sent.widgetSendMessage.conversationId;
    const reply = await app.gql<{ chatReply: { id: string } }>(
      `mutation($i: ChatReplyInput!) { chatReply(input: $i) { id } }`,
      { i: { conversationId: c, body: 'Hello there' } },
      { token: admin.token },
    );
    await s.run(`mutation($c: ID!, $u: ID!) { widgetAck(conversationId: $c, upTo: $u, read: true) }`, {
      c,
      u: reply.data!.chatReply.id,
    });
    await new Promise((r) => setTimeout(r, 3500));
    expect(app.app.get(MailService).outbox.filter((m) => m.to === 'reader@example.org')).toEqual([]);
  });
});
