import { RealtimeBus } from '../../src/common/pubsub/realtime-bus';
import { Client as PgClient } from 'pg';
import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { AttachmentsService } from '../../src/conversations/attachments/attachments.service';
import { MessagesService } from '../../src/conversations/messages.service';
import { TicketRepliesService } from '../../src/conversations/ticket-replies.service';
import { factories, type AgentWithCredentials } from '../factories';
import { collect, connectWs, openWs, type Ws } from '../helpers/ws-client';
import { startTestApp, type TestApp } from '../helpers/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface MessageEvent {
  cursor: string;
  message: { id: string; bodyText: string; conversationId: string };
  ticket: { id: string; status: string };
}
interface TicketEvent {
  cursor: string;
  ticket: { id: string; status: string; priority: string; assigneeId: string | null };
  event: { id: string; action: string; changes: Record<string, { from: unknown; to: unknown }> };
}

const MESSAGE_ADDED = `subscription($t: ID, $c: ID, $after: ID) {
  messageAdded(ticketId: $t, conversationId: $c, after: $after) {
    cursor message { id bodyText conversationId } ticket { id status } } }`;
const INBOX_MESSAGES = `subscription($after: ID) {
  inboxMessageAdded(after: $after) { cursor message { id bodyText conversationId } ticket { id status } } }`;
const TICKET_UPDATED = `subscription($t: ID!, $after: ID) {
  ticketUpdated(ticketId: $t, after: $after) {
    cursor ticket { id status priority assigneeId } event { id action changes } } }`;
const INBOX_TICKETS = `subscription($after: ID) {
  inboxTicketUpdated(after: $after) { cursor ticket { id status priority assigneeId } event { id action changes } } }`;

