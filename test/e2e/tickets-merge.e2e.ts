import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import type { Ticket } from '../../src/tickets/entities';
import { TicketsService } from '../../src/tickets/tickets.service';
import { factories } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface TicketView {
  id: string;
  number: number;
  subject: string;
  status: string;
  tags: string[];
  mergedIntoId: string | null;
  requester: { id: string };
  followers: Array<{ id: string }>;
  links: Array<{ kind: string; direction: string; ticketId: string; ticket: { id: string; status: string } | null }>;
  auditEvents: Array<{ action: string; changes: Record<string, { from: unknown; to: unknown }> }>;
}

const VIEW = `id number subject status tags mergedIntoId requester { id } followers { id }
  links { kind direction ticketId ticket { id status } } auditEvents { action changes }`;

describe('tickets: merge, links and follow-ups', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: string;
  let tickets: TicketsService;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = (await f.agent({ role: 'admin' })).token;
    tickets = app.app.get(TicketsService);
  });
  afterAll(async () => app.stop());

  const view = async (id: string, token = admin) => {
    const r = await app.gql<{ ticket: TicketView }>(
      `query($id: ID!) { ticket(id: $id) { ${VIEW} } }`,
      { id },
      { token },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.ticket;
  };
  const merge = (sourceIds: string[], targetId: string, token = admin) =>
    app.gql<{ mergeTickets: { target: { id: string }; sources: Array<{ status: string }>; movedMessages: number } }>(
      `mutation($i: MergeTicketsInput!) {
        mergeTickets(input: $i) { target { id } sources { id status } movedConversations movedMessages movedNotes }
      }`,
      { i: { sourceIds, targetId } },
      { token },
    );
  const codeOf = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;

  /** A conversation with two messages and an internal note on the ticket, written as the other modules do. */
  const addContent = async (t: Ticket, text: string) => {
    await app.dataSource.query(
      `WITH c AS (INSERT INTO conversation (ticket_id, contact_id, channel_kind) VALUES ($1, $2, 'email') RETURNING id)
       INSERT INTO message (conversation_id, ticket_id, channel_key, author_kind, body_text)
       SELECT id, $1, 'email:test', 'contact', m FROM c, unnest(ARRAY[$3, $3 || ' again']) AS m`,
      [t.id, t.requesterId, text],
    );
    await app.dataSource.query(
      `INSERT INTO ticket_note (ticket_id, body_html, body_text) VALUES ($1, '<p>note</p>', 'note')`,
      [t.id],
    );
    await app.dataSource.transaction((m) => tickets.recordMessage(t.id, text, m));
  };
  const countOn = async (table: string, ticketId: string) =>
    Number((await app.dataSource.query(`SELECT count(*) FROM ${table} WHERE ticket_id = $1`, [ticketId]))[0].count);

  it('merges tickets: content, tags and followers move, sources become merged, both sides are audited', async () => {
    const follower1 = await f.agent();
    const follower2 = await f.agent();
    const target = await f.ticket({ subject: 'Cannot log in', tags: ['login'], requester: { email: 'a@example.com' } });
    const s1 = await f.ticket({ subject: 'Password reset mail', tags: ['login', 'email'] });
    const s2 = await f.ticket({ subject: 'Locked out', tags: ['urgent_case'], requester: { email: 'a@example.com' } });
    await addContent(s1, 'reset link expired');
    await addContent(s2, 'account locked');
    for (const [t, a] of [
      [target, follower1],
      [s1, follower1],
      [s2, follower2],
    ] as const) {
      await app.gql(`mutation($id: ID!) { followTicket(id: $id) { id } }`, { id: t.id }, { token: a.token });
    }

    const r = await merge([s1.id, s2.id], target.id);
    expect(r.errors).toBeUndefined();
    expect(r.data!.mergeTickets).toMatchObject({
      target: { id: target.id },
      sources: [{ status: 'merged' }, { status: 'merged' }],
      movedMessages: 4,
    });
    expect(await countOn('message', target.id)).toBe(4);
    expect(await countOn('conversation', target.id)).toBe(2);
    expect(await countOn('ticket_note', target.id)).toBe(2);
    expect(await countOn('message', s1.id)).toBe(0);

    const t = await view(target.id);
    expect(t.tags.sort()).toEqual(['email', 'login', 'urgent_case']);
    expect(t.followers.map((x) => x.id).sort()).toEqual([follower1.agent.id, follower2.agent.id].sort());
    const mergedEvent = t.auditEvents.find((e) => e.action === 'merged')!;
    expect(mergedEvent.changes.mergedTickets.to).toEqual([
      { ticketId: s1.id, number: s1.number, requesterId: s1.requesterId },
      { ticketId: s2.id, number: s2.number, requesterId: s2.requesterId },
    ]);
    expect(mergedEvent.changes.tags).toBeDefined();

    const source = await view(s1.id);
    expect(source).toMatchObject({ status: 'merged', mergedIntoId: target.id });
    const intoEvent = source.auditEvents.find((e) => e.action === 'merged_into')!;
    expect(intoEvent.changes.status).toEqual({ from: 'new', to: 'merged' });
    expect(intoEvent.changes.mergedInto.to).toEqual({ ticketId: target.id, number: target.number });

    // merged tickets leave lists unless asked for, and their words find the target
    const search = async (filter: Record<string, unknown>) =>
      (
        await app.gql<{ tickets: { edges: Array<{ node: { id: string } }> } }>(
          `query($f: TicketFilterInput) { tickets(filter: $f) { edges { node { id } } } }`,
          { f: filter },
          { token: admin },
        )
      ).data!.tickets.edges.map((e) => e.node.id);
    expect(await search({ text: 'expired' })).toEqual([target.id]);
    expect(await search({ text: 'Password reset' })).toEqual([target.id]);
    expect(await search({ status: ['merged'], text: 'Password reset' })).toEqual([s1.id]);

    const edit = await app.gql(
      `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { id } }`,
      { i: { id: s1.id, priority: 'high' } },
      { token: admin },
    );
    expect(codeOf(edit)).toBe('VALIDATION_FAILED');
    // a note on the merged ticket would be stranded there, out of the target's timeline
    const note = (ticketId: string) =>
      app.gql(
        `mutation($i: AddNoteInput!) { addNote(input: $i) { id } }`,
        { i: { ticketId, body: 'late note' } },
        {
          token: admin,
        },
      );
    expect(codeOf(await note(s1.id))).toBe('VALIDATION_FAILED');
    expect(codeOf(await note(target.id))).toBeUndefined();
    const closed = await f.ticket({ status: 'solved' });
    await tickets.update(SYSTEM_ACTOR, closed.id, { status: 'closed' });
    expect(codeOf(await note(closed.id))).toBe('VALIDATION_FAILED');
    const [{ n }] = await app.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM ticket_note WHERE ticket_id = ANY($1::uuid[])`,
      [[s1.id, closed.id]],
    );
    expect(n).toBe(0);
  });

  it('refuses merging into itself, closed or merged tickets, invisible tickets and viewers', async () => {
    const a = await f.ticket();
    const b = await f.ticket();
    expect(codeOf(await merge([a.id], a.id))).toBe('VALIDATION_FAILED');
    const closed = await f.ticket();
    await tickets.update(SYSTEM_ACTOR, closed.id, { status: 'solved' });
    await tickets.update(SYSTEM_ACTOR, closed.id, { status: 'closed' });
    expect(codeOf(await merge([closed.id], a.id))).toBe('VALIDATION_FAILED');
    expect(codeOf(await merge([a.id], closed.id))).toBe('VALIDATION_FAILED');
    expect((await merge([b.id], a.id)).errors).toBeUndefined();
    expect(codeOf(await merge([b.id], a.id))).toBe('CONFLICT');
    expect(codeOf(await merge([a.id], b.id))).toBe('CONFLICT');

    const g = await f.group();
    const restricted = await f.agent({ ticketAccess: 'groups', groupIds: [g.id] });
    const visible = await f.ticket({ groupId: g.id });
    const invisible = await f.ticket();
    expect(codeOf(await merge([invisible.id], visible.id, restricted.token))).toBe('TICKET_NOT_FOUND');
    const viewer = await f.agent({ role: 'viewer' });
    expect(codeOf(await merge([invisible.id], visible.id, viewer.token))).toBe('FORBIDDEN');
    expect((await view(invisible.id)).status).toBe('new');
  });

  it('serialises opposite merges: one wins, the other fails cleanly, never a deadlock', async () => {
    for (let round = 0; round < 6; round++) {
      const a = await f.ticket({ tags: ['a'] });
      const b = await f.ticket({ tags: ['b'] });
      const c = await f.ticket({ tags: ['c'] });
      await addContent(a, 'alpha');
      await addContent(b, 'beta');
      await addContent(c, 'gamma');
      const results = await Promise.all([merge([a.id], b.id), merge([b.id], a.id), merge([c.id, a.id], b.id)]);
      const codes = results.map(codeOf);
      expect(codes.filter((c) => c === undefined).length).toBeGreaterThanOrEqual(1);
      expect(codes.every((c) => c === undefined || c === 'CONFLICT')).toBe(true);
      // whatever won, exactly one ticket is left unmerged... or b absorbed c too; messages are never lost
      const rows = await app.dataSource.query<Array<{ id: string; status: string; merged_into_id: string | null }>>(
        `SELECT id, status, merged_into_id FROM ticket WHERE id = ANY($1::uuid[])`,
        [[a.id, b.id, c.id]],
      );
      const alive = rows.filter((r) => r.status !== 'merged').map((r) => r.id);
      const messages = await app.dataSource.query<Array<{ ticket_id: string; n: string }>>(
        `SELECT ticket_id, count(*) AS n FROM message WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id`,
        [[a.id, b.id, c.id]],
      );
      expect(messages.reduce((sum, m) => sum + Number(m.n), 0)).toBe(6);
      for (const m of messages) expect(alive).toContain(m.ticket_id);
      for (const r of rows.filter((x) => x.status === 'merged')) expect(alive).toContain(r.merged_into_id);
    }
  });

  it('links tickets both ways, idempotently, and unlinks them', async () => {
    const a = await f.ticket();
    const b = await f.ticket();
    const link = () =>
      app.gql<{ linkTickets: { kind: string; direction: string; ticketId: string } }>(
        `mutation($s: ID!, $t: ID!) { linkTickets(sourceId: $s, targetId: $t) { kind direction ticketId } }`,
        { s: a.id, t: b.id },
        { token: admin },
      );
    expect((await link()).data!.linkTickets).toEqual({ kind: 'related', direction: 'outgoing', ticketId: b.id });
    expect((await link()).errors).toBeUndefined();
    // the same link asked for the other way round is the existing one, seen from b
    const reverse = await app.gql<{ linkTickets: { kind: string; direction: string; ticketId: string } }>(
      `mutation($s: ID!, $t: ID!) { linkTickets(sourceId: $s, targetId: $t) { kind direction ticketId } }`,
      { s: b.id, t: a.id },
      { token: admin },
    );
    expect(reverse.data!.linkTickets).toEqual({ kind: 'related', direction: 'incoming', ticketId: a.id });
    const va = await view(a.id);
    const vb = await view(b.id);
    expect(va.links).toEqual([
      { kind: 'related', direction: 'outgoing', ticketId: b.id, ticket: { id: b.id, status: 'new' } },
    ]);
    expect(vb.links).toEqual([
      { kind: 'related', direction: 'incoming', ticketId: a.id, ticket: { id: a.id, status: 'new' } },
    ]);
    expect(va.auditEvents.filter((e) => e.action === 'linked')).toHaveLength(1);
    expect(vb.auditEvents.filter((e) => e.action === 'linked')).toHaveLength(1);

    const self = await app.gql(
      `mutation($s: ID!) { linkTickets(sourceId: $s, targetId: $s) { id } }`,
      { s: a.id },
      { token: admin },
    );
    expect(codeOf(self)).toBe('VALIDATION_FAILED');
    const followUpKind = await app.gql(
      `mutation($s: ID!, $t: ID!) { linkTickets(sourceId: $s, targetId: $t, kind: follow_up) { id } }`,
      { s: a.id, t: b.id },
      { token: admin },
    );
    expect(codeOf(followUpKind)).toBe('VALIDATION_FAILED');

    // the other end of a link is null for agents who cannot see it
    const g = await f.group();
    const restricted = await f.agent({ ticketAccess: 'groups', groupIds: [g.id] });
    const mine = await f.ticket({ groupId: g.id });
    await app.gql(
      `mutation($s: ID!, $t: ID!) { linkTickets(sourceId: $s, targetId: $t) { id } }`,
      { s: mine.id, t: a.id },
      { token: admin },
    );
    expect((await view(mine.id, restricted.token)).links[0]).toMatchObject({ ticketId: a.id, ticket: null });

    const unlink = await app.gql<{ unlinkTickets: boolean }>(
      `mutation($a: ID!, $b: ID!) { unlinkTickets(ticketId: $a, otherTicketId: $b) }`,
      { a: b.id, b: a.id },
      { token: admin },
    );
    expect(unlink.data!.unlinkTickets).toBe(true);
    expect((await view(a.id)).links.filter((l) => l.ticketId === b.id)).toEqual([]);
  });

  it('creates a follow-up of a closed ticket for the same requester, linked to it', async () => {
    const g = await f.group();
    const original = await f.ticket({ subject: 'Broken charger', groupId: g.id, tags: ['hardware'] });
    await tickets.update(SYSTEM_ACTOR, original.id, { status: 'solved' });
    const notClosed = await app.gql(
      `mutation($i: CreateFollowUpInput!) { createFollowUp(input: $i) { id } }`,
      { i: { ticketId: original.id } },
      { token: admin },
    );
    expect(codeOf(notClosed)).toBe('VALIDATION_FAILED');
    await tickets.update(SYSTEM_ACTOR, original.id, { status: 'closed' });

    const r = await app.gql<{ createFollowUp: { id: string } }>(
      `mutation($i: CreateFollowUpInput!) { createFollowUp(input: $i) { id } }`,
      { i: { ticketId: original.id } },
      { token: admin },
    );
    expect(r.errors).toBeUndefined();
    const followUp = await view(r.data!.createFollowUp.id);
    expect(followUp).toMatchObject({ subject: 'Broken charger', status: 'new', tags: ['hardware'] });
    expect(followUp.requester.id).toBe(original.requesterId);
    expect(followUp.links).toEqual([
      {
        kind: 'follow_up',
        direction: 'outgoing',
        ticketId: original.id,
        ticket: { id: original.id, status: 'closed' },
      },
    ]);
    const closed = await view(original.id);
    expect(closed.status).toBe('closed');
    expect(closed.links).toMatchObject([{ kind: 'follow_up', direction: 'incoming', ticketId: followUp.id }]);
    expect(closed.auditEvents.at(-1)!.action).toBe('follow_up_created');

    // a form deactivated since then does not stop the follow-up: it gets the default form
    const form = await app.gql<{ createTicketForm: { id: string } }>(
      `mutation { createTicketForm(input: { name: "Old", fieldIds: [] }) { id } }`,
      {},
      { token: admin },
    );
    const formId = form.data!.createTicketForm.id;
    const withForm = await f.ticket({ formId });
    await tickets.update(SYSTEM_ACTOR, withForm.id, { status: 'solved' });
    await tickets.update(SYSTEM_ACTOR, withForm.id, { status: 'closed' });
    await app.gql(
      `mutation($id: ID!) { updateTicketForm(input: { id: $id, active: false }) { id } }`,
      { id: formId },
      { token: admin },
    );
    expect((await tickets.createFollowUp(SYSTEM_ACTOR, withForm.id)).ticket.formId).toBeNull();

    // the email module calls the service inside its own transaction
    const change = await app.dataSource.transaction((m) =>
      tickets.createFollowUp(SYSTEM_ACTOR, original.id, { subject: 'Re: Broken charger', channel: 'email' }, m),
    );
    expect(change.ticket).toMatchObject({ subject: 'Re: Broken charger', channel: 'email', groupId: g.id });
  });
});
