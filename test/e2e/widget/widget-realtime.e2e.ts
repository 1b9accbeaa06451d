import { SYSTEM_ACTOR } from '../../../src/common/auth/actor';
import { LiveChatService } from '../../../src/channels/widget/live-chat.service';
import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, collect, createWidget, newVisitor, openWs, SEND, type WsSession } from '../../helpers/widget';

const STREAM = `subscription($c: ID!, $a: ID) { widgetMessageAdded(conversationId: $c, after: $a) { cursor message { id bodyText } } }`;
interface Ev {
  cursor: string;
  message: { id: string; bodyText: string };
}

describe('widget realtime: resume, blocking, limits', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let widgetId: string;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina' });
    widgetId = (await createWidget(app, admin.token)).id;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.client.dispose();
  });
  afterAll(async () => app.stop());

  const visitor = async () => {
    const v = await newVisitor(app, widgetId);
    const s = await openWs(app.url, { visitorToken: v.token });
    sockets.push(s);
    return { v, s };
  };
  const reply = (conversationId: string, body: string) =>
    app.app.get(LiveChatService).reply(admin.actor, { conversationId, body });

  it('resumes from the last cursor after the connection is killed mid-stream: no gap, no duplicate', async () => {
    const { v, s } = await visitor();
    const sent = await s.run<{ widgetSendMessage: { id: string; conversationId: string } }>(SEND, {
      i: { body: 'start', clientId: clientId() },
    });
    const c = sent.widgetSendMessage.conversationId;
    const first = collect<Ev>(s.client, STREAM, { c, a: sent.widgetSendMessage.id });
    const burst = Array.from({ length: 20 }, (_, i) => reply(c, `m${i}`));
    await first.until((items) => items.length >= 5);
    s.socket().terminate();
    await Promise.all(burst);
    for (let i = 20; i < 30; i++) await reply(c, `m${i}`);
    const seen = first.items.map((e) => e.message.bodyText);
    const last = first.items[first.items.length - 1].cursor;

    const again = await openWs(app.url, { visitorToken: v.token });
    sockets.push(again);
    const rest = collect<Ev>(again.client, STREAM, { c, a: last });
    await rest.until((items) => seen.length + items.length >= 30);
    await new Promise((r) => setTimeout(r, 200));
    const all = [...seen, ...rest.items.map((e) => e.message.bodyText)];
    expect(all.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
    const ids = [...first.items, ...rest.items].map((e) => Number(e.cursor));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('drops a blocked visitor’s messages without telling it, by visitor id and by IP', async () => {
    const { v, s } = await visitor();
    const sent = await s.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'before the block', clientId: clientId() },
    });
    const c = sent.widgetSendMessage.conversationId;
    const block = await app.gql<{ blockVisitor: { id: string } }>(
      `mutation($i: BlockVisitorInput!) { blockVisitor(input: $i) { id kind value } }`,
      { i: { kind: 'visitor', value: v.visitorId, reason: 'spam' } },
      { token: admin.token },
    );
    expect(block.errors).toBeUndefined();
    const dropped = await s.run<{ widgetSendMessage: { id: string; bodyText: string } }>(SEND, {
      i: { conversationId: c, body: 'spam spam', clientId: clientId() },
    });
    expect(dropped.widgetSendMessage.bodyText).toBe('spam spam');
    const fresh = await s.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'new spam', clientId: clientId() },
    });
    // the stream of the conversation that was never stored stays silent instead of failing
    const silent = collect<Ev>(s.client, STREAM, { c: fresh.widgetSendMessage.conversationId });
    const messages = await app.gql<{ conversation: { messages: { edges: Array<{ node: { bodyText: string } }> } } }>(
      `query($c: ID!) { conversation(id: $c) { messages { edges { node { bodyText } } } } }`,
      { c },
      { token: admin.token },
    );
    expect(messages.data!.conversation.messages.edges.map((e) => e.node.bodyText)).toEqual(['before the block']);
    await new Promise((r) => setTimeout(r, 100));
    expect(silent.errors).toEqual([]);

    await app.gql(
      `mutation($id: ID!) { unblockVisitor(id: $id) }`,
      { id: block.data!.blockVisitor.id },
      { token: admin.token },
    );
    const byIp = await app.gql<{ blockVisitor: { id: string } }>(
      `mutation($i: BlockVisitorInput!) { blockVisitor(input: $i) { id } }`,
      { i: { kind: 'ip', value: '127.0.0.1', widgetId } },
      { token: admin.token },
    );
    const other = await visitor();
    const d2 = await other.s.run<{ widgetSendMessage: { id: string } }>(SEND, {
      i: { body: 'x', clientId: clientId() },
    });
    expect(d2.widgetSendMessage.id).toBe('0');
    await app.gql(
      `mutation($id: ID!) { unblockVisitor(id: $id) }`,
      { id: byIp.data!.blockVisitor.id },
      { token: admin.token },
    );
    const ok = await other.s.run<{ widgetSendMessage: { id: string } }>(SEND, {
      i: { body: 'x', clientId: clientId() },
    });
    expect(Number(ok.widgetSendMessage.id)).toBeGreaterThan(0);
  });

  it('stores a retried message once (same clientId)', async () => {
    const { s } = await visitor();
    const id = clientId();
    const a = await s.run<{ widgetSendMessage: { id: string; conversationId: string } }>(SEND, {
      i: { body: 'once', clientId: id },
    });
    const b = await s.run<{ widgetSendMessage: { id: string } }>(SEND, {
      i: { conversationId: a.widgetSendMessage.conversationId, body: 'once', clientId: id },
    });
    expect(b.widgetSendMessage.id).toBe(a.widgetSendMessage.id);
  });

  it('rate-limits a visitor sending too fast', async () => {
    const { s } = await visitor();
    const first = await s.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: '0', clientId: clientId() },
    });
    const c = first.widgetSendMessage.conversationId;
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        s.run(SEND, { i: { conversationId: c, body: String(i), clientId: clientId() } }),
      ),
    );
    const codes = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['RATE_LIMITED']));
  });

  it('closes a connection that floods frames with 4429 and one with a malformed frame with 4400', async () => {
    const { v } = await visitor();
    const flood = await openWs(app.url, { visitorToken: v.token });
    for (let i = 0; i < 400; i++) flood.socket().send(JSON.stringify({ type: 'ping' }));
    expect((await flood.closed).code).toBe(4429);
    const bad = await openWs(app.url, { visitorToken: v.token });
    bad.socket().send('{not json');
    expect((await bad.closed).code).toBe(4400);
    void SYSTEM_ACTOR;
  });
});
