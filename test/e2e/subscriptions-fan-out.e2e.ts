import type { IncomingMessage } from 'node:http';
import { GraphQLModule } from '@nestjs/graphql';
import type { WebSocket, WebSocketServer } from 'ws';
import { RealtimeBus } from '../../src/common/pubsub/realtime-bus';
import { factories } from '../factories';
import { collect, openWs, type Collected, type Ws } from '../helpers/ws-client';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface MessageEvent {
  cursor: string;
  message: { id: string; bodyText: string };
  ticket: { id: string };
}

const VISIBLE_MESSAGES = `subscription($after: ID) {
  visibleMessageAdded(after: $after) { cursor message { id bodyText } ticket { id } } }`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Counts the `next` frames the server writes directly (direct-frames.ts): each is one whole
 * WebSocket frame, header included, written to the connection in one call; ws writes its header
 * and its message as two.
 */
function countDirectFrames(app: TestApp): () => number {
  const module = app.app.get<GraphQLModule, { graphQlAdapter?: { _subscriptionService?: { wss?: WebSocketServer } } }>(
    GraphQLModule,
    { strict: false },
  );
  let direct = 0;
  module.graphQlAdapter?._subscriptionService?.wss?.on('connection', (_socket: WebSocket, request: IncomingMessage) => {
    const raw = request.socket;
    const write = raw.write.bind(raw) as (data: unknown, ...rest: unknown[]) => boolean;
    raw.write = (data: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(data) && data[0] === 0x81 && data.toString().includes('"type":"next"')) direct++;
      return write(data, ...rest);
    };
  });
  return () => direct;
}

describe('one stream shared by many subscribers', () => {
  let app: TestApp;
  let directFrames: () => number;
  const sockets: Ws[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    directFrames = countDirectFrames(app);
  });
  afterAll(async () => {
    for (const ws of sockets.splice(0)) await ws.client.dispose();
    await app.stop();
  });

  it('sends each subscriber what it may see, every message once and in order, across a reconnect with its cursor', async () => {
    const f = factories(app.app);
    const mine = await f.group();
    const other = await f.group();
    const admin = await f.agent({ role: 'admin' });
    const agent = await f.agent({ ticketAccess: 'groups', groupIds: [mine.id] });
    const visible = await f.conversationTicket({ groupId: mine.id });
    const hidden = await f.conversationTicket({ groupId: other.id });

    const bus = app.app.get(RealtimeBus);
    const before = bus.listenerTotal;
    const subscribe = async (token: string, after?: string) => {
      const ws = await openWs(app.url, { token });
      sockets.push(ws);
      return { ws, sub: collect<MessageEvent>(ws.client, VISIBLE_MESSAGES, after ? { after } : {}) };
    };
    const admins = await Promise.all(Array.from({ length: 4 }, () => subscribe(admin.token)));
    const agents = await Promise.all(Array.from({ length: 4 }, () => subscribe(agent.token)));
    // every subscription listens for a resync once it follows the topic
    for (const until = Date.now() + 10_000; bus.listenerTotal < before + 8;) {
      if (Date.now() > until) throw new Error('the subscriptions never started listening');
      await sleep(5);
    }

    const sent: Array<{ id: string; visible: boolean }> = [];
    const say = async (i: number) => {
      const onVisible = i % 2 === 0;
      const m = await f.customerMessage((onVisible ? visible : hidden).conversation.id, `m${i}`);
      sent.push({ id: String(m.message.id), visible: onVisible });
    };
    for (let i = 0; i < 10; i++) await say(i);
    const idsOf = (s: Collected<MessageEvent>) => s.items.map((e) => e.cursor);
    await admins[0].sub.until((items) => items.length === 10);
    await agents[0].sub.until((items) => items.length === 5);

    // one admin and one agent lose their connection and come back with their last cursor
    const resumed: Array<{ seen: string[]; sub: Collected<MessageEvent> }> = [];
    for (const [who, token] of [
      [admins[3], admin.token],
      [agents[3], agent.token],
    ] as const) {
      await who.sub.until((items) => items.length >= (token === admin.token ? 10 : 5));
      who.ws.socket().terminate();
      const seen = idsOf(who.sub);
      resumed.push({ seen, sub: (await subscribe(token, seen.at(-1))).sub });
    }
    for (let i = 10; i < 20; i++) await say(i);

    const all = sent.map((m) => m.id);
    const theirs = sent.filter((m) => m.visible).map((m) => m.id);
    for (const { sub } of admins.slice(0, 3)) {
      await sub.until((items) => items.length === 20);
      expect(idsOf(sub)).toEqual(all);
    }
    for (const { sub } of agents.slice(0, 3)) {
      await sub.until((items) => items.length === 10);
      expect(idsOf(sub)).toEqual(theirs);
    }
    const [adminBack, agentBack] = resumed;
    await adminBack.sub.until((i) => i.length === 10);
    await agentBack.sub.until((i) => i.length === 5);
    expect([...adminBack.seen, ...idsOf(adminBack.sub)]).toEqual(all);
    expect([...agentBack.seen, ...idsOf(agentBack.sub)]).toEqual(theirs);
    expect(agents[0].sub.items.every((e) => e.ticket.id === visible.ticket.id)).toBe(true);
    await sleep(100);
    expect(admins[0].sub.items).toHaveLength(20);
    // the live events went out through the direct fan-out
    expect(directFrames()).toBeGreaterThanOrEqual(3 * 20 + 3 * 10);
  });
});
