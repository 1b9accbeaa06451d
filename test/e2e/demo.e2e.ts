import { seedDemo } from '../../src/demo/seed-demo';
import { demoTickets } from '../../src/demo/demo-data';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('demo workspace (SORI_DEMO=1)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ SORI_DEMO: '1' });
  });
  afterAll(async () => app.stop());

  it('loads agents, groups and tickets that a demo agent can sign in and read', async () => {
    expect(app.demo?.seeded).toBe(true);
    const minjun = app.demo!.agents.find((a) => a.email.startsWith('minjun'))!;
    const cookie = await app.login(minjun.email, app.demo!.password!);
    const me = await app.gql<{ me: { name: string; locale: string; groups: Array<{ name: string }> } }>(
      '{ me { name locale groups { name } } }',
      {},
      { cookie },
    );
    expect(me.data!.me).toEqual({ name: '김민준', locale: 'ko', groups: [{ name: 'Billing' }, { name: 'Support' }] });
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM ticket');
    expect(count).toBe(demoTickets.length);
    const statuses = await app.dataSource.query('SELECT DISTINCT status FROM ticket ORDER BY status');
    expect(statuses.map((r: { status: string }) => r.status)).toEqual(['new', 'on_hold', 'open', 'pending', 'solved']);
  });

  it('does nothing the second time', async () => {
    const again = await seedDemo(app.app);
    expect(again.seeded).toBe(false);
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM agent');
    expect(count).toBe(1 + app.demo!.agents.length);
  });
});
