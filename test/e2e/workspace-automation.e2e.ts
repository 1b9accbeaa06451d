import { Client } from 'pg';
import { MacrosService } from '../../src/automation/macros.service';
import { SavedViewsService } from '../../src/automation/saved-views.service';
import { factories, type AgentWithCredentials } from '../factories';
import { pageSession, postForms, type PageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

const decode = (s: string) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const composerText = (html: string) =>
  decode(/<textarea id="composer-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '');

/** Macros, canned responses and saved views in the workspace, without script (plain forms). */
describe('workspace: macros, canned responses, saved views', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;
  let sa: PageSession;
  let s: PageSession;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = await f.agent({ role: 'admin', name: 'Ada Admin' });
    agent = await f.agent({ name: 'Dana Lee' });
    sa = await pageSession(app, admin.agent.email, admin.password);
    s = await pageSession(app, agent.agent.email, agent.password);
  });
  afterAll(async () => app.stop());

  it('lets an administrator build a shared macro with the form editor, and agents not', async () => {
    const res = await sa.post('/app/settings/macros', {
      name: 'Waiting on customer',
      description: 'Ask for details',
      a_status: 'pending',
      a_priority: 'high',
      a_assignee: 'current',
      a_add_tags: 'needs-info, followup',
      a_text: 'Hi {{contact.first_name}}, could you send more details on #{{ticket.number}}?',
      a_mode: 'reply',
      active: ['false', 'true'],
    });
    expect(res.status).toBe(303);
    const page = await (await sa.get('/app/settings/macros')).text();
    expect(page).toContain('Waiting on customer');
    expect(page).toContain('needs-info, followup');
    expect(postForms(page).every((form) => form.hasCsrf)).toBe(true);
    const [macro] = await app.app.get(MacrosService).list(admin.actor);
    expect(macro.actions.map((a) => a.type)).toEqual(['status', 'priority', 'assignee', 'add_tags', 'insert_text']);

    expect((await s.get('/app/settings/macros')).status).toBe(403);
    const denied = await s.post(`/app/settings/macros/${macro.id}`, { name: 'Mine now', a_priority: 'low' });
    expect(denied.status).toBe(303);
    expect((await app.app.get(MacrosService).get(admin.actor, macro.id)).name).toBe('Waiting on customer');
  });

  it('lets an agent keep personal macros that only they are offered', async () => {
    const res = await s.post('/app/macros', {
      name: 'My urgent flag',
      a_priority: 'urgent',
      active: ['false', 'true'],
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/app\/macros#macro-/);
    expect(await (await s.get('/app/macros')).text()).toContain('My urgent flag');
    const { ticket } = await f.conversationTicket();
    expect(await (await s.get(`/app/tickets/${ticket.number}`)).text()).toContain('My urgent flag');
    const other = await f.agent();
    const so = await pageSession(app, other.agent.email, other.password);
    expect(await (await so.get(`/app/tickets/${ticket.number}`)).text()).not.toContain('My urgent flag');
    expect(await (await sa.get('/app/settings/macros')).text()).not.toContain('My urgent flag');
  });

  it('applies a macro from the composer without script, keeping what was typed', async () => {
    const [macro] = await app.app.get(MacrosService).list(agent.actor);
    const { ticket } = await f.conversationTicket({ requester: { email: 'minji@example.test', name: 'Minji Kim' } });
    const page = await (await s.get(`/app/tickets/${ticket.number}`)).text();
    expect(page).toContain(`formaction="/app/tickets/${ticket.number}/macro"`);
    const res = await s.post(`/app/tickets/${ticket.number}/macro`, {
      macroId: macro.id,
      body: 'Thanks for writing.',
      mode: 'reply',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(JSON.stringify(composerText(html))).toBe(
      JSON.stringify(`Thanks for writing.\n\nHi Minji, could you send more details on #${ticket.number}?`),
    );
    const after = await app.gql<{ ticket: { status: string; priority: string; tags: string[]; assigneeId: string } }>(
      `query($id: ID!) { ticket(id: $id) { status priority tags assigneeId } }`,
      { id: ticket.id },
      { token: agent.token },
    );
    expect(after.data!.ticket).toEqual({
      status: 'pending',
      priority: 'high',
      tags: ['needs-info', 'followup'],
      assigneeId: agent.agent.id,
    });
  });

  it('inserts a canned response with variables, HTML-escaped on the page', async () => {
    const created = await s.post('/app/canned', {
      shortcut: 'hello',
      title: 'Hello',
      body: 'Hello {{contact.name}} — {{agent.first_name}}',
    });
    expect(created.status).toBe(303);
    const mine = await (await s.get('/app/canned')).text();
    expect(mine).toContain('/hello');
    const { ticket } = await f.conversationTicket({
      requester: { email: 'x@example.test', name: '<img src=x onerror=alert(1)>' },
    });
    const page = await (await s.get(`/app/tickets/${ticket.number}`)).text();
    const id = /data-insert-canned="([^"]+)"/.exec(page)![1];
    const res = await s.post(`/app/tickets/${ticket.number}/canned`, { cannedId: id, body: '', mode: 'note' });
    const html = await res.text();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Hello &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; — Dana</textarea>');
    expect(html).toMatch(/value="note"[^>]*checked/);
  });

  it('saves a view from search and shows it with its count in the inbox', async () => {
    await f.ticket({ subject: 'Urgent one', priority: 'urgent', tags: ['vip'] });
    await f.ticket({ subject: 'Urgent two', priority: 'urgent', tags: ['vip'] });
    await f.ticket({ subject: 'Urgent other', priority: 'urgent' });
    const search = await (await s.get('/app/search?priority=urgent&tag=vip')).text();
    expect(search).toContain('action="/app/views"');
    const res = await s.post('/app/views', { name: 'VIP urgent', priority: 'urgent', tag: 'vip', sort: 'updated' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/app\/inbox\/[0-9a-f-]{36}$/);
    const viewId = location.split('/').pop()!;
    const inbox = await (await s.get(location)).text();
    expect(inbox).toContain(`<span class="view__count" data-count="${viewId}">2</span>`);
    expect(inbox).toContain('Urgent one');
    expect(inbox).not.toContain('Urgent other');
    const counts = (await (await s.get('/app/inbox/counts', { 'x-sori-partial': '1' })).json()) as Record<
      string,
      number
    >;
    expect(counts[viewId]).toBe(2);
    await f.ticket({ subject: 'Urgent three', priority: 'urgent', tags: ['vip'] });
    const again = (await (await s.get('/app/inbox/counts', { 'x-sori-partial': '1' })).json()) as Record<
      string,
      number
    >;
    expect(again[viewId]).toBe(3);

    const other = await f.agent();
    const so = await pageSession(app, other.agent.email, other.password);
    expect((await so.get(location)).status).toBe(404);
    const manage = await (await s.get('/app/views')).text();
    expect(manage).toContain('VIP urgent');
    const edit = await s.post(`/app/views/${viewId}`, {
      name: 'VIP urgent (low too)',
      priority: ['urgent', 'low'],
      tags: 'vip',
    });
    expect(edit.status).toBe(303);
    expect(await (await s.get(location)).text()).toContain('VIP urgent (low too)');
  });

  it('counts saved views in the same capped query as the built-in views', async () => {
    const viewer = await f.agent({ name: 'Count Check' });
    const sv = await pageSession(app, viewer.agent.email, viewer.password);
    const queriesForCounts = async () => {
      const spy = jest.spyOn(Client.prototype, 'query');
      const counts = (await (await sv.get('/app/inbox/counts', { 'x-sori-partial': '1' })).json()) as Record<
        string,
        number
      >;
      const n = spy.mock.calls.length;
      spy.mockRestore();
      return { n, keys: Object.keys(counts).length };
    };
    await queriesForCounts(); // warm caches
    const none = await queriesForCounts();
    for (let i = 0; i < 8; i++) {
      await app.app
        .get(SavedViewsService)
        .create(viewer.actor, { name: `View ${i}`, filters: { priority: ['urgent'], tags: [`t${i}`] } });
    }
    const eight = await queriesForCounts();
    expect(eight.keys).toBe(none.keys + 8);
    expect(eight.n).toBe(none.n);
  });

  it('applies a macro to selected tickets from the bulk bar (fields only)', async () => {
    const [macro] = await app.app.get(MacrosService).list(agent.actor);
    const a = await f.ticket();
    const b = await f.ticket();
    const res = await s.post('/app/bulk', {
      ids: [a.id, b.id],
      action: 'macro',
      macroId: macro.id,
      _back: '/app/inbox/open',
    });
    expect(res.status).toBe(303);
    for (const t of [a, b]) {
      const r = await app.gql<{ ticket: { status: string; tags: string[] } }>(
        `query($id: ID!) { ticket(id: $id) { status tags } }`,
        { id: t.id },
        { token: agent.token },
      );
      expect(r.data!.ticket).toEqual({ status: 'pending', tags: ['needs-info', 'followup'] });
    }
  });
});
