import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, collect, createWidget, newVisitor, openWs, SEND, type WsSession } from '../../helpers/widget';

interface Presence {
  agentId: string;
  effectiveStatus: string;
  connected: boolean;
  chats: number;
  chatOffers: number;
  chatCapacity: number;
}
interface PanelChat {
  conversation: { id: string; state: string };
  offered: boolean;
  queued: boolean;
  unread: number;
  transferNote: string | null;
}
const PRESENCE = `query($ids: [ID!]) { agentPresence(agentIds: $ids) {
  agentId effectiveStatus connected chats chatOffers chatCapacity } }`;
const PANEL = `{ myLiveChats { conversation { id state } offered queued unread transferNote } }`;
const AVAILABILITY = `{ widgetSession { availability { online reason } } }`;
const GRACE_SECONDS = 2;
const OFFER_TIMEOUT_SECONDS = 4;

/** Presence, capacity, offers, decline and transfer of live chats, through GraphQL and WebSockets. */
describe('live chat routing', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let adminToken: string;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      AGENT_PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS),
      CHAT_OFFER_TIMEOUT_SECONDS: String(OFFER_TIMEOUT_SECONDS),
    });
    f = factories(app.app);
    adminToken = (await f.agent({ role: 'admin', name: 'Boss' })).token;
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
  const gql = async <T>(token: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await app.gql<T>(query, variables, { token });
    if (r.errors?.length) throw Object.assign(new Error(r.errors[0].message), { code: r.errors[0].extensions?.code });
    return r.data as T;
  };
  const errorCode = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return (err as { code?: string }).code;
    }
    return 'no error';
  };
  /** An agent in their own group, online and connected over a WebSocket. */
  const onlineAgent = async (name: string, groupIds: string[], status = 'online') => {
    const a = await f.agent({ name, groupIds });
    await gql(a.token, `mutation($s: AgentStatus!) { setMyStatus(status: $s) { id } }`, { s: status });
    const socket = await ws({ token: a.token });
    return { ...a, socket };
  };
  const widgetFor = async (groupId: string) =>
    (await createWidget(app, adminToken, { mode: 'live_chat', name: `Live ${groupId.slice(0, 4)}`, groupId })).id;
  const startChat = async (widgetId: string, text: string) => {
    const v = await newVisitor(app, widgetId);
    const s = await ws({ visitorToken: v.token });
    const sent = await s.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: text, clientId: clientId() },
    });
    return { s, conversationId: sent.widgetSendMessage.conversationId };
  };
  const panel = async (a: AgentWithCredentials) =>
    (await gql<{ myLiveChats: PanelChat[] }>(a.token, PANEL)).myLiveChats;
  const presence = async (agentId: string) =>
    (await gql<{ agentPresence: Presence[] }>(adminToken, PRESENCE, { ids: [agentId] })).agentPresence[0];
  const eventually = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const accept = (a: AgentWithCredentials, c: string) =>
    gql(a.token, `mutation($c: ID!) { acceptChat(conversationId: $c) { state } }`, { c });
  const offeredTo = async (c: string, agents: AgentWithCredentials[]) => {
    for (const a of agents) if ((await panel(a)).some((x) => x.offered && x.conversation.id === c)) return a;
    return null;
  };

  it('counts an agent online only while connected, after a grace period, and back on reconnect', async () => {
    const group = await f.group();
    const mina = await onlineAgent('Mina', [group.id]);
    const widgetId = await widgetFor(group.id);
    const visitor = await ws({ visitorToken: (await newVisitor(app, widgetId)).token });
    const availability = async () =>
      (await visitor.run<{ widgetSession: { availability: { online: boolean; reason: string } } }>(AVAILABILITY))
        .widgetSession.availability;
    expect(await availability()).toEqual({ online: true, reason: 'OPEN' });
    const watcher = await ws({ token: adminToken });
    const changes = collect<Presence>(
      watcher.client,
      `subscription { agentPresenceChanged { agentId effectiveStatus connected } }`,
    );

    await mina.socket.client.dispose();
    const closedAt = Date.now();
    await changes.until((xs) => xs.some((x) => x.agentId === mina.agent.id && x.effectiveStatus === 'offline'));
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000 - 200);
    expect(await availability()).toEqual({ online: false, reason: 'NO_AGENTS' });
    expect(await presence(mina.agent.id)).toMatchObject({ effectiveStatus: 'offline', connected: false });

    // reconnecting brings back the status she chose, without setting it again
    await ws({ token: mina.token });
    await changes.until((xs) => xs.filter((x) => x.agentId === mina.agent.id).at(-1)?.effectiveStatus === 'online');
    expect(await availability()).toEqual({ online: true, reason: 'OPEN' });
  });

  it('offers no chat to an agent at capacity, and the next one once a chat ends', async () => {
    const group = await f.group();
    const joon = await onlineAgent('Joon', [group.id]);
    const widgetId = await widgetFor(group.id);
    await gql(adminToken, `mutation($a: ID!) { setAgentChatCapacity(agentId: $a, capacity: 1) { chatCapacity } }`, {
      a: joon.agent.id,
    });
    const events = collect<{ type: string; conversationId: string }>(
      joon.socket.client,
      `subscription { myLiveChatEvents { type conversationId authorKind } }`,
    );
    const first = await startChat(widgetId, 'First');
    await events.until((xs) => xs.some((x) => x.type === 'OFFER' && x.conversationId === first.conversationId));
    expect(await panel(joon)).toEqual([
      expect.objectContaining({
        offered: true,
        unread: 1,
        conversation: { id: first.conversationId, state: 'waiting' },
      }),
    ]);
    await accept(joon, first.conversationId);

    const second = await startChat(widgetId, 'Second');
    await new Promise((r) => setTimeout(r, 500));
    expect((await panel(joon)).map((c) => [c.conversation.id, c.offered, c.queued])).toEqual([
      [first.conversationId, false, false],
      [second.conversationId, false, true],
    ]);
    expect(await presence(joon.agent.id)).toMatchObject({ chats: 1, chatOffers: 0, chatCapacity: 1 });

    await gql(joon.token, `mutation($c: ID!) { endChat(conversationId: $c) { state } }`, { c: first.conversationId });
    await events.until((xs) => xs.some((x) => x.type === 'OFFER' && x.conversationId === second.conversationId));
    expect((await panel(joon)).map((c) => [c.conversation.id, c.offered])).toEqual([[second.conversationId, true]]);
  });

  it('moves an unanswered offer on to the next agent after the timeout', async () => {
    const group = await f.group();
    const agents = [await onlineAgent('Eun', [group.id]), await onlineAgent('Fay', [group.id])];
    const widgetId = await widgetFor(group.id);
    const chat = await startChat(widgetId, 'Anyone there?');
    const first = await eventually(
      () => offeredTo(chat.conversationId, agents),
      (a) => !!a,
    );
    const offeredAt = Date.now();
    const second = await eventually(
      () => offeredTo(chat.conversationId, agents),
      (a) => !!a && a.agent.id !== first!.agent.id,
    );
    expect(Date.now() - offeredAt).toBeGreaterThanOrEqual(OFFER_TIMEOUT_SECONDS * 1000 - 1500);
    expect(second!.agent.id).not.toBe(first!.agent.id);
    // the one who let it lapse still sees it in the queue and may take it
    expect((await panel(first!)).find((c) => c.conversation.id === chat.conversationId)).toMatchObject({
      queued: true,
    });
  });

  it('never offers more chats than capacity when many arrive at once', async () => {
    const group = await f.group();
    const agents = [await onlineAgent('Cy', [group.id]), await onlineAgent('Dee', [group.id])];
    for (const a of agents) {
      await gql(adminToken, `mutation($a: ID!) { setAgentChatCapacity(agentId: $a, capacity: 2) { chatCapacity } }`, {
        a: a.agent.id,
      });
    }
    const widgetId = await widgetFor(group.id);
    await Promise.all(Array.from({ length: 7 }, (_, i) => startChat(widgetId, `Parallel ${i}`)));
    const loads = await eventually(
      () => Promise.all(agents.map((a) => presence(a.agent.id))),
      (ps) => ps.every((p) => p.chatOffers === 2),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await Promise.all(agents.map((a) => presence(a.agent.id)))).map((p) => p.chatOffers)).toEqual([2, 2]);
    expect(loads.map((p) => p.chatOffers + p.chats)).toEqual([2, 2]);
  });

  it('passes a declined offer to the next agent, then back to the queue', async () => {
    const group = await f.group();
    const agents = [await onlineAgent('Ara', [group.id]), await onlineAgent('Bo', [group.id])];
    const widgetId = await widgetFor(group.id);
    const chat = await startChat(widgetId, 'Hello?');
    const first = await eventually(
      () => offeredTo(chat.conversationId, agents),
      (a) => !!a,
    );
    await gql(first!.token, `mutation($c: ID!) { declineChatOffer(conversationId: $c) }`, { c: chat.conversationId });
    const second = await eventually(
      () => offeredTo(chat.conversationId, agents),
      (a) => !!a,
    );
    expect(second!.agent.id).not.toBe(first!.agent.id);
    expect(
      await errorCode(
        gql(first!.token, `mutation($c: ID!) { declineChatOffer(conversationId: $c) }`, { c: chat.conversationId }),
      ),
    ).toBe('VALIDATION_FAILED');

    await gql(second!.token, `mutation($c: ID!) { declineChatOffer(conversationId: $c) }`, { c: chat.conversationId });
    expect(await offeredTo(chat.conversationId, agents)).toBeNull();
    const state = await chat.s.run<{
      widgetSession: { conversations: Array<{ state: string; queuePosition: number }> };
    }>(`{ widgetSession { conversations { state queuePosition } } }`);
    expect(state.widgetSession.conversations[0]).toMatchObject({ state: 'waiting', queuePosition: 1 });
  });

  it('transfers to an available agent or a group with a note, never to an offline agent or one without access', async () => {
    const sales = await f.group();
    const billing = await f.group();
    const ara = await onlineAgent('Ara', [sales.id]);
    const bo = await onlineAgent('Bo', [sales.id]);
    const offline = await f.agent({ name: 'Away', groupIds: [sales.id] });
    const outsider = await onlineAgent('Outsider', [billing.id]);
    await gql(adminToken, `mutation($a: ID!) { updateAgent(input: { id: $a, ticketAccess: groups }) { id } }`, {
      a: outsider.agent.id,
    });
    const widgetId = await widgetFor(sales.id);
    const chat = await startChat(widgetId, 'Need help with an invoice');
    const c = chat.conversationId;
    const taker = (await eventually(
      () => offeredTo(c, [ara, bo]),
      (a) => !!a,
    ))!;
    const other = taker === ara ? bo : ara;
    await accept(taker, c);
    const transfer = (by: AgentWithCredentials, input: Record<string, unknown>) =>
      gql<{ transferChat: { state: string } }>(
        by.token,
        `mutation($i: TransferChatInput!) { transferChat(input: $i) { state } }`,
        { i: { conversationId: c, ...input } },
      );

    expect(await errorCode(transfer(taker, { toAgentId: offline.agent.id, note: 'x' }))).toBe('VALIDATION_FAILED');
    expect(await errorCode(transfer(taker, { toAgentId: outsider.agent.id, note: 'x' }))).toBe('VALIDATION_FAILED');
    expect(await errorCode(transfer(taker, { note: 'nobody' }))).toBe('VALIDATION_FAILED');
    const viewer = await f.agent({ role: 'viewer' });
    expect(await errorCode(transfer(viewer, { toAgentId: other.agent.id, note: 'x' }))).toBe('FORBIDDEN');

    expect(
      (await transfer(taker, { toAgentId: other.agent.id, note: 'Invoice #12, refund agreed' })).transferChat.state,
    ).toBe('active');
    expect((await panel(taker)).some((x) => x.conversation.id === c)).toBe(false);
    expect(await panel(other)).toContainEqual(
      expect.objectContaining({
        offered: false,
        transferNote: 'Invoice #12, refund agreed',
        conversation: { id: c, state: 'active' },
      }),
    );
    const timeline = async () => {
      const t = await gql<{ conversation: { ticketId: string } }>(
        adminToken,
        `query($c: ID!) { conversation(id: $c) { ticketId } }`,
        { c },
      );
      const r = await gql<{ ticketTimeline: { edges: Array<{ node: { bodyText?: string } }> } }>(
        adminToken,
        `query($t: ID!) { ticketTimeline(ticketId: $t, last: 50) { edges { node {
           ... on Message { bodyText } ... on InternalNote { bodyText } } } } }`,
        { t: t.conversation.ticketId },
      );
      return r.ticketTimeline.edges.map((e) => e.node.bodyText).filter(Boolean);
    };
    expect(await timeline()).toEqual(
      expect.arrayContaining([
        'Invoice #12, refund agreed',
        `${taker.agent.name} transferred the chat to ${other.agent.name}`,
      ]),
    );

    // to a group: the chat waits again and goes to a transfer-only agent of that group
    const biller = await onlineAgent('Biller', [billing.id], 'transfer_only');
    expect((await transfer(other, { toGroupId: billing.id, note: 'Billing question' })).transferChat.state).toBe(
      'waiting',
    );
    const got = await eventually(
      () => offeredTo(c, [biller, outsider]),
      (a) => !!a,
    );
    expect([biller.agent.id, outsider.agent.id]).toContain(got!.agent.id);
    expect((await panel(got!)).find((x) => x.conversation.id === c)?.transferNote).toBe('Billing question');
    expect(await timeline()).toContain(`${other.agent.name} transferred the chat to ${billing.name}`);
  });
});
