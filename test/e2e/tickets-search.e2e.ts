import { randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { TicketsService } from '../../src/tickets/tickets.service';
import { factories } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface Node {
  id: string;
  number: number;
  subject: string;
  priority: string;
  updatedAt: string;
}
interface Page {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  totalCount: number | null;
}

const RANK: Record<string, number> = { urgent: 4, high: 3, normal: 2, low: 1 };
const uid = () => randomBytes(3).toString('hex');

describe('tickets: search, filters, sort and cursor pagination', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = (await f.agent({ role: 'admin' })).token;
  });
  afterAll(async () => app.stop());

  const list = async (vars: Record<string, unknown>, token = admin, withCount = false) => {
    const r = await app.gql<{ tickets: Page }>(
      `query($first: Int, $after: String, $filter: TicketFilterInput, $sort: TicketSortInput) {
        tickets(first: $first, after: $after, filter: $filter, sort: $sort) {
          edges { cursor node { id number subject priority updatedAt } }
          pageInfo { hasNextPage hasPreviousPage endCursor }
          ${withCount ? 'totalCount' : ''}
        }
      }`,
      { first: 100, ...vars },
      { token },
    );
    return r;
  };
  const ids = async (filter: Record<string, unknown>, token = admin) => {
    const r = await list({ filter }, token);
    expect(r.errors).toBeUndefined();
    return r.data!.tickets.edges.map((e) => e.node.id).sort();
  };
  const sorted = (...tickets: Array<{ id: string }>) => tickets.map((t) => t.id).sort();

  it('filters by each field alone and combined', async () => {
    const tag = `t${uid()}`;
    const g1 = await f.group();
    const g2 = await f.group();
    const a1 = await f.agent();
    const requester = { email: `req-${uid()}@example.com` };
    const t1 = await f.ticket({ groupId: g1.id, tags: [tag, 'vip'], priority: 'urgent', channel: 'email', requester });
    const t2 = await f.ticket({ groupId: g1.id, tags: [tag], assigneeId: a1.agent.id, priority: 'low' });
    const t3 = await f.ticket({ groupId: g2.id, tags: [tag, 'vip'], status: 'pending', requester });
    const t4 = await f.ticket({ groupId: g2.id, tags: [tag], assigneeId: a1.agent.id, channel: 'email' });
    const tickets = app.app.get(TicketsService);
    await tickets.update(SYSTEM_ACTOR, t4.id, { status: 'solved' });

    const all = { tags: [tag] };
    expect(await ids(all)).toEqual(sorted(t1, t2, t3, t4));
    expect(await ids({ ...all, status: ['new'] })).toEqual(sorted(t1));
    expect(await ids({ ...all, status: ['open', 'pending'] })).toEqual(sorted(t2, t3));
    expect(await ids({ ...all, assigneeId: a1.agent.id })).toEqual(sorted(t2, t4));
    expect(await ids({ ...all, unassigned: true })).toEqual(sorted(t1, t3));
    expect(await ids({ ...all, groupId: g1.id })).toEqual(sorted(t1, t2));
    expect(await ids({ tags: [tag, 'VIP'] })).toEqual(sorted(t1, t3));
    expect(await ids({ ...all, requesterId: (await tickets.get(SYSTEM_ACTOR, t1.id)).requesterId })).toEqual(
      sorted(t1, t3),
    );
    expect(await ids({ ...all, priority: ['urgent', 'low'] })).toEqual(sorted(t1, t2));
    expect(await ids({ ...all, channel: 'email' })).toEqual(sorted(t1, t4));
    expect(await ids({ ...all, groupId: g2.id, status: ['solved'], assigneeId: a1.agent.id })).toEqual(sorted(t4));
    expect(await ids({ tags: [tag, 'vip'], groupId: g1.id, priority: ['urgent'], channel: 'email' })).toEqual(
      sorted(t1),
    );
    const both = await list({ filter: { assigneeId: a1.agent.id, unassigned: true } });
    expect(both.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
  });

  it('finds words in subjects and messages: Korean inside longer words, prefixes and partial words', async () => {
    const tag = `s${uid()}`;
    const korean = await f.ticket({ subject: '환불을 요청합니다', tags: [tag] });
    const english = await f.ticket({ subject: 'Refund for a damaged package', tags: [tag] });
    const body = await f.ticket({ subject: 'Question', tags: [tag] });
    const other = await f.ticket({ subject: '배송 문의', tags: [tag] });
    await app.dataSource.transaction((m) =>
      app.app
        .get(TicketsService)
        .recordMessage(body.id, '주문한 상품의 배송이 늦어지고 있어요. Tracking number 12345', m),
    );
    // a message stored on the ticket is found by a part of a word even before it is indexed
    await app.dataSource.query(
      `WITH c AS (INSERT INTO conversation (ticket_id, contact_id, channel_kind)
                  VALUES ($1, $2, 'email') RETURNING id)
       INSERT INTO message (conversation_id, ticket_id, channel_key, author_kind, body_text)
       SELECT id, $1, 'email:test', 'contact', 'my voucher code is XQZWV-99' FROM c`,
      [body.id, body.requesterId],
    );

    const text = (q: string) => ids({ tags: [tag], text: q });
    expect(await text('환불')).toEqual(sorted(korean));
    expect(await text('요청')).toEqual(sorted(korean));
    expect(await text('refu')).toEqual(sorted(english));
    expect(await text('fund')).toEqual(sorted(english));
    expect(await text('DAMAGED pack')).toEqual(sorted(english));
    expect(await text('배송')).toEqual(sorted(body, other));
    expect(await text('배송이 늦어')).toEqual(sorted(body));
    expect(await text('tracking 123')).toEqual(sorted(body));
    expect(await text('zwv-9')).toEqual(sorted(body));
    expect(await text('50% off_')).toEqual([]);
    expect(await text('!')).toEqual([]);
  });

  it('keeps the index of a renamed ticket current', async () => {
    const tag = `r${uid()}`;
    const t = await f.ticket({ subject: 'Printer jammed', tags: [tag] });
    await app.dataSource.transaction((m) => app.app.get(TicketsService).recordMessage(t.id, 'paper tray message', m));
    await app.app.get(TicketsService).update(SYSTEM_ACTOR, t.id, { subject: 'Scanner offline' });
    expect(await ids({ tags: [tag], text: 'printer' })).toEqual([]);
    expect(await ids({ tags: [tag], text: 'scanner' })).toEqual([t.id]);
    expect(await ids({ tags: [tag], text: 'tray' })).toEqual([t.id]);
  });

  it('pages through a priority-sorted inbox with ties, without gaps or duplicates', async () => {
    const g = await f.group();
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    const created = [];
    for (let i = 0; i < 23; i++) {
      created.push(await f.ticket({ groupId: g.id, priority: priorities[i % 4], status: 'open' }));
    }
    // many tickets share both priority and updated_at: only the id breaks those ties
    await app.dataSource.query(
      `UPDATE ticket SET updated_at = '2025-01-01 10:00:00.123456+00' WHERE id = ANY($1::uuid[])`,
      [created.filter((_, i) => i % 3 !== 0).map((t) => t.id)],
    );
    const rows = await app.dataSource.query<Array<{ id: string; rank: number; u: string }>>(
      `SELECT id, priority_rank AS rank, extract(epoch from updated_at)::text AS u FROM ticket WHERE group_id = $1`,
      [g.id],
    );
    const expected = rows
      .sort((a, b) => b.rank - a.rank || Number(b.u) - Number(a.u) || (a.id < b.id ? -1 : 1))
      .map((r) => r.id);

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const r = await list(
        { first: 5, after, filter: { groupId: g.id, status: ['open'] }, sort: { field: 'PRIORITY' } },
        admin,
        true,
      );
      expect(r.errors).toBeUndefined();
      const page = r.data!.tickets;
      expect(page.totalCount).toBe(23);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(expected);

    // the same in ascending order, and the other sorts, page by page
    for (const sort of [
      { field: 'PRIORITY', direction: 'ASC' },
      { field: 'UPDATED_AT', direction: 'DESC' },
      { field: 'CREATED_AT', direction: 'ASC' },
      { field: 'NUMBER', direction: 'DESC' },
    ]) {
      const full = (await list({ filter: { groupId: g.id }, sort })).data!.tickets.edges.map((e) => e.node.id);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await list({ first: 4, after: cursor, filter: { groupId: g.id }, sort })).data!.tickets;
        paged.push(...page.edges.map((e) => e.node.id));
        cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : undefined;
      } while (cursor);
      expect(paged).toEqual(full);
      expect(new Set(paged).size).toBe(23);
    }
    const asc = (await list({ filter: { groupId: g.id }, sort: { field: 'PRIORITY', direction: 'ASC' } })).data!.tickets
      .edges;
    expect(RANK[asc[0].node.priority]).toBe(1);
    const byNumber = (await list({ filter: { groupId: g.id }, sort: { field: 'NUMBER', direction: 'DESC' } })).data!
      .tickets.edges;
    expect(byNumber[0].node.number).toBeGreaterThan(byNumber[1].node.number);
  });

  it('returns each ticket’s requester with the page (loaded by the list query itself)', async () => {
    const tag = `q${uid()}`;
    const kim = await f.ticket({ tags: [tag], requester: { email: `kim-${uid()}@example.com`, name: '김민준' } });
    const lee = await f.ticket({ tags: [tag], requester: { email: `lee-${uid()}@example.com`, name: 'Lee' } });
    const r = await app.gql<{
      tickets: { edges: Array<{ node: { id: string; requester: { id: string; name: string } } }> };
    }>(
      `query($f: TicketFilterInput) { tickets(filter: $f, sort: { field: NUMBER, direction: ASC }) {
        edges { node { id requester { id name } } } } }`,
      { f: { tags: [tag] } },
      { token: admin },
    );
    expect(r.data!.tickets.edges.map((e) => e.node)).toEqual([
      { id: kim.id, requester: { id: kim.requesterId, name: '김민준' } },
      { id: lee.id, requester: { id: lee.requesterId, name: 'Lee' } },
    ]);
  });

  it('answers every field the same whichever fields the list selects (it loads only the selected columns)', async () => {
    const tag = `s${uid()}`;
    const group = await f.group();
    const t = await f.ticket({
      tags: [tag, 'vip'],
      priority: 'high',
      groupId: group.id,
      requester: { email: `sel-${uid()}@example.com`, name: 'Park' },
    });
    const fields = `id number subject status priority type channel tags customFields version requesterId assigneeId
      groupId formId mergedIntoId createdAt updatedAt solvedAt closedAt`;
    const contact = 'id name organizationId locale timezone notes createdAt updatedAt';
    type Node = Record<string, unknown> & { requester: Record<string, unknown> };
    const r = await app.gql<{
      one: Node;
      all: { edges: Array<{ node: Node }> };
      some: { edges: Array<{ node: Node }> };
      resolved: { edges: Array<{ node: Node }> };
    }>(
      `query($id: ID!, $f: TicketFilterInput) {
        one: ticket(id: $id) { ${fields} requester { ${contact} } }
        all: tickets(filter: $f) { edges { node { ${fields} requester { ${contact} } } } }
        some: tickets(filter: $f) { edges { node { subject ... on Ticket { tags } requester { name } } } }
        resolved: tickets(filter: $f) { edges { node { number group { id } requester { name organization { id } } } } }
      }`,
      { id: t.id, f: { tags: [tag] } },
      { token: admin },
    );
    expect(r.errors).toBeUndefined();
    const one = r.data!.one;
    expect(one).toMatchObject({ id: t.id, priority: 'high', groupId: group.id, requester: { name: 'Park' } });
    expect(r.data!.all.edges.map((e) => e.node)).toEqual([one]);
    expect(r.data!.some.edges.map((e) => e.node)).toEqual([
      { subject: one.subject, tags: one.tags, requester: { name: 'Park' } },
    ]);
    expect(r.data!.resolved.edges.map((e) => e.node)).toEqual([
      { number: one.number, group: { id: group.id }, requester: { name: 'Park', organization: null } },
    ]);
  });

  it('refuses invalid cursors and cursors of another sort', async () => {
    const garbage = await list({ after: 'not-a-cursor' });
    expect(garbage.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    const forged = Buffer.from(JSON.stringify(['UPDATED_AT:DESC', "x' OR 1=1", 'y'])).toString('base64url');
    expect((await list({ after: forged })).errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    // well-formed but impossible timestamps are refused here, not by PostgreSQL (which would be INTERNAL)
    for (const ts of ['2020-13-45 99:99:99+00', '2023-02-29 10:00:00+00']) {
      const impossible = Buffer.from(
        JSON.stringify(['UPDATED_AT:DESC', ts, '00000000-0000-0000-0000-000000000000']),
      ).toString('base64url');
      expect((await list({ after: impossible })).errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    }
    await f.ticket();
    await f.ticket();
    const first = (await list({ first: 1, sort: { field: 'NUMBER' } })).data!.tickets.pageInfo.endCursor!;
    const other = await list({ first: 1, after: first, sort: { field: 'PRIORITY' } });
    expect(other.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    const tooMany = await list({ first: 101 });
    expect(tooMany.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
  });

  it('applies the agent’s ticket access to lists and counts', async () => {
    const tag = `a${uid()}`;
    const mine = await f.group();
    const theirs = await f.group();
    const restricted = await f.agent({ ticketAccess: 'groups', groupIds: [mine.id] });
    const assignedOnly = await f.agent({ ticketAccess: 'assigned' });
    const inMine = await f.ticket({ groupId: mine.id, tags: [tag] });
    const assigned = await f.ticket({ groupId: theirs.id, tags: [tag], assigneeId: restricted.agent.id });
    const hidden = await f.ticket({ groupId: theirs.id, tags: [tag] });
    const forOther = await f.ticket({ tags: [tag], assigneeId: assignedOnly.agent.id });

    expect(await ids({ tags: [tag] })).toEqual(sorted(inMine, assigned, hidden, forOther));
    expect(await ids({ tags: [tag] }, restricted.token)).toEqual(sorted(inMine, assigned));
    expect(await ids({ tags: [tag], groupId: theirs.id }, restricted.token)).toEqual(sorted(assigned));
    expect(await ids({ tags: [tag] }, assignedOnly.token)).toEqual(sorted(forOther));
    const counted = await list({ filter: { tags: [tag] } }, restricted.token, true);
    expect(counted.data!.tickets.totalCount).toBe(2);
    const tags = await app.gql<{ tags: Array<{ tag: string; count: number }> }>(
      `query($s: String) { tags(search: $s) { tag count } }`,
      { s: tag },
      { token: restricted.token },
    );
    expect(tags.data!.tags).toEqual([{ tag, count: 2 }]);
  });

  it('lists tags in use with counts, most used first, by prefix', async () => {
    const p = `zz${uid()}`;
    await f.ticket({ tags: [`${p}_a`, `${p}_b`] });
    await f.ticket({ tags: [`${p}_a`] });
    await f.ticket({ tags: [`${p}_a`, `${p}_c`] });
    const r = await app.gql<{ tags: Array<{ tag: string; count: number }> }>(
      `query($s: String) { tags(search: $s, first: 2) { tag count } }`,
      { s: p },
      { token: admin },
    );
    expect(r.data!.tags).toEqual([
      { tag: `${p}_a`, count: 3 },
      { tag: `${p}_b`, count: 1 },
    ]);
    const none = await app.gql<{ tags: unknown[] }>(`{ tags(search: "%") { tag } }`, {}, { token: admin });
    expect(none.data!.tags).toEqual([]);
  });
});
