import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { MessagesService } from '../../src/conversations/messages.service';
import { AgentsService } from '../../src/identity/agents.service';
import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type GqlResult, type TestApp } from '../helpers/test-app';

interface MessageView {
  id: string;
  authorKind: string;
  bodyHtml: string;
  bodyText: string;
  deliveryState: string;
  conversationId: string;
}
interface OpenResult {
  ticket: { id: string; status: string; number: number };
  conversation: { id: string; channelKind: string };
  message: MessageView;
}

const MESSAGE = 'id authorKind bodyHtml bodyText deliveryState conversationId';
const OPEN = `mutation($i: OpenTicketInput!) {
  openTicket(input: $i) { ticket { id status number } conversation { id channelKind } message { ${MESSAGE} } }
}`;
const REPLY = `mutation($i: ReplyToTicketInput!) {
  replyToTicket(input: $i) { message { ${MESSAGE} authorAgent { id } } ticket { id status updatedAt } }
}`;
const RECEIVE = `mutation($i: ReceiveMessageInput!) {
  receiveMessage(input: $i) { created message { ${MESSAGE} authorContact { id } } }
}`;
const NOTE = `mutation($i: AddNoteInput!) {
  addNote(input: $i) { id bodyText bodyHtml mentionIds mentions { id } author { id } }
}`;
const TIMELINE = `query($t: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  ticketTimeline(ticketId: $t, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { __typename
      ... on Message { id bodyText }
      ... on InternalNote { id bodyText }
      ... on AuditEvent { id action changes } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type TimelineNode = { __typename: string; id: string; bodyText?: string; action?: string; changes?: unknown };
interface TimelineResult {
  ticketTimeline: {
    edges: Array<{ cursor: string; node: TimelineNode }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string; startCursor: string };
  };
}

const codeOf = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code;

describe('conversations: messages, replies, notes, timeline', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = await f.agent({ role: 'admin', name: 'Admin Kim' });
  });
  afterAll(async () => app.stop());

  const open = async (input: Record<string, unknown> = {}, token = admin.token) => {
    const r = await app.gql<{ openTicket: OpenResult }>(
      OPEN,
      { i: { subject: 'Order #42 is late', requester: { email: 'lee@example.com' }, body: 'Where is it?', ...input } },
      { token },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.openTicket;
  };
  const reply = (input: Record<string, unknown>, token = admin.token) =>
    app.gql<{ replyToTicket: { message: MessageView & { authorAgent: { id: string } }; ticket: { status: string } } }>(
      REPLY,
      { i: input },
      { token },
    );
  const receive = (input: Record<string, unknown>, token = admin.token) =>
    app.gql<{ receiveMessage: { created: boolean; message: MessageView } }>(RECEIVE, { i: input }, { token });
  const timeline = (vars: Record<string, unknown>, token = admin.token) =>
    app.gql<TimelineResult>(TIMELINE, vars, { token });

  it('opens a ticket with an api conversation and the requester’s first message in one step', async () => {
    const o = await open();
    expect(o.ticket.status).toBe('new');
    expect(o.conversation.channelKind).toBe('api');
    expect(o.message).toMatchObject({ authorKind: 'contact', bodyText: 'Where is it?', deliveryState: 'received' });
    const read = await app.gql<{
      ticket: { conversations: Array<{ id: string; contact: { id: string }; messages: { edges: unknown[] } }> };
    }>(
      `query($id: ID!) { ticket(id: $id) { conversations { id contact { id } messages(first: 10) { edges { cursor } } } } }`,
      { id: o.ticket.id },
      { token: admin.token },
    );
    expect(read.data!.ticket.conversations).toHaveLength(1);
    expect(read.data!.ticket.conversations[0].messages.edges).toHaveLength(1);
  });

  it('rolls the whole ticket back when the first message is refused', async () => {
    const before = await app.dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ticket`);
    const r = await app.gql(
      OPEN,
      {
        i: { subject: 'x', requester: { email: 'roll@example.com' }, body: 'x', attachmentIds: [crypto.randomUUID()] },
      },
      { token: admin.token },
    );
    expect(codeOf(r)).toBe('ATTACHMENT_NOT_FOUND');
    const after = await app.dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ticket`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('sanitises HTML bodies: scripts and handlers are removed, the text is derived', async () => {
    const o = await open({
      body: '<p onclick="steal()">Hello <b>team</b><script>alert(document.cookie)</script></p><img src="https://t.example/p.gif">',
      bodyFormat: 'HTML',
    });
    expect(o.message.bodyHtml).not.toMatch(/script|onclick|alert/);
    expect(o.message.bodyHtml).toContain('<b>team</b>');
    expect(o.message.bodyHtml).toContain('data-remote-src="https://t.example/p.gif"');
    expect(o.message.bodyText).toBe('Hello team');
  });

  it('refuses bodies over 256 KB and empty bodies with VALIDATION_FAILED', async () => {
    const o = await open();
    const big = await reply({ ticketId: o.ticket.id, body: '가'.repeat(90_000) });
    expect(codeOf(big)).toBe('VALIDATION_FAILED');
    expect(codeOf(await reply({ ticketId: o.ticket.id, body: '<p> </p>', bodyFormat: 'HTML' }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('replies on the latest conversation, opens a new ticket and can set the status in the same call', async () => {
    const o = await open();
    const r = await reply({ ticketId: o.ticket.id, body: 'It ships today.' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.replyToTicket.message).toMatchObject({
      authorKind: 'agent',
      deliveryState: 'sent',
      conversationId: o.conversation.id,
      authorAgent: { id: admin.agent.id },
    });
    expect(r.data!.replyToTicket.ticket.status).toBe('open');
    const pending = await reply({ ticketId: o.ticket.id, body: 'Anything else?', setStatus: 'pending' });
    expect(pending.data!.replyToTicket.ticket.status).toBe('pending');
    const bad = await reply({ ticketId: o.ticket.id, body: 'x', setStatus: 'new' });
    expect(codeOf(bad)).toBe('INVALID_STATUS_TRANSITION');
  });

  it('sends nothing when the status change asked for with the reply is refused (reply and status are one step)', async () => {
    const field = await app.gql<{ createTicketField: { id: string } }>(
      `mutation { createTicketField(input: { key: "order_no", label: "Order", type: text, required: true }) { id } }`,
      {},
      { token: admin.token },
    );
    try {
      const o = await open();
      const r = await reply({ ticketId: o.ticket.id, body: 'Refunded, closing this.', setStatus: 'solved' });
      expect(codeOf(r)).toBe('VALIDATION_FAILED');
      const t = await timeline({ t: o.ticket.id, first: 50 });
      expect(t.data!.ticketTimeline.edges.map((e) => e.node.bodyText)).not.toContain('Refunded, closing this.');
      const ticket = await app.gql<{ ticket: { status: string } }>(
        `query($id: ID!) { ticket(id: $id) { status } }`,
        { id: o.ticket.id },
        { token: admin.token },
      );
      expect(ticket.data!.ticket.status).toBe('new');
    } finally {
      await app.gql(
        `mutation($id: ID!) { deactivateTicketField(id: $id) { id } }`,
        { id: field.data!.createTicketField.id },
        { token: admin.token },
      );
    }
  });

  it('opens a conversation with the requester when a ticket without messages gets its first reply', async () => {
    const t = await f.ticket({ channel: 'email' });
    const r = await reply({ ticketId: t.id, body: 'Hello from support' });
    expect(r.data!.replyToTicket.message.deliveryState).toBe('queued');
    const c = await app.app.get(ConversationsService).ofTickets([t.id]);
    expect(c.map((x) => x.channelKind)).toEqual(['email']);
  });

  it('makes message and note text findable in ticket search and moves the ticket up the inbox', async () => {
    const o = await open({ subject: 'Question', body: '배송지 변경 부탁드립니다' });
    const updated = async () =>
      (
        await app.gql<{ ticket: { updatedAt: string } }>(
          `query($id: ID!) { ticket(id: $id) { updatedAt } }`,
          { id: o.ticket.id },
          { token: admin.token },
        )
      ).data!.ticket.updatedAt;
    const before = await updated();
    await receive({ conversationId: o.conversation.id, body: 'The parcel tracking number is ZX81734' });
    await app.gql(NOTE, { i: { ticketId: o.ticket.id, body: 'courier escalation pending' } }, { token: admin.token });
    expect(Date.parse(await updated())).toBeGreaterThan(Date.parse(before));
    const search = async (text: string) =>
      (
        await app.gql<{ tickets: { edges: Array<{ node: { id: string } }> } }>(
          `query($text: String) { tickets(first: 50, filter: { text: $text }) { edges { node { id } } } }`,
          { text },
          { token: admin.token },
        )
      ).data!.tickets.edges.map((e) => e.node.id);
    for (const text of ['ZX81734', '배송지', 'escalation']) expect(await search(text)).toContain(o.ticket.id);
  });

  it('reopens a pending ticket when the customer answers, with an audit event', async () => {
    const o = await open();
    await reply({ ticketId: o.ticket.id, body: 'Can you send a photo?', setStatus: 'pending' });
    const r = await receive({ conversationId: o.conversation.id, body: 'Here it is' });
    expect(r.data!.receiveMessage.created).toBe(true);
    const t = await app.gql<{ ticket: { status: string; auditEvents: Array<{ changes: { status?: unknown } }> } }>(
      `query($id: ID!) { ticket(id: $id) { status auditEvents { changes } } }`,
      { id: o.ticket.id },
      { token: admin.token },
    );
    expect(t.data!.ticket.status).toBe('open');
    expect(t.data!.ticket.auditEvents.at(-1)!.changes.status).toEqual({ from: 'pending', to: 'open' });
  });

  it('stores a message once per external id, even when it arrives several times at once', async () => {
    const o = await open();
    const first = await receive({ conversationId: o.conversation.id, body: 'dup?', externalId: 'wh-1' });
    const again = await receive({ conversationId: o.conversation.id, body: 'dup?', externalId: 'wh-1' });
    expect(first.data!.receiveMessage.created).toBe(true);
    expect(again.data!.receiveMessage).toMatchObject({
      created: false,
      message: { id: first.data!.receiveMessage.message.id },
    });
    const parallel = await Promise.all(
      Array.from({ length: 6 }, () =>
        app.app.get(MessagesService).receiveMessage(SYSTEM_ACTOR, {
          conversationId: o.conversation.id,
          externalId: 'wh-2',
          text: 'burst',
        }),
      ),
    );
    expect(parallel.filter((p) => p.created)).toHaveLength(1);
    expect(new Set(parallel.map((p) => p.message.id)).size).toBe(1);
    const rows = await app.dataSource.query<unknown[]>(
      `SELECT id FROM message WHERE conversation_id = $1 AND external_id IN ('wh-1', 'wh-2')`,
      [o.conversation.id],
    );
    expect(rows).toHaveLength(2);
  });

  it('never answers a reused external id with a message of another conversation', async () => {
    const mine = await f.group();
    const agent = await f.agent({ ticketAccess: 'groups', groupIds: [mine.id] });
    const hidden = await open();
    const visible = await open({ groupId: mine.id });
    const secret = await receive({ conversationId: hidden.conversation.id, body: 'card 4242', externalId: 'crm-7' });
    expect(secret.data!.receiveMessage.created).toBe(true);
    const probe = await receive(
      { conversationId: visible.conversation.id, body: 'x', externalId: 'crm-7' },
      agent.token,
    );
    expect(probe.data).toBeNull();
    expect(codeOf(probe)).toBe('ALREADY_EXISTS');
    expect(JSON.stringify(probe)).not.toContain('4242');
    expect(JSON.stringify(probe)).not.toContain(hidden.conversation.id);
    const again = await receive({ conversationId: visible.conversation.id, body: 'x', externalId: 'crm-7' });
    expect(codeOf(again)).toBe('ALREADY_EXISTS');
  });

  it('turns a customer message on a closed ticket into a linked follow-up ticket', async () => {
    const o = await open();
    await reply({ ticketId: o.ticket.id, body: 'Done', setStatus: 'solved' });
    await app.gql(
      `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`,
      {
        i: { id: o.ticket.id, status: 'closed' },
      },
      { token: admin.token },
    );
    const r = await app.app.get(MessagesService).receiveMessage(SYSTEM_ACTOR, {
      conversationId: o.conversation.id,
      text: 'One more thing',
    });
    expect(r.ticket!.id).not.toBe(o.ticket.id);
    expect(r.message.ticketId).toBe(r.ticket!.id);
    expect(r.conversation.ticketId).toBe(r.ticket!.id);
    const old = await timeline({ t: o.ticket.id, first: 50 });
    expect(old.data!.ticketTimeline.edges.map((e) => e.node.bodyText)).not.toContain('One more thing');
    expect(codeOf(await reply({ ticketId: o.ticket.id, body: 'late' }))).toBe('VALIDATION_FAILED');
  });

  it('adds internal notes with @mentions of active agents; unknown mentions stay text', async () => {
    const kim = await f.agent({ name: 'Kim Minji' });
    const lee = await f.agent({ name: 'Lee' });
    const o = await open();
    const r = await app.gql<{
      addNote: { bodyText: string; mentionIds: string[]; mentions: Array<{ id: string }>; author: { id: string } };
    }>(
      NOTE,
      {
        i: {
          ticketId: o.ticket.id,
          body: `@[Kim Minji](agent:${kim.agent.id}) and @${lee.agent.email} please look. @nobody@example.com too. @[Ghost](agent:${crypto.randomUUID()})`,
        },
      },
      { token: admin.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.addNote.bodyText).toBe(
      `@Kim Minji and @${lee.agent.email} please look. @nobody@example.com too. @Ghost`,
    );
    expect(r.data!.addNote.mentionIds.sort()).toEqual([kim.agent.id, lee.agent.id].sort());
    expect(r.data!.addNote.author.id).toBe(admin.agent.id);
    const viewer = await f.agent({ role: 'viewer' });
    expect(codeOf(await app.gql(NOTE, { i: { ticketId: o.ticket.id, body: 'x' } }, { token: viewer.token }))).toBe(
      'FORBIDDEN',
    );
  });

  it('mentions only agents who may see the ticket; the others stay plain text', async () => {
    const group = (
      await app.app.get(AgentsService).createGroup(SYSTEM_ACTOR, { name: `Billing ${crypto.randomUUID()}` })
    ).id;
    const inGroup = await f.agent({ ticketAccess: 'groups', groupIds: [group] });
    const outside = await f.agent({ ticketAccess: 'groups' });
    const onlyOwn = await f.agent({ ticketAccess: 'assigned' });
    const o = await open({ groupId: group });
    const r = await app.gql<{ addNote: { mentionIds: string[] } }>(
      NOTE,
      {
        i: {
          ticketId: o.ticket.id,
          body: `@[A](agent:${inGroup.agent.id}) @[B](agent:${outside.agent.id}) @${onlyOwn.agent.email}`,
        },
      },
      { token: admin.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.addNote.mentionIds).toEqual([inGroup.agent.id]);
  });

  it('merges messages of every conversation, notes and changes into one ordered, paginated timeline', async () => {
    const o = await open({ body: 'm1' });
    await reply({ ticketId: o.ticket.id, body: 'm2' }); // also new → open
    await app.gql(NOTE, { i: { ticketId: o.ticket.id, body: 'n1' } }, { token: admin.token });
    const email = await app.app.get(ConversationsService).create(SYSTEM_ACTOR, {
      ticketId: o.ticket.id,
      contactId: (
        await app.dataSource.query<Array<{ requester_id: string }>>(`SELECT requester_id FROM ticket WHERE id = $1`, [
          o.ticket.id,
        ])
      )[0].requester_id,
      channelKind: 'email',
    });
    await app.app.get(MessagesService).receiveMessage(SYSTEM_ACTOR, { conversationId: email.id, text: 'm3 by email' });
    await reply({ ticketId: o.ticket.id, body: 'm4', setStatus: 'solved' });

    const all = await timeline({ t: o.ticket.id, first: 100 });
    const labels = all.data!.ticketTimeline.edges.map(({ node }) =>
      node.__typename === 'AuditEvent' ? `audit:${node.action}` : node.bodyText,
    );
    // a reply and its status change are one transaction, where the change comes before the message
    expect(labels).toEqual(['audit:created', 'm1', 'audit:updated', 'm2', 'n1', 'm3 by email', 'audit:updated', 'm4']);

    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await timeline({ t: o.ticket.id, first: 3, after });
      seen.push(...page.data!.ticketTimeline.edges.map((e) => e.cursor));
      if (!page.data!.ticketTimeline.pageInfo.hasNextPage) break;
      after = page.data!.ticketTimeline.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.data!.ticketTimeline.edges.map((e) => e.cursor));

    const newest = await timeline({ t: o.ticket.id, last: 2 });
    expect(newest.data!.ticketTimeline.edges.map((e) => e.cursor)).toEqual(seen.slice(-2));
    expect(newest.data!.ticketTimeline.pageInfo.hasPreviousPage).toBe(true);
    const older = await timeline({ t: o.ticket.id, last: 2, before: newest.data!.ticketTimeline.pageInfo.startCursor });
    expect(older.data!.ticketTimeline.edges.map((e) => e.cursor)).toEqual(seen.slice(-4, -2));
    expect(codeOf(await timeline({ t: o.ticket.id, first: 2, after: 'bogus' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses timeline cursors it did not make with VALIDATION_FAILED', async () => {
    const o = await open();
    const cursor = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const after of [
      'garbage',
      cursor(['1', 'note', 1]),
      cursor(['March 7', 'message', 1]),
      cursor(['2026-02-30T10:00:00.000000Z', 'audit', 1]),
      cursor(['2026-01-01T10:00:00.000000Z', 'nope', 1]),
    ]) {
      expect(codeOf(await timeline({ t: o.ticket.id, after }))).toBe('VALIDATION_FAILED');
    }
  });

  it('pages a conversation’s messages both ways', async () => {
    const o = await open({ body: 'p0' });
    for (let i = 1; i <= 4; i++) await receive({ conversationId: o.conversation.id, body: `p${i}` });
    const q = `query($id: ID!, $first: Int, $after: String, $last: Int) { conversation(id: $id) {
      messages(first: $first, after: $after, last: $last) { edges { cursor node { bodyText } } pageInfo { hasNextPage endCursor } } } }`;
    type R = {
      conversation: {
        messages: {
          edges: Array<{ node: { bodyText: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const p1 = await app.gql<R>(q, { id: o.conversation.id, first: 3 }, { token: admin.token });
    expect(p1.data!.conversation.messages.edges.map((e) => e.node.bodyText)).toEqual(['p0', 'p1', 'p2']);
    const p2 = await app.gql<R>(
      q,
      { id: o.conversation.id, first: 3, after: p1.data!.conversation.messages.pageInfo.endCursor },
      { token: admin.token },
    );
    expect(p2.data!.conversation.messages.edges.map((e) => e.node.bodyText)).toEqual(['p3', 'p4']);
    expect(p2.data!.conversation.messages.pageInfo.hasNextPage).toBe(false);
    const last = await app.gql<R>(q, { id: o.conversation.id, last: 2 }, { token: admin.token });
    expect(last.data!.conversation.messages.edges.map((e) => e.node.bodyText)).toEqual(['p3', 'p4']);
  });

  it('loads the messages of every conversation in a ticket list in a few queries, not several per conversation', async () => {
    const tag = `msgs-${Date.now()}`;
    for (let i = 0; i < 10; i++) {
      const o = await open({ tags: [tag], body: `first ${i}` });
      await reply({ ticketId: o.ticket.id, body: `second ${i}` });
    }
    const pool = (app.dataSource.driver as unknown as { master: import('pg').Pool }).master;
    let queries = 0;
    const count = () => void queries++;
    pool.on('acquire', count);
    const r = await app.gql<{
      tickets: {
        edges: Array<{ node: { conversations: Array<{ messages: { edges: Array<{ node: MessageView }> } }> } }>;
      };
    }>(
      `query($f: TicketFilterInput) { tickets(first: 50, filter: $f) { edges { node {
        conversations { messages(last: 1) { edges { node { bodyText } } } } } } } }`,
      { f: { tags: [tag] } },
      { token: admin.token },
    );
    pool.off('acquire', count);
    expect(r.errors).toBeUndefined();
    const latest = r.data!.tickets.edges.map((e) => e.node.conversations[0].messages.edges.map((m) => m.node.bodyText));
    expect(latest.sort()).toEqual(Array.from({ length: 10 }, (_, i) => [`second ${i}`]).sort());
    expect(queries).toBeLessThanOrEqual(8);
  });

  it('hides conversations, timelines and replies of tickets outside an agent’s groups', async () => {
    const mine = await f.group();
    const other = await f.group();
    const agent = await f.agent({ ticketAccess: 'groups', groupIds: [mine.id] });
    const hidden = await open({ groupId: other.id });
    const visible = await open({ groupId: mine.id });
    const conv = `query($id: ID!) { conversation(id: $id) { id } }`;
    expect(codeOf(await app.gql(conv, { id: hidden.conversation.id }, { token: agent.token }))).toBe(
      'CONVERSATION_NOT_FOUND',
    );
    expect((await app.gql(conv, { id: visible.conversation.id }, { token: agent.token })).errors).toBeUndefined();
    expect(codeOf(await timeline({ t: hidden.ticket.id, first: 5 }, agent.token))).toBe('TICKET_NOT_FOUND');
    expect(codeOf(await reply({ ticketId: hidden.ticket.id, body: 'hi' }, agent.token))).toBe('TICKET_NOT_FOUND');
    expect(
      codeOf(
        await reply({ ticketId: visible.ticket.id, conversationId: hidden.conversation.id, body: 'x' }, agent.token),
      ),
    ).toBe('CONVERSATION_NOT_FOUND');
  });
});
