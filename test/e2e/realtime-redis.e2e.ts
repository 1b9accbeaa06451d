import { MessagesService } from '../../src/conversations/messages.service';
import { RealtimeBus } from '../../src/common/pubsub/realtime-bus';
import { LiveChatService } from '../../src/channels/widget/live-chat.service';
import { createTestDatabase } from '../helpers/database';
import { TestRedis } from '../helpers/redis-server';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { factories, type AgentWithCredentials } from '../factories';
import { clientId, collect, createWidget, newVisitor, openWs, SEND, type WsSession } from '../helpers/widget';

interface Ev {
  cursor: string;
  message: { bodyText: string };
}
const STREAM = `subscription($c: ID!, $a: ID) { widgetMessageAdded(conversationId: $c, after: $a) { cursor message { bodyText } } }`;

/** REDIS_URL: two app processes on one database fan out through Redis pub/sub, and resync after Redis restarts. */
describe('realtime bus over Redis', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let admin: AgentWithCredentials;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    redis = await new TestRedis().start();
    const db = await createTestDatabase();
    a = await startTestApp({ REDIS_URL: redis.url }, { db });
    b = await startTestApp({ REDIS_URL: redis.url }, { db: { ...db, drop: async () => undefined } });
    admin = await factories(a.app).agent({ role: 'admin' });
  });
  afterAll(async () => {
    for (const s of sockets) await s.client.dispose();
    await b?.stop();
    await a?.stop();
    await redis?.stop();
  });

  it('uses Redis, not LISTEN/NOTIFY', () => {
    expect(a.app.get(RealtimeBus).transportName).toBe('redis');
  });

  it('delivers a message written on one process to a visitor connected to the other, and catches up after Redis restarts', async () => {
    const widgetId = (await createWidget(a, admin.token)).id;
    const v = await newVisitor(a, widgetId);
    const onB = await openWs(b.url, { visitorToken: v.token });
    sockets.push(onB);
    const sent = await onB.run<{ widgetSendMessage: { id: string; conversationId: string } }>(SEND, {
      i: { body: 'hello from B', clientId: clientId() },
    });
    const c = sent.widgetSendMessage.conversationId;
    const stream = collect<Ev>(onB.client, STREAM, { c, a: sent.widgetSendMessage.id });
    await new Promise((r) => setTimeout(r, 200));
    const chat = a.app.get(LiveChatService);
    await chat.reply(admin.actor, { conversationId: c, body: 'reply written on A' });
    await stream.until((items) => items.some((e) => e.message.bodyText === 'reply written on A'));

    // Redis goes away: A's publish is lost, B's subscriber reconnects and resyncs from its cursor
    await redis.stop();
    await chat.reply(admin.actor, { conversationId: c, body: 'written while Redis was down' });
    await redis.start();
    await stream.until((items) => items.some((e) => e.message.bodyText === 'written while Redis was down'), 15_000);
    const texts = stream.items.map((e) => e.message.bodyText);
    expect(texts).toEqual(['reply written on A', 'written while Redis was down']);
    void MessagesService;
  });
});
