import { Client } from 'pg';
import { TicketsService } from '../../src/tickets/tickets.service';
import { factories, type AgentWithCredentials } from '../factories';
import { pageSession, type PageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

const rowIds = (html: string) => [...html.matchAll(/data-ticket-row data-id="([^"]+)"/g)].map((m) => m[1]);

/** The inbox over HTTP: views and counts, keyset pages, bulk actions, search, and no N+1 queries. */
describe('workspace inbox', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let agent: AgentWithCredentials;
  let s: PageSession;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    const group = await f.group('Billing');
    agent = await f.agent({ name: 'Sarah Lee', groupIds: [group.id] });
    s = await pageSession(app, agent.agent.email, agent.password);
    for (let i = 0; i < 3; i++) await f.conversationTicket({ subject: `Mine ${i}`, assigneeId: agent.agent.id });
    for (let i = 0; i < 2; i++) await f.conversationTicket({ subject: `Billing ${i}`, groupId: group.id });
  });
  afterAll(async () => app.stop());

  it('counts every view for the agent', async () => {
    const res = await s.get('/app/inbox/counts', { 'x-sori-partial': '1' });
    expect(await res.json()).toEqual({ mine: 3, unassigned: 2, groups: 2, open: 5, pending: 0, on_hold: 0, solved: 0 });
    const html = await (await s.get('/app/inbox/groups')).text();
    expect(html).toContain('<span class="view__count" data-count="groups">2</span>');
    expect(html).toContain('Billing 1');
    expect(html).not.toContain('Mine 0');
  });

  it('renders a view with the same number of queries for 3 or 25 tickets (no N+1)', async () => {
    const queriesFor = async (path: string) => {
      const spy = jest.spyOn(Client.prototype, 'query');
      const html = await (await s.get(path)).text();
      const n = spy.mock.calls.filter(([q]) => typeof q === 'string' || typeof q === 'object').length;
      spy.mockRestore();
      return { n, rows: rowIds(html).length };
    };
    await queriesFor('/app/inbox/mine'); // warm caches (agent lookups, prepared statements)
    const few = await queriesFor('/app/inbox/mine');
    for (let i = 0; i < 22; i++) {
      await f.conversationTicket({
        subject: `More ${i}`,
        assigneeId: agent.agent.id,
        requester: { email: `r${i}@example.test` },
      });
    }
    const many = await queriesFor('/app/inbox/mine');
    expect(few.rows).toBe(3);
    expect(many.rows).toBe(25);
    expect(many.n).toBe(few.n);
  });

  it('pages through a view with keyset cursors, without repeats', async () => {
    for (let i = 0; i < 3; i++) await f.conversationTicket({ subject: `Page two ${i}`, assigneeId: agent.agent.id });
    const first = await (await s.get('/app/inbox/mine')).text();
    const next = /href="(\/app\/inbox\/mine\?after[^"]+)" rel="next"/
      .exec(first)?.[1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(next).toBeDefined();
    const second = await (await s.get(next!)).text();
    const a = rowIds(first);
    const b = rowIds(second);
    expect(a).toHaveLength(25);
    expect(b).toHaveLength(3);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('applies bulk actions to the selected tickets', async () => {
    const { ticket: t1 } = await f.conversationTicket({ subject: 'Bulk one' });
    const { ticket: t2 } = await f.conversationTicket({ subject: 'Bulk two' });
    const tickets = app.app.get(TicketsService);
    let res = await s.post('/app/bulk', {
      ids: [t1.id, t2.id],
      action: 'assign',
      assignee: 'me',
      _back: '/app/inbox/unassigned',
    });
    expect(res.headers.get('location')).toBe('/app/inbox/unassigned');
    res = await s.post('/app/bulk', { ids: [t1.id, t2.id], action: 'status', status: 'pending' });
    res = await s.post('/app/bulk', { ids: [t1.id, t2.id], action: 'tags', tags: 'vip, refund' });
    for (const id of [t1.id, t2.id]) {
      expect(await tickets.get(agent.actor, id)).toMatchObject({
        assigneeId: agent.agent.id,
        status: 'pending',
        tags: ['vip', 'refund'],
      });
    }
    res = await s.post('/app/bulk', { ids: [t1.id, t2.id], action: 'merge', target: `#${t1.number}` });
    expect(res.headers.get('location')).toBe(`/app/tickets/${t1.number}`);
    expect((await tickets.get(agent.actor, t2.id)).status).toBe('merged');
    const merged = await s.get(`/app/tickets/${t2.number}`);
    expect(merged.headers.get('location')).toBe(`/app/tickets/${t1.number}`);
    const flash = await (await s.get('/app/inbox/mine')).text();
    expect(flash).not.toContain('data-flash="error"');
  });

  it('searches with words and filters, Korean included', async () => {
    await f.conversationTicket({ subject: '환불 요청합니다', assigneeId: agent.agent.id, tags: ['환불'] });
    let html = await (await s.get(`/app/search?q=${encodeURIComponent('환불')}`)).text();
    expect(html).toContain('환불 요청합니다');
    expect(html).toContain('Matching tickets: 1');
    html = await (await s.get('/app/search?assignee=me&status=pending')).text();
    expect(html).toContain('Bulk one');
    expect(html).not.toContain('Mine 0');
    html = await (await s.get(`/app/search?tag=${encodeURIComponent('환불')}`)).text();
    expect(rowIds(html)).toHaveLength(1);
  });
});