describe('subscriptions over graphql-ws', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;
  const sockets: Ws[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
  });
  afterEach(async () => {
    for (const ws of sockets.splice(0)) await ws.client.dispose();
  });
  afterAll(async () => app.stop());

  const ws = async (auth: { token?: string; cookie?: string } = { token: admin.token }) => {
    const w = await openWs(app.url, auth);
    sockets.push(w);
    return w;
  };
  const openTicket = (input: { groupId?: string; assigneeId?: string } = {}) =>
    app.app.get(TicketRepliesService).openTicket(SYSTEM_ACTOR, {
      subject: 'Live',
      requester: { email: 'live@example.com' },
      body: 'first',
      bodyFormat: 'TEXT',
      author: 'requester',
      channel: 'api',
      ...input,
    });
  const say = (conversationId: string, text: string) =>
    app.app.get(MessagesService).receiveMessage(SYSTEM_ACTOR, { conversationId, text });
  const gql = (q: string, vars: Record<string, unknown>) => app.gql(q, vars, { token: admin.token });
  /** Bus listeners of the app: a subscription is live (will see the next event) once it added its own. */
  const listeners = () => app.app.get(RealtimeBus).listenerTotal;
  const listening = async (before: number) => {
    const until = Date.now() + 10_000;
    while (listeners() <= before) {
      if (Date.now() > until) throw new Error('the subscription never started listening');
      await sleep(5);
    }
  };

  it('refuses connections without valid credentials with 4403', async () => {
    await expect(connectWs(app.url, {})).rejects.toMatchObject({ code: 4403 });
    await expect(connectWs(app.url, { token: 'sori_pat_not-a-real-token' })).rejects.toMatchObject({ code: 4403 });
  });

  it('delivers new messages of a ticket live, over a session-cookie connection too', async () => {
    const { change, written } = await openTicket();
    const cookie = await app.login(app.admin.email, app.admin.password);
    for (const auth of [{ token: admin.token }, { cookie }]) {
      const wsClient = (await ws(auth)).client;
      const before = listeners();
      const sub = collect<MessageEvent>(wsClient, MESSAGE_ADDED, { t: change.ticket.id });
      await listening(before);
      const m = await say(written.conversation.id, `hello ${Object.keys(auth)[0]}`);
      const [event] = await sub.until((i) => i.length === 1);
      expect(event).toMatchObject({
        cursor: String(m.message.id),
        message: { id: String(m.message.id), bodyText: `hello ${Object.keys(auth)[0]}` },
        ticket: { id: change.ticket.id },
      });
    }
  });

  it('starts at the present without a cursor, and filters by conversation', async () => {
    const a = await openTicket();
    const b = await openTicket();
    await say(a.written.conversation.id, 'before subscribing');
    const client = (await ws()).client;
    const before = listeners();
    const sub = collect<MessageEvent>(client, MESSAGE_ADDED, { c: a.written.conversation.id });
    await listening(before);
    await say(b.written.conversation.id, 'other conversation');
    await say(a.written.conversation.id, 'after subscribing');
    await sub.until((i) => i.length === 1);
    await sleep(150);
    expect(sub.items.map((e) => e.message.bodyText)).toEqual(['after subscribing']);
  });

  it('sends each live message with its own attachments and ticket', async () => {
    const { change, written } = await openTicket();
    const client = (await ws()).client;
    const before = listeners();
    const sub = collect<{ message: { bodyText: string; attachments: unknown[] }; ticket: { id: string } }>(
      client,
      `subscription($c: ID) { messageAdded(conversationId: $c) {
        message { bodyText attachments { filename size } } ticket { id } } }`,
      { c: written.conversation.id },
    );
    await listening(before);
    const file = await app.app
      .get(AttachmentsService)
      .storeBuffer(Buffer.from('영수증 #42'), '영수증.txt', 'text/plain');
    const conversationId = written.conversation.id;
    await app.app
      .get(MessagesService)
      .receiveMessage(SYSTEM_ACTOR, { conversationId, text: 'with a file', attachmentIds: [file.id] });
    await say(conversationId, 'without');
    const items = await sub.until((i) => i.length === 2);
    expect(items).toEqual([
      {
        message: {
          bodyText: 'with a file',
          attachments: [{ filename: '영수증.txt', size: Buffer.byteLength('영수증 #42') }],
        },
        ticket: { id: change.ticket.id },
      },
      { message: { bodyText: 'without', attachments: [] }, ticket: { id: change.ticket.id } },
    ]);
  });

  it('resumes from the last cursor after the socket dies: every missed message once, in order', async () => {
    const { change, written } = await openTicket();
    const first = await ws();
    const before = listeners();
    const sub = collect<MessageEvent>(first.client, MESSAGE_ADDED, { t: change.ticket.id });
    await listening(before);
    const sent: number[] = [];
    const publisher = (async () => {
      for (let i = 0; i < 30; i++) {
        sent.push((await say(written.conversation.id, `m${i}`)).message.id);
        await sleep(5);
      }
    })();
    await sub.until((i) => i.length >= 5);
    first.socket().terminate(); // no close handshake: like a dropped network
    const seenBefore = [...sub.items];
    const lastCursor = seenBefore.at(-1)!.cursor;
    await sleep(50); // messages keep coming while nobody listens
    const second = collect<MessageEvent>((await ws()).client, MESSAGE_ADDED, {
      t: change.ticket.id,
      after: lastCursor,
    });
    await publisher;
    await second.until((i) => i.length > 0 && i.at(-1)!.cursor === String(sent.at(-1)));
    const received = [...seenBefore, ...second.items].map((e) => Number(e.cursor));
    expect(received).toEqual(sent);
    expect(second.items[0].cursor).not.toBe(lastCursor);
  });

  it('follows the agent’s inbox: messages on tickets assigned to them only', async () => {
    const agent = await f.agent();
    const assigned = await openTicket({ assigneeId: agent.agent.id });
    const notMine = await openTicket();
    const wsClient = (await ws({ token: agent.token })).client;
    const before = listeners();
    const sub = collect<MessageEvent>(wsClient, INBOX_MESSAGES);
    await listening(before);
    await say(notMine.written.conversation.id, 'not for you');
    await say(assigned.written.conversation.id, 'for you');
    await sub.until((i) => i.length === 1);
    await sleep(100);
    expect(sub.items.map((e) => [e.ticket.id, e.message.bodyText])).toEqual([[assigned.change.ticket.id, 'for you']]);
  });

  it('sends ticketUpdated with the audit event as cursor on updateTicket, and resumes from it', async () => {
    const { change } = await openTicket();
    const wsClient = (await ws()).client;
    const before = listeners();
    const sub = collect<TicketEvent>(wsClient, TICKET_UPDATED, { t: change.ticket.id });
    await listening(before);
    const upd = `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`;
    await gql(upd, { i: { id: change.ticket.id, priority: 'urgent' } });
    const [first] = await sub.until((i) => i.length === 1);
    expect(first.ticket.priority).toBe('urgent');
    expect(first.event.changes.priority).toEqual({ from: 'normal', to: 'urgent' });
    expect(first.cursor).toBe(first.event.id);
    await gql(upd, { i: { id: change.ticket.id, status: 'pending' } });
    const resumed = collect<TicketEvent>((await ws()).client, TICKET_UPDATED, {
      t: change.ticket.id,
      after: first.cursor,
    });
    const [again] = await resumed.until((i) => i.length === 1);
    expect(again.event.changes.status).toEqual({ from: 'new', to: 'pending' });
  });

  it('resolves each event afresh: related data changed between events is current, not cached', async () => {
    const { change } = await openTicket();
    const wsClient = (await ws()).client;
    const before = listeners();
    const sub = collect<{ ticket: { requester: { name: string }; links: Array<{ ticketId: string }> } }>(
      wsClient,
      `subscription($t: ID!) { ticketUpdated(ticketId: $t) { ticket { requester { name } links { ticketId } } } }`,
      { t: change.ticket.id },
    );
    await listening(before);
    const upd = `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`;
    await gql(`mutation($i: UpdateContactInput!) { updateContact(input: $i) { id } }`, {
      i: { id: change.ticket.requesterId, name: 'Before' },
    });
    await gql(upd, { i: { id: change.ticket.id, priority: 'high' } });
    await sub.until((i) => i.length === 1);
    await gql(`mutation($i: UpdateContactInput!) { updateContact(input: $i) { id } }`, {
      i: { id: change.ticket.requesterId, name: 'After' },
    });
    const other = await openTicket();
    await gql(`mutation($a: ID!, $b: ID!) { linkTickets(sourceId: $a, targetId: $b) { id } }`, {
      a: change.ticket.id,
      b: other.change.ticket.id,
    });
    const events = await sub.until((i) => i.length === 2);
    expect(events.map((e) => e.ticket.requester.name)).toEqual(['Before', 'After']);
    expect(events[1].ticket.links.map((l) => l.ticketId)).toEqual([other.change.ticket.id]);
  });

  it('tells an agent when tickets enter and leave their inbox', async () => {
    const agent = await f.agent();
    const other = await f.agent();
    const { change } = await openTicket();
    const wsClient = (await ws({ token: agent.token })).client;
    const before = listeners();
    const sub = collect<TicketEvent>(wsClient, INBOX_TICKETS);
    await listening(before);
    const upd = `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`;
    await gql(upd, { i: { id: change.ticket.id, assigneeId: agent.agent.id } });
    await gql(upd, { i: { id: change.ticket.id, assigneeId: other.agent.id } });
    const events = await sub.until((i) => i.length === 2);
    expect(events.map((e) => e.event.changes.assigneeId)).toEqual([
      { from: null, to: agent.agent.id },
      { from: agent.agent.id, to: other.agent.id },
    ]);
  });

  it('stops sending inbox events of a ticket the agent may no longer see', async () => {
    const agent = await f.agent({ ticketAccess: 'assigned' });
    const other = await f.agent();
    const { change } = await openTicket();
    const wsClient = (await ws({ token: agent.token })).client;
    const before = listeners();
    const sub = collect<TicketEvent>(wsClient, INBOX_TICKETS);
    await listening(before);
    const upd = `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`;
    await gql(upd, { i: { id: change.ticket.id, assigneeId: agent.agent.id } });
    await sub.until((i) => i.length === 1);
    await gql(upd, { i: { id: change.ticket.id, assigneeId: other.agent.id, priority: 'high' } });
    await sleep(300);
    expect(sub.items).toHaveLength(1);
  });

  it('refuses subscriptions to tickets outside the agent’s groups with TICKET_NOT_FOUND', async () => {
    const mine = await f.group();
    const other = await f.group();
    const agent = await f.agent({ ticketAccess: 'groups', groupIds: [mine.id] });
    const hidden = await openTicket({ groupId: other.id });
    const client = (await ws({ token: agent.token })).client;
    for (const [query, vars] of [
      [MESSAGE_ADDED, { t: hidden.change.ticket.id }],
      [MESSAGE_ADDED, { c: hidden.written.conversation.id }],
      [TICKET_UPDATED, { t: hidden.change.ticket.id }],
    ] as const) {
      const sub = collect(client, query, vars);
      await sleep(100).then(() => (sub.errors.length ? undefined : sleep(300)));
      expect(sub.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({
            code: 'conversationId' in vars || 'c' in vars ? 'CONVERSATION_NOT_FOUND' : 'TICKET_NOT_FOUND',
          }),
        }),
      ]);
    }
    const bad = collect(client, MESSAGE_ADDED, { t: hidden.change.ticket.id, after: 'yesterday' });
    await sleep(200);
    expect(bad.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'VALIDATION_FAILED' }) }),
    ]);
  });

  it('does not skip a message that commits after a later one (cursors across tickets)', async () => {
    const agent = await f.agent();
    const a = await openTicket({ assigneeId: agent.agent.id });
    const b = await openTicket({ assigneeId: agent.agent.id });
    const wsClient = (await ws({ token: agent.token })).client;
    const before = listeners();
    const sub = collect<MessageEvent>(wsClient, INBOX_MESSAGES);
    await listening(before);
    const slow = new PgClient({ connectionString: app.db.url });
    await slow.connect();
    try {
      // a channel transaction that takes its id first but commits last
      await slow.query('BEGIN');
      const early = await slow.query<{ id: string }>(
        `INSERT INTO message (conversation_id, ticket_id, channel_key, author_kind, body_text)
         VALUES ($1, $2, 'api:default', 'contact', 'slow one') RETURNING id`,
        [a.written.conversation.id, a.change.ticket.id],
      );
      const later = say(b.written.conversation.id, 'fast one');
      await sleep(300);
      await slow.query('COMMIT');
      await slow.query(`SELECT pg_notify('sori_events', $1)`, [
        JSON.stringify({ kind: 'message', id: Number(early.rows[0].id), topics: [`inbox:${agent.agent.id}`] }),
      ]);
      await later;
      const got = await sub.until((i) => i.length === 2);
      expect(got.map((e) => e.message.bodyText)).toEqual(['slow one', 'fast one']);
    } finally {
      await slow.end();
    }
  });

  it('misses nothing in an inbox while many tickets receive messages at once', async () => {
    const agent = await f.agent();
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push(await openTicket({ assigneeId: agent.agent.id }));
    const wsClient = (await ws({ token: agent.token })).client;
    const before = listeners();
    const sub = collect<MessageEvent>(wsClient, INBOX_MESSAGES);
    await listening(before);
    const ids = (
      await Promise.all(
        tickets.flatMap((t) =>
          Array.from({ length: 5 }, (_, i) => say(t.written.conversation.id, `burst ${i}`).then((m) => m.message.id)),
        ),
      )
    ).sort((x, y) => x - y);
    const got = await sub.until((i) => i.length === ids.length);
    expect(got.map((e) => Number(e.cursor))).toEqual(ids);
  });
});

