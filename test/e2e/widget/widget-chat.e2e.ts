import { MailService } from '../../../src/common/mail/mail.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, collect, createWidget, newVisitor, openWs, SEND, type WsSession } from '../../helpers/widget';

interface WMsg {
  cursor: string;
  message: { id: string; bodyText: string; authorKind: string; agent: { name: string } | null; read: boolean };
}

describe('widget messaging: visitor ↔ agent', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let widgetId: string;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina Park' });
    widgetId = (await createWidget(app, admin.token, { unreadEmailDelaySeconds: 1 })).id;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.client.dispose();
  });
  afterAll(async () => app.stop());

  const ws = async (params: Record<string, unknown>) => {
    const s = await openWs(app.url, params);
    sockets.push(s);
    return s;
  };

  it('a visitor starts a conversation, the agent sees it live and replies, the visitor gets the reply', async () => {
    const v = await newVisitor(app, widgetId);
    const visitor = await ws({ visitorToken: v.token });
    const session = await visitor.run<{ widgetSession: { visitorId: string; conversations: unknown[] } }>(
      `{ widgetSession { visitorId conversations { id } availability { online reason } widget { color onColor } } }`,
    );
    expect(session.widgetSession.visitorId).toBe(v.visitorId);
    expect(session.widgetSession.conversations).toEqual([]);

    const agent = await ws({ token: admin.token });
    const inbox = collect<{ message: { bodyText: string; conversationId: string } }>(
      agent.client,
      `subscription { inboxMessageAdded { message { bodyText conversationId } } }`,
    );
    const sent = await visitor.run<{ widgetSendMessage: { id: string; conversationId: string } }>(SEND, {
      i: { body: 'Hello, is my order shipped? 👋', clientId: clientId() },
    });
    const conversationId = sent.widgetSendMessage.conversationId;
    const conv = await app.gql<{ conversation: { ticketId: string; visitor: { deviceType: string; os: string } } }>(
      `query($id: ID!) { conversation(id: $id) { ticketId visitor { deviceType os browser timezone visitCount } } }`,
      { id: conversationId },
      { token: admin.token },
    );
    expect(conv.errors).toBeUndefined();
    expect(conv.data!.conversation.visitor).toMatchObject({ deviceType: 'mobile', os: 'iOS 17' });
    inbox.stop();

    const stream = collect<WMsg>(
      visitor.client,
      `subscription($c: ID!, $a: ID) { widgetMessageAdded(conversationId: $c, after: $a) {
         cursor message { id bodyText authorKind agent { name } read } } }`,
      { c: conversationId, a: sent.widgetSendMessage.id },
    );
    const reply = await app.gql(
      `mutation($i: ChatReplyInput!) { chatReply(input: $i) { id } }`,
      {
        i: {
          conversationId,
          body: 'Yes, it left today.',
          content: { type: 'quick_replies', replies: ['Thanks', 'Track it'] },
        },
      },
      { token: admin.token },
    );
    expect(reply.errors).toBeUndefined();
    const [got] = await stream.until((i) => i.length >= 1);
    expect(got.message).toMatchObject({
      bodyText: 'Yes, it left today.',
      authorKind: 'agent',
      agent: { name: 'Mina Park' },
    });
  });

  it('refuses another visitor’s conversation as not found', async () => {
    const a = await newVisitor(app, widgetId);
    const b = await newVisitor(app, widgetId);
    const wa = await ws({ visitorToken: a.token });
    const wb = await ws({ visitorToken: b.token });
    const sent = await wa.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'mine', clientId: clientId() },
    });
    await expect(
      wb.run(SEND, {
        i: { conversationId: sent.widgetSendMessage.conversationId, body: 'theirs', clientId: clientId() },
      }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONVERSATION_NOT_FOUND' }) })],
    });
    void MailService;
  });
});
