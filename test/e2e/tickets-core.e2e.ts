import { RealtimeBus } from '../../src/common/pubsub/realtime-bus';
import { factories } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface TicketView {
  id: string;
  number: number;
  status: string;
  version: number;
  requester: { id: string };
  assignee: { id: string } | null;
}

const TICKET_FIELDS =
  'id number subject status priority version tags requester { id name } assignee { id } group { id }';

describe('tickets: create, update, transitions, versions, audit, access', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let adminToken: string;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    adminToken = (await f.agent({ role: 'admin' })).token;
  });
  afterAll(async () => app.stop());

  const create = (input: Record<string, unknown>, token = adminToken) =>
    app.gql<{ createTicket: TicketView }>(
      `mutation($i: CreateTicketInput!) { createTicket(input: $i) { ${TICKET_FIELDS} } }`,
      { i: input },
      { token },
    );
  const update = (input: Record<string, unknown>, token = adminToken) =>
    app.gql<{ updateTicket: TicketView }>(
      `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { ${TICKET_FIELDS} } }`,
      { i: input },
      { token },
    );

  it('creates a ticket for a new requester found again by email in any case', async () => {
    const a = await create({ subject: 'Refund please', requester: { email: 'Kim@Example.com', name: 'Kim' } });
    expect(a.errors).toBeUndefined();
    expect(a.data!.createTicket).toMatchObject({
      subject: 'Refund please',
      status: 'new',
      priority: 'normal',
      version: 1,
    });
    expect(a.data!.createTicket.number).toBeGreaterThanOrEqual(1000);
    const b = await create({ subject: 'Another', requester: { email: 'kim@example.com' } });
    expect(b.data!.createTicket.requester.id).toBe(a.data!.createTicket.requester.id);
  });

  it('enforces the status machine with a clear error', async () => {
    const t = (await create({ subject: 'x', requester: { email: 'sm@example.com' } })).data!.createTicket;
    expect((await update({ id: t.id, status: 'solved' })).data!.updateTicket.status).toBe('solved');
    expect((await update({ id: t.id, status: 'closed' })).data!.updateTicket.status).toBe('closed');
    const reopen = await update({ id: t.id, status: 'open' });
    expect(reopen.errors![0].extensions!.code).toBe('INVALID_STATUS_TRANSITION');
    const merged = await update({ id: (await f.ticket()).id, status: 'merged' });
    expect(merged.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
  });

  it('opens a new ticket when it is assigned', async () => {
    const agent = await f.agent();
    const t = await f.ticket();
    const r = await update({ id: t.id, assigneeId: agent.agent.id });
    expect(r.data!.updateTicket).toMatchObject({ status: 'open', assignee: { id: agent.agent.id } });
  });

  it('rejects a stale version with CONFLICT and keeps the first edit', async () => {
    const t = await f.ticket();
    const first = await update({ id: t.id, expectedVersion: 1, priority: 'high' });
    expect(first.data!.updateTicket.version).toBe(2);
    const second = await update({ id: t.id, expectedVersion: 1, priority: 'low' });
    expect(second.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const read = await app.gql<{ ticket: { priority: string } }>(
      `query($id: ID!) { ticket(id: $id) { priority } }`,
      { id: t.id },
      { token: adminToken },
    );
    expect(read.data!.ticket.priority).toBe('high');
  });

  it('lets exactly one of many concurrent versioned edits win', async () => {
    const t = await f.ticket();
    const results = await Promise.all(
      ['low', 'high', 'urgent', 'low', 'high'].map((priority) => update({ id: t.id, expectedVersion: 1, priority })),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(4);
  });

  it('writes an audit event with before and after for every change', async () => {
    const t = await f.ticket({ subject: 'Audit me' });
    await update({ id: t.id, priority: 'urgent', tags: ['VIP', 'vip', 'billing issue'] });
    const r = await app.gql<{
      ticket: { auditEvents: Array<{ action: string; actorKind: string; changes: unknown }> };
    }>(
      `query($id: ID!) { ticket(id: $id) { auditEvents { action actorKind changes } } }`,
      { id: t.id },
      { token: adminToken },
    );
    const events = r.data!.ticket.auditEvents;
    expect(events.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(events[1].actorKind).toBe('api');
    expect(events[1].changes).toEqual({
      priority: { from: 'normal', to: 'urgent' },
      tags: { from: [], to: ['vip', 'billing_issue'] },
    });
  });

  it('loads the audit events of a whole ticket list in one query, not one per ticket', async () => {
    const tag = `audit-${Date.now()}`;
    for (let i = 0; i < 12; i++) await update({ id: (await f.ticket({ tags: [tag] })).id, priority: 'high' });
    const pool = (app.dataSource.driver as unknown as { master: import('pg').Pool }).master;
    let queries = 0;
    const count = () => void queries++;
    pool.on('acquire', count);
    const r = await app.gql<{ tickets: { edges: Array<{ node: { auditEvents: Array<{ action: string }> } }> } }>(
      `query($f: TicketFilterInput) { tickets(first: 50, filter: $f) { edges { node { auditEvents { action } } } } }`,
      { f: { tags: [tag] } },
      { token: adminToken },
    );
    pool.off('acquire', count);
    expect(r.data!.tickets.edges).toHaveLength(12);
    for (const e of r.data!.tickets.edges)
      expect(e.node.auditEvents.map((a) => a.action)).toEqual(['created', 'updated']);
    expect(queries).toBeLessThanOrEqual(4);
  });

  it('loads the groups and assignees of a ticket list in one query each', async () => {
    const tag = `grp-${Date.now()}`;
    for (let i = 0; i < 8; i++) {
      const g = await f.group();
      const a = await f.agent();
      await f.ticket({ tags: [tag], groupId: g.id, assigneeId: a.agent.id });
    }
    const pool = (app.dataSource.driver as unknown as { master: import('pg').Pool }).master;
    let queries = 0;
    const count = () => void queries++;
    pool.on('acquire', count);
    const r = await app.gql<{
      tickets: { edges: Array<{ node: { group: { name: string }; assignee: { id: string } } }> };
    }>(
      `query($f: TicketFilterInput) { tickets(first: 50, filter: $f) { edges { node { group { name } assignee { id } } } } }`,
      { f: { tags: [tag] } },
      { token: adminToken },
    );
    pool.off('acquire', count);
    expect(r.data!.tickets.edges).toHaveLength(8);
    expect(new Set(r.data!.tickets.edges.map((e) => e.node.group.name)).size).toBe(8);
    expect(queries).toBeLessThanOrEqual(4);
  });

  it('reports a committed change as done even when telling live subscribers fails', async () => {
    const bus = app.app.get(RealtimeBus);
    const spy = jest.spyOn(bus, 'publish').mockRejectedValue(new Error('pg_notify failed'));
    try {
      const subject = `Committed ${Date.now()}`;
      const created = await create({ subject, requester: { email: 'notify@example.com' } });
      expect(created.errors).toBeUndefined();
      const updated = await update({ id: created.data!.createTicket.id, priority: 'high' });
      expect(updated.errors).toBeUndefined();
      expect(spy).toHaveBeenCalled();
      const [{ n }] = await app.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM ticket WHERE subject = $1`,
        [subject],
      );
      expect(n).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('hides tickets outside an agent’s access as not found', async () => {
    const g1 = await f.group();
    const g2 = await f.group();
    const restricted = await f.agent({ ticketAccess: 'groups', groupIds: [g1.id] });
    const mine = await f.ticket({ groupId: g1.id });
    const other = await f.ticket({ groupId: g2.id });
    const q = `query($id: ID!) { ticket(id: $id) { id } }`;
    expect((await app.gql(q, { id: mine.id }, { token: restricted.token })).errors).toBeUndefined();
    const denied = await app.gql(q, { id: other.id }, { token: restricted.token });
    expect(denied.errors![0].extensions!.code).toBe('TICKET_NOT_FOUND');
    const edit = await update({ id: other.id, priority: 'low' }, restricted.token);
    expect(edit.errors![0].extensions!.code).toBe('TICKET_NOT_FOUND');
  });

  it('refuses writes from viewers and read-only tokens', async () => {
    const viewer = await f.agent({ role: 'viewer' });
    const r = await create({ subject: 'nope', requester: { email: 'v@example.com' } }, viewer.token);
    expect(r.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('validates input: empty subject, bad email, no requester identity', async () => {
    expect((await create({ subject: '', requester: { email: 'a@example.com' } })).errors![0].extensions!.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await create({ subject: 's', requester: { email: 'not-an-email' } })).errors![0].extensions!.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await create({ subject: 's', requester: { name: 'Nobody' } })).errors![0].extensions!.code).toBe(
      'VALIDATION_FAILED',
    );
  });
});
