import { factories } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Regression: opening a ticket inside a transaction must not need a second pool connection
 * (assignee/group checks used to take one), or a burst of requests larger than the pool stalls.
 */
describe('ticket intake under a small connection pool', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ DB_POOL_SIZE: '3' });
  });
  afterAll(async () => app.stop());

  it('opens many assigned tickets at once without exhausting the pool', async () => {
    const f = factories(app.app);
    const group = await f.group();
    const agent = await f.agent({ role: 'admin', groupIds: [group.id] });
    const open = (i: number) =>
      app.gql<{ openTicket: { ticket: { status: string } } }>(
        `mutation($i: OpenTicketInput!) { openTicket(input: $i) { ticket { status } } }`,
        {
          i: {
            subject: `Burst ${i}`,
            body: 'Hello',
            requester: { email: `burst-${i}@example.com` },
            assigneeId: agent.agent.id,
            groupId: group.id,
          },
        },
        { token: agent.token },
      );
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => open(i)));
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? r.data?.openTicket.ticket.status)).toEqual(
      Array(12).fill('open'),
    );
  });
});
