import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { ContactsService } from '../../src/contacts/contacts.service';
import { factories, type AgentWithCredentials } from '../factories';
import { pageSession, postForms, type PageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Workspace pages as an attacker sees them: CSRF, escaping, expired sessions, read-only viewers. */
describe('workspace page security', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let agent: AgentWithCredentials;
  let admin: PageSession;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    agent = await f.agent({ name: 'Sarah Lee' });
    admin = await pageSession(app, app.admin.email, app.admin.password);
  });
  afterAll(async () => app.stop());

  it('serves pages with a content security policy that allows only Sori itself', async () => {
    const res = await admin.get('/app');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const login = await fetch(`${app.url}/app/login`);
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('puts the session CSRF token in every post form of every page', async () => {
    const { ticket } = await f.conversationTicket();
    const contact = (await app.app.get(ContactsService).list(SYSTEM_ACTOR, { first: 1 })).edges[0].node;
    const pages = [
      '/app',
      '/app/inbox/open',
      `/app/tickets/${ticket.number}`,
      '/app/search?q=help',
      '/app/contacts',
      `/app/contacts/${contact.id}?merge=customer`,
      '/app/organizations',
      '/app/profile',
      '/app/settings/agents',
      '/app/settings/groups',
      '/app/settings/fields',
      '/app/settings/forms',
      '/app/settings/tags',
    ];
    for (const path of pages) {
      const res = await admin.get(path);
      expect(`${path}: ${res.status}`).toBe(`${path}: 200`);
      const forms = postForms(await res.text());
      expect(forms.length).toBeGreaterThan(0);
      for (const form of forms) expect(`${path} ${form.action}: ${form.hasCsrf}`).toBe(`${path} ${form.action}: true`);
    }
  });

  it('refuses every state-changing post without the session token', async () => {
    const { ticket } = await f.conversationTicket();
    const contact = (await app.app.get(ContactsService).list(SYSTEM_ACTOR, { first: 1 })).edges[0].node;
    const posts: Array<[string, Record<string, string>]> = [
      ['/app/bulk', { ids: ticket.id, action: 'status', status: 'pending' }],
      [`/app/tickets/${ticket.number}/messages`, { mode: 'reply', body: 'forged' }],
      [`/app/tickets/${ticket.number}/properties`, { version: '1', priority: 'urgent' }],
      [`/app/tickets/${ticket.number}/assign-me`, {}],
      [`/app/tickets/${ticket.number}/follow`, { follow: '1' }],
      [`/app/tickets/${ticket.number}/links`, { other: '1' }],
      [`/app/tickets/${ticket.number}/merge`, { target: '1' }],
      ['/app/preferences/status', { status: 'away' }],
      ['/app/profile', { name: 'Forged' }],
      ['/app/profile/password', { currentPassword: 'x', newPassword: 'y' }],
      [`/app/contacts/${contact.id}`, { name: 'Forged' }],
      [`/app/contacts/${contact.id}/identities`, { kind: 'email', value: 'forged@example.test' }],
      ['/app/organizations', { name: 'Forged Inc' }],
      ['/app/settings/agents/invite', { email: 'forged@example.test', role: 'admin' }],
      ['/app/settings/groups', { name: 'Forged' }],
      ['/app/settings/fields', { key: 'forged', label: 'Forged', type: 'text' }],
      ['/app/settings/forms', { name: 'Forged' }],
    ];
    for (const [path, form] of posts) {
      const res = await admin.post(path, form, { csrf: false });
      expect(`${path}: ${res.status}`).toBe(`${path}: 403`);
      const wrong = await admin.post(path, { ...form, _csrf: 'not-the-token' }, { csrf: false });
      expect(`${path}: ${wrong.status}`).toBe(`${path}: 403`);
    }
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE body_text = 'forged'`);
    expect(n).toBe(0);
    const [{ g }] = await app.dataSource.query(`SELECT count(*)::int AS g FROM agent_group WHERE name = 'Forged'`);
    expect(g).toBe(0);
  });

  it('escapes hostile names, subjects, tags and message HTML on every page', async () => {
    const hostile = '<img src=x onerror=alert(1)>"\'</script>';
    const hostileAgent = await f.agent({ name: `Eve ${hostile}` });
    const { ticket, conversation } = await f.conversationTicket({
      subject: `Subject <script>alert("subject")</script>`,
      requester: { email: 'mallory@example.test', name: `Mallory ${hostile}` },
      body: '<p>Hi</p><script>alert("body")</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a>',
      bodyFormat: 'HTML',
      tags: ['<b>tag</b>'],
      assigneeId: hostileAgent.agent.id,
    });
    await f.customerMessage(conversation.id, 'plain <script>alert(4)</script>');
    const eve = await pageSession(app, hostileAgent.agent.email, hostileAgent.password);
    const contactId = ticket.requesterId;
    for (const path of [
      '/app/inbox/mine',
      `/app/tickets/${ticket.number}`,
      '/app/search?q=Mallory',
      '/app/contacts',
      `/app/contacts/${contactId}`,
      '/app/settings/agents',
    ]) {
      const who = path.startsWith('/app/settings') ? admin : eve;
      const html = await (await who.get(path)).text();
      expect(`${path}: ${/<script>alert|onerror=["']?alert|javascript:alert|<img src=x/i.test(html)}`).toBe(
        `${path}: false`,
      );
      expect(html).not.toContain('</script>"\'');
    }
    const page = await (await eve.get(`/app/tickets/${ticket.number}`)).text();
    expect(page).toContain('Subject &lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
    expect(page).toContain('Mallory &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    // names inside the composer's JSON attribute stay attribute-escaped
    expect(page).toContain('&quot;name&quot;:&quot;Eve &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('sends an expired or revoked session to sign in with a message, and says so to the client script', async () => {
    const gone = await pageSession(app, agent.agent.email, agent.password);
    await app.dataSource.query(`UPDATE agent_session SET expires_at = now() - interval '1 minute'`);
    const page = await gone.get('/app/inbox/open?sort=priority');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/app/login?next=%2Fapp%2Finbox%2Fopen%3Fsort%3Dpriority&expired=1');
    const login = await (await fetch(`${app.url}${page.headers.get('location')}`)).text();
    expect(login).toContain('Your session has expired. Sign in again to continue.');
    const partial = await gone.get('/app/inbox/counts', { 'x-sori-partial': '1' });
    expect(partial.status).toBe(401);
    const post = await gone.post('/app/profile', { name: 'Nope', _back: '/app/profile' });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toContain('/app/login?next=%2Fapp%2Fprofile&expired=1');
    const none = await fetch(`${app.url}/app`, { redirect: 'manual' });
    expect(none.headers.get('location')).toBe('/app/login?next=%2Fapp');
    admin = await pageSession(app, app.admin.email, app.admin.password);
  });

  it('shows viewers a read-only ticket and refuses their changes on the server', async () => {
    const viewer = await f.agent({ name: 'Vera Viewer', role: 'viewer' });
    const v = await pageSession(app, viewer.agent.email, viewer.password);
    const { ticket } = await f.conversationTicket({ subject: 'Look, do not touch' });
    const html = await (await v.get(`/app/tickets/${ticket.number}`)).text();
    expect(html).not.toContain('data-composer');
    expect(html).toContain('You have read-only access.');
    expect(html).not.toContain('data-panel-save');
    expect(html).not.toContain('data-bulk-bar');
    const inbox = await (await v.get('/app/inbox/open')).text();
    expect(inbox).not.toContain('data-bulk-bar');
    const res = await v.post(`/app/tickets/${ticket.number}/messages`, { mode: 'reply', body: 'viewer wrote this' });
    expect(res.status).toBe(303);
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM message WHERE body_text = 'viewer wrote this'`,
    );
    expect(n).toBe(0);
    const settings = await v.get('/app/settings/agents');
    expect(settings.status).toBe(403);
  });

  it('hides tickets an agent may not see', async () => {
    const limited = await f.agent({ name: 'Lim Ited', ticketAccess: 'assigned' });
    const l = await pageSession(app, limited.agent.email, limited.password);
    const { ticket } = await f.conversationTicket({ subject: 'Not yours' });
    const res = await l.get(`/app/tickets/${ticket.number}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This ticket does not exist, or you cannot see it.');
    const open = await (await l.get('/app/inbox/open')).text();
    expect(open).not.toContain('Not yours');
  });
});
