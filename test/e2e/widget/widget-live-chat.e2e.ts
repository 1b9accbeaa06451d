import { MailService } from '../../../src/common/mail/mail.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, collect, createWidget, newVisitor, openWs, SEND, type WsSession } from '../../helpers/widget';

interface Signal {
  type: string;
  state: string | null;
  queuePosition: number | null;
  estimatedWaitSeconds: number | null;
  typing: boolean | null;
  receipt: string | null;
  upTo: string | null;
  agent: { name: string } | null;
}
const SIGNALS = `subscription($c: ID!) { widgetSignals(conversationId: $c) {
  type state queuePosition estimatedWaitSeconds typing receipt upTo agent { name } } }`;
const AGENT_SIGNALS = `subscription($c: ID!) { conversationSignals(conversationId: $c) { type typing receipt upTo state } }`;
const LIST = `{ widgetSession { conversations { id state queuePosition agents { name } } } }`;

describe('widget live chat', () => {
  let app: TestApp;
  let mina: AgentWithCredentials;
  let joon: AgentWithCredentials;
  let widgetId: string;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    const f = factories(app.app);
    mina = await f.agent({ role: 'admin', name: 'Mina' });
    joon = await f.agent({ name: 'Joon' });
    for (const a of [mina, joon]) {
      await app.gql(`mutation { setMyStatus(status: online) { id } }`, {}, { token: a.token });
    }
    widgetId = (await createWidget(app, mina.token, { mode: 'live_chat', name: 'Live' })).id;
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
  const startChat = async (text: string) => {
    const v = await newVisitor(app, widgetId);
    const s = await ws({ visitorToken: v.token });
    const sent = await s.run<{ widgetSendMessage: { id: string; conversationId: string } }>(SEND, {
      i: { body: text, clientId: clientId() },
    });
    return { v, s, conversationId: sent.widgetSendMessage.conversationId, firstId: sent.widgetSendMessage.id };
  };
  const accept = (token: string, c: string) =>
    app.gql<{ acceptChat: { state: string } }>(
      `mutation($c: ID!) { acceptChat(conversationId: $c) { state } }`,
      { c },
      { token },
    );

  it('queues chats, updates the queue position live, lets one of two racing agents accept, and others join', async () => {
    const first = await startChat('First in line');
    const second = await startChat('Second in line');
    const signals = collect<Signal>(second.s.client, SIGNALS, { c: second.conversationId });
    const before = await second.s.run<{
      widgetSession: { conversations: Array<{ state: string; queuePosition: number }> };
    }>(LIST);
    expect(before.widgetSession.conversations[0]).toMatchObject({ state: 'waiting', queuePosition: 2 });

    const [a, b] = await Promise.all([
      accept(mina.token, first.conversationId),
      accept(joon.token, first.conversationId),
    ]);
    const codes = [a, b].map((r) => r.errors?.[0]?.extensions?.code ?? r.data?.acceptChat.state).sort();
    expect(codes).toEqual(['CHAT_ALREADY_ACCEPTED', 'active']);
    await signals.until((s) => s.some((x) => x.type === 'STATE' && x.queuePosition === 1));

    // whoever lost the race joins the chat instead
    const loser = a.errors ? mina : joon;
    const joined = await app.gql(
      `mutation($c: ID!) { joinChat(conversationId: $c) { state } }`,
      { c: first.conversationId },
      { token: loser.token },
    );
    expect(joined.errors).toBeUndefined();
    const firstList = await first.s.run<{
      widgetSession: { conversations: Array<{ agents: Array<{ name: string }> }> };
    }>(LIST);
    expect(firstList.widgetSession.conversations[0].agents.map((x) => x.name).sort()).toEqual(['Joon', 'Mina']);
  });

  it('carries typing and read receipts both ways, ends by the agent, then a reload starts a new session', async () => {
    const chat = await startChat('Can you help?');
    await accept(mina.token, chat.conversationId);
    const agentWs = await ws({ token: mina.token });
    const agentSignals = collect<Signal>(agentWs.client, AGENT_SIGNALS, { c: chat.conversationId });
    const visitorSignals = collect<Signal>(chat.s.client, SIGNALS, { c: chat.conversationId });
    await new Promise((r) => setTimeout(r, 100));

    await chat.s.run(`mutation($c: ID!) { widgetTyping(conversationId: $c, typing: true) }`, {
      c: chat.conversationId,
    });
    await agentSignals.until((s) => s.some((x) => x.type === 'TYPING' && x.typing === true));
    await app.gql(
      `mutation($c: ID!) { chatTyping(conversationId: $c, typing: true) }`,
      { c: chat.conversationId },
      { token: mina.token },
    );
    const typing = await visitorSignals.until((s) => s.some((x) => x.type === 'TYPING'));
    expect(typing.find((x) => x.type === 'TYPING')!.agent!.name).toBe('Mina');

    await app.gql(
      `mutation($c: ID!, $u: ID!) { markChatRead(conversationId: $c, upTo: $u) }`,
      { c: chat.conversationId, u: chat.firstId },
      {
        token: mina.token,
      },
    );
    await visitorSignals.until((s) =>
      s.some((x) => x.type === 'RECEIPT' && x.receipt === 'read' && x.upTo === chat.firstId),
    );
    const reply = await app.gql<{ chatReply: { id: string } }>(
      `mutation($i: ChatReplyInput!) { chatReply(input: $i) { id } }`,
      { i: { conversationId: chat.conversationId, body: 'Sure!' } },
      { token: mina.token },
    );
    const replyId = reply.data!.chatReply.id;
    await chat.s.run(`mutation($c: ID!, $u: ID!) { widgetAck(conversationId: $c, upTo: $u, read: true) }`, {
      c: chat.conversationId,
      u: replyId,
    });
    await agentSignals.until((s) => s.some((x) => x.type === 'RECEIPT' && x.receipt === 'read' && x.upTo === replyId));
    const history = await chat.s.run<{
      widgetMessages: { messages: Array<{ id: string; read: boolean; authorKind: string }> };
    }>(`query($c: ID!) { widgetMessages(conversationId: $c) { messages { id read authorKind } } }`, {
      c: chat.conversationId,
    });
    expect(history.widgetMessages.messages.find((m) => m.id === chat.firstId)!.read).toBe(true);
    expect(history.widgetMessages.messages.find((m) => m.id === replyId)!.read).toBe(true);

    const ended = await app.gql(
      `mutation($c: ID!) { endChat(conversationId: $c) { state } }`,
      { c: chat.conversationId },
      {
        token: mina.token,
      },
    );
    expect(ended.data).toEqual({ endChat: { state: 'ended' } });
    await visitorSignals.until((s) => s.some((x) => x.type === 'STATE' && x.state === 'ended'));
    const afterReload = await chat.s.run<{ widgetSession: { conversations: unknown[] } }>(LIST);
    expect(afterReload.widgetSession.conversations).toEqual([]);
    await expect(
      chat.s.run(SEND, { i: { conversationId: chat.conversationId, body: 'hello?', clientId: clientId() } }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'CHAT_ENDED' }) })],
    });

    const mail = app.app.get(MailService);
    await chat.s.run(`mutation($c: ID!) { widgetEmailTranscript(conversationId: $c, email: "me@example.org") }`, {
      c: chat.conversationId,
    });
    const transcript = mail.outbox.find((m) => m.to === 'me@example.org' && m.purpose === 'widget_transcript');
    expect(transcript?.text).toContain('Can you help?');
    expect(transcript?.text).toContain('Mina: Sure!');
  });
});
