import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { AgentsService } from '../../src/identity/agents.service';
import { createTestDatabase } from '../helpers/database';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { factories } from '../factories';

const ME = `{ me { id role } }`;

/**
 * Authenticated requests are served from a per-process cache of live sessions and tokens; every
 * change that ends or narrows a credential must still apply on the very next request in the
 * process that made it, and within the bus delay in every other process on the same database.
 */
describe('credential cache across two processes', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const db = await createTestDatabase();
    a = await startTestApp({}, { db });
    b = await startTestApp({}, { db: { ...db, drop: async () => undefined } });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** Polls `b` until the request is refused (the bus delivers the event a few ms later). */
  const code = (r: { errors?: Array<{ extensions?: { code?: unknown } }> }) => r.errors?.[0]?.extensions?.code ?? 'ok';
  async function refusedOnB(query: string, auth: { cookie?: string; token?: string }): Promise<unknown> {
    const until = Date.now() + 5000;
    for (;;) {
      const r = code(await b.gql(query, {}, auth));
      if (r !== 'ok' || Date.now() > until) return r;
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  it('deactivation signs the agent out on the next request here and on the other process', async () => {
    const agent = await factories(a.app).agent({ role: 'agent' });
    const cookie = await a.login(agent.agent.email, agent.password);
    // both processes have the session cached now
    for (let i = 0; i < 3; i++) {
      expect((await a.gql(ME, {}, { cookie })).errors).toBeUndefined();
      expect((await b.gql(ME, {}, { cookie })).errors).toBeUndefined();
    }
    await a.app.get(AgentsService).deactivate(SYSTEM_ACTOR, agent.agent.id);
    expect(code(await a.gql(ME, {}, { cookie }))).toBe('UNAUTHENTICATED');
    expect(await refusedOnB(ME, { cookie })).toBe('UNAUTHENTICATED');
  });

  it('a role change is seen on the next request, with the new role, in both processes', async () => {
    const agent = await factories(a.app).agent({ role: 'agent' });
    const cookie = await a.login(agent.agent.email, agent.password);
    const role = async (app: TestApp) => (await app.gql<{ me: { role: string } }>(ME, {}, { cookie })).data?.me.role;
    expect([await role(a), await role(b)]).toEqual(['agent', 'agent']);
    await a.app.get(AgentsService).update(SYSTEM_ACTOR, { id: agent.agent.id, role: 'viewer' });
    expect(await role(a)).toBe('viewer');
    const until = Date.now() + 5000;
    while ((await role(b)) !== 'viewer' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await role(b)).toBe('viewer');
    // the viewer cannot write any more, through the cached session either
    const write = await b.gql(
      `mutation { createContact(input: { name: "Nope", email: "nope@example.test" }) { id } }`,
      {},
      { cookie },
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('signing out on one process ends the session on the other', async () => {
    const agent = await factories(a.app).agent({ role: 'agent' });
    const cookie = await a.login(agent.agent.email, agent.password);
    expect((await b.gql(ME, {}, { cookie })).errors).toBeUndefined();
    expect((await a.gql(`mutation { logout }`, {}, { cookie })).errors).toBeUndefined();
    expect(code(await a.gql(ME, {}, { cookie }))).toBe('UNAUTHENTICATED');
    expect(await refusedOnB(ME, { cookie })).toBe('UNAUTHENTICATED');
  });
});
