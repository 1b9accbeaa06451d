import { factories } from '../factories';
import { pageSession, postForms } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Chat capacity settings and the chat panel's forms, as a browser without script uses them. */
describe('workspace: chat capacity and the chat panel', () => {
  let app: TestApp;
  let bossToken: string;

  beforeAll(async () => {
    app = await startTestApp();
    bossToken = (await factories(app.app).agent({ role: 'admin' })).token;
  });
  afterAll(async () => app.stop());

  const capacityOf = async (agentId: string) => {
    const r = await app.gql<{ agentPresence: Array<{ chatCapacity: number; ownChatCapacity: number | null }> }>(
      `query($ids: [ID!]) { agentPresence(agentIds: $ids) { chatCapacity ownChatCapacity } }`,
      { ids: [agentId] },
      { token: bossToken },
    );
    return r.data!.agentPresence[0];
  };

  it('lets an admin set the default and per-agent chat capacity, refusing nonsense with a clear message', async () => {
    const f = factories(app.app);
    const joon = await f.agent({ name: 'Joon' });
    const admin = await pageSession(app, app.admin.email, app.admin.password);
    const page = await (await admin.get('/app/settings/agents')).text();
    expect(page).toContain('name="chatCapacity"');
    expect(postForms(page).every((form) => form.hasCsrf)).toBe(true);

    expect((await admin.post('/app/settings/agents/capacity', { capacity: '5' })).status).toBe(303);
    expect(await capacityOf(joon.agent.id)).toEqual({ chatCapacity: 5, ownChatCapacity: null });
    await admin.post(`/app/settings/agents/${joon.agent.id}`, {
      role: 'agent',
      ticketAccess: 'all',
      chatCapacity: '2',
    });
    expect(await capacityOf(joon.agent.id)).toEqual({ chatCapacity: 2, ownChatCapacity: 2 });
    await admin.post(`/app/settings/agents/${joon.agent.id}`, { role: 'agent', ticketAccess: 'all', chatCapacity: '' });
    expect(await capacityOf(joon.agent.id)).toEqual({ chatCapacity: 5, ownChatCapacity: null });

    for (const bad of ['0', '51', 'two', '2.5']) {
      const res = await admin.post(`/app/settings/agents/${joon.agent.id}`, { chatCapacity: bad });
      expect(res.status).toBe(303);
      const flash = await (
        await admin.get('/app/settings/agents', { cookie: `${admin.cookie}; ${flashCookie(res)}` })
      ).text();
      expect(flash).toContain('Chats at once must be a whole number from 1 to 50; leave it empty to use the default.');
    }
    expect(await capacityOf(joon.agent.id)).toEqual({ chatCapacity: 5, ownChatCapacity: null });

    // only admins
    const agent = await pageSession(app, joon.agent.email, joon.password);
    await agent.post('/app/settings/agents/capacity', { capacity: '9' });
    expect((await capacityOf(joon.agent.id)).chatCapacity).toBe(5);
  });

  it('renders the chat panel without script, with the rail entry, and refuses a decline without an offer', async () => {
    const admin = await pageSession(app, app.admin.email, app.admin.password);
    const res = await admin.get('/app/chats');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('No chats right now.');
    expect(html).toContain('href="/app/chats" aria-current="page"');
    const declined = await admin.post('/app/chats/00000000-0000-4000-8000-000000000000/decline', {});
    expect(declined.status).toBe(303);
    const summary = (await (await admin.get('/app/chats/summary')).json()) as { attention: number; line: string };
    expect(summary.attention).toBe(0);
    expect(summary.line).toMatch(/^Chats 0\/\d+ · Tickets 0$/);
  });
});

function flashCookie(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}
