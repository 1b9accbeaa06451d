import { factories } from '../factories';
import { startTestApp, type Credentials, type TestApp } from '../helpers/test-app';

interface TicketView {
  id: string;
  tags: string[];
  followers: Array<{ id: string }>;
  auditEvents: Array<{ action: string; changes: Record<string, { from: unknown; to: unknown }> }>;
}

describe('tickets: tags and followers', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let agent: Awaited<ReturnType<ReturnType<typeof factories>['agent']>>;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    agent = await f.agent();
  });
  afterAll(async () => app.stop());

  const view = async (id: string) =>
    (
      await app.gql<{ ticket: TicketView }>(
        `query($id: ID!) { ticket(id: $id) { id tags followers { id } auditEvents { action changes } } }`,
        { id },
        { token: agent.token },
      )
    ).data!.ticket;
  const mutate = (
    name: string,
    args: string,
    vars: Record<string, unknown>,
    auth: Credentials = { token: agent.token },
  ) =>
    app.gql<Record<string, { id: string; tags: string[]; followers: Array<{ id: string }> }>>(
      `mutation(${args}) { ${name} { id tags followers { id } } }`,
      vars,
      auth,
    );
  const codeOf = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;

  it('adds and removes single tags, normalised, each change audited', async () => {
    const t = await f.ticket({ tags: ['billing'] });
    const add = await mutate('addTicketTags(id: $id, tags: $tags)', '$id: ID!, $tags: [String!]!', {
      id: t.id,
      tags: ['VIP', 'late delivery', 'billing'],
    });
    expect(add.data!.addTicketTags.tags).toEqual(['billing', 'vip', 'late_delivery']);
    const remove = await mutate('removeTicketTags(id: $id, tags: $tags)', '$id: ID!, $tags: [String!]!', {
      id: t.id,
      tags: ['Billing', 'unknown'],
    });
    expect(remove.data!.removeTicketTags.tags).toEqual(['vip', 'late_delivery']);
    const events = (await view(t.id)).auditEvents.filter((e) => e.action === 'updated');
    expect(events.map((e) => e.changes.tags)).toEqual([
      { from: ['billing'], to: ['billing', 'vip', 'late_delivery'] },
      { from: ['billing', 'vip', 'late_delivery'], to: ['vip', 'late_delivery'] },
    ]);
    const noop = await mutate('addTicketTags(id: $id, tags: $tags)', '$id: ID!, $tags: [String!]!', {
      id: t.id,
      tags: ['vip'],
    });
    expect(noop.errors).toBeUndefined();
    expect((await view(t.id)).auditEvents).toHaveLength(3);
    const tooLong = await mutate('addTicketTags(id: $id, tags: $tags)', '$id: ID!, $tags: [String!]!', {
      id: t.id,
      tags: ['x'.repeat(65)],
    });
    expect(codeOf(tooLong)).toBe('VALIDATION_FAILED');
  });

  it('follows and unfollows; viewers may follow; the change is audited', async () => {
    const t = await f.ticket();
    const viewer = await f.agent({ role: 'viewer' });
    // viewers' API tokens are read-only; in the workspace they act through their session
    const viewerSession = { cookie: await app.login(viewer.agent.email, viewer.password) };
    const readOnly = await mutate('followTicket(id: $id)', '$id: ID!', { id: t.id }, { token: viewer.token });
    expect(codeOf(readOnly)).toBe('FORBIDDEN');
    expect((await mutate('followTicket(id: $id)', '$id: ID!', { id: t.id })).data!.followTicket.followers).toEqual([
      { id: agent.agent.id },
    ]);
    const again = await mutate('followTicket(id: $id)', '$id: ID!', { id: t.id });
    expect(again.data!.followTicket.followers).toHaveLength(1);
    const byViewer = await mutate('followTicket(id: $id)', '$id: ID!', { id: t.id }, viewerSession);
    expect(byViewer.data!.followTicket.followers.map((x) => x.id)).toEqual([agent.agent.id, viewer.agent.id]);
    const viewerAdds = await mutate(
      'addTicketFollower(ticketId: $t, agentId: $a)',
      '$t: ID!, $a: ID!',
      { t: t.id, a: agent.agent.id },
      viewerSession,
    );
    expect(codeOf(viewerAdds)).toBe('FORBIDDEN');
    const un = await mutate('unfollowTicket(id: $id)', '$id: ID!', { id: t.id });
    expect(un.data!.unfollowTicket.followers).toEqual([{ id: viewer.agent.id }]);
    const changes = (await view(t.id)).auditEvents.filter((e) => e.changes.followers).map((e) => e.changes.followers);
    expect(changes).toEqual([
      { from: [], to: [agent.agent.id] },
      { from: [agent.agent.id], to: [agent.agent.id, viewer.agent.id] },
      { from: [agent.agent.id, viewer.agent.id], to: [viewer.agent.id] },
    ]);
  });

  it('adds another agent only if they can see the ticket', async () => {
    const g = await f.group();
    const t = await f.ticket({ groupId: g.id });
    const outsider = await f.agent({ ticketAccess: 'groups', groupIds: [] });
    const member = await f.agent({ ticketAccess: 'groups', groupIds: [g.id] });
    const add = (agentId: string) =>
      mutate('addTicketFollower(ticketId: $t, agentId: $a)', '$t: ID!, $a: ID!', { t: t.id, a: agentId });
    const refused = await add(outsider.agent.id);
    expect(codeOf(refused)).toBe('VALIDATION_FAILED');
    expect(refused.errors![0].message).toMatch(/cannot see ticket/);
    expect((await add(member.agent.id)).data!.addTicketFollower.followers).toEqual([{ id: member.agent.id }]);
    expect(codeOf(await add('00000000-0000-4000-8000-000000000000'))).toBe('AGENT_NOT_FOUND');
    const removed = await mutate('removeTicketFollower(ticketId: $t, agentId: $a)', '$t: ID!, $a: ID!', {
      t: t.id,
      a: member.agent.id,
    });
    expect(removed.data!.removeTicketFollower.followers).toEqual([]);
  });
});