describe('commit order of realtime cursors', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(async () => app.stop());

  it('makes a later message insert wait until an earlier one commits, so ids become visible in order', async () => {
    const { written } = await app.app.get(TicketRepliesService).openTicket(SYSTEM_ACTOR, {
      subject: 'Order',
      requester: { email: 'order@example.com' },
      body: 'x',
      bodyFormat: 'TEXT',
      author: 'requester',
      channel: 'api',
    });
    const insert = `INSERT INTO message (conversation_id, channel_key, author_kind) VALUES ($1, 'api:default', 'system') RETURNING id`;
    const slow = new PgClient({ connectionString: app.db.url });
    const fast = new PgClient({ connectionString: app.db.url });
    await Promise.all([slow.connect(), fast.connect()]);
    try {
      await slow.query('BEGIN');
      const first = Number((await slow.query<{ id: string }>(insert, [written.conversation.id])).rows[0].id);
      let fastDone = false;
      const second = fast.query<{ id: string }>(insert, [written.conversation.id]).then((r) => {
        fastDone = true;
        return Number(r.rows[0].id);
      });
      await sleep(300);
      expect(fastDone).toBe(false);
      await slow.query('COMMIT');
      expect(await second).toBeGreaterThan(first);
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });
});

describe('fan-out across processes', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ DATABASE_URL: a.db.url });
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('delivers a message written through instance A to a subscriber on instance B', async () => {
    const admin = await factories(a.app).agent({ role: 'admin' });
    const opened = await a.gql<{ openTicket: { ticket: { id: string }; conversation: { id: string } } }>(
      `mutation($i: OpenTicketInput!) { openTicket(input: $i) { ticket { id } conversation { id } } }`,
      { i: { subject: 'Two processes', requester: { email: 'two@example.com' }, body: 'hi' } },
      { token: admin.token },
    );
    const ticketId = opened.data!.openTicket.ticket.id;
    const onB = await openWs(b.url, { token: admin.token });
    try {
      const sub = collect<MessageEvent>(onB.client, MESSAGE_ADDED, { t: ticketId });
      await sleep(150);
      const reply = await a.gql<{ replyToTicket: { message: { id: string } } }>(
        `mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id } } }`,
        { i: { ticketId, body: 'from A' } },
        { token: admin.token },
      );
      const [event] = await sub.until((i) => i.length === 1);
      expect(event.message).toMatchObject({ id: reply.data!.replyToTicket.message.id, bodyText: 'from A' });
    } finally {
      await onB.client.dispose();
    }
  });
});
