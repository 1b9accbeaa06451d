import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type GqlResult, type TestApp } from '../helpers/test-app';

interface MacroRow {
  id: string;
  name: string;
  personal: boolean;
  isActive: boolean;
  position: number;
  actions: Array<Record<string, unknown>>;
}
interface Applied {
  applyMacro: {
    ticket: {
      id: string;
      status: string;
      priority: string;
      tags: string[];
      assigneeId: string | null;
      version: number;
    };
    text: string | null;
    mode: string | null;
    unknownVariables: string[];
  };
}

const codeOf = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code;
const CREATE = `mutation($i: CreateMacroInput!) { createMacro(input: $i) { id name personal isActive position actions } }`;
const APPLY = `mutation($t: ID!, $m: ID!) { applyMacro(ticketId: $t, macroId: $m) {
  ticket { id status priority tags assigneeId version } text mode unknownVariables } }`;

describe('macros', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;
  let viewer: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
    agent = await f.agent({ name: 'Dana Lee' });
    viewer = await f.agent({ role: 'viewer' });
  });
  afterAll(async () => app.stop());

  const create = (who: AgentWithCredentials, input: Record<string, unknown>) =>
    app.gql<{ createMacro: MacroRow }>(CREATE, { i: input }, { token: who.token });

  it('applies field actions through the ticket rules, audited, and returns the filled-in text', async () => {
    const group = await f.group();
    const created = await create(admin, {
      name: 'Refund approved',
      actions: [
        { type: 'status', value: 'pending' },
        { type: 'priority', value: 'high' },
        { type: 'type', value: 'incident' },
        { type: 'assignee', value: 'current' },
        { type: 'group', value: group.id },
        { type: 'add_tags', value: ['Refund', 'vip'] },
        { type: 'remove_tags', value: ['triage'] },
        { type: 'add_follower', value: 'current' },
        {
          type: 'insert_text',
          mode: 'reply',
          value: 'Hi {{contact.first_name}}, #{{ticket.number}} — {{agent.name}} {{nope}}',
        },
      ],
    });
    expect(created.errors).toBeUndefined();
    const { ticket } = await f.conversationTicket({
      requester: { email: 'minji@example.test', name: 'Minji Kim' },
      tags: ['triage'],
    });
    const r = await app.gql<Applied>(APPLY, { t: ticket.id, m: created.data!.createMacro.id }, { token: agent.token });
    expect(r.errors).toBeUndefined();
    const applied = r.data!.applyMacro;
    expect(applied.ticket).toMatchObject({
      status: 'pending',
      priority: 'high',
      tags: ['refund', 'vip'],
      assigneeId: agent.agent.id,
    });
    expect(applied.ticket.version).toBeGreaterThan(ticket.version);
    expect(applied).toMatchObject({
      text: `Hi Minji, #${ticket.number} — Dana Lee {{nope}}`,
      mode: 'reply',
      unknownVariables: ['nope'],
    });
    const audit = await app.gql<{
      ticket: {
        followers: Array<{ id: string }>;
        auditEvents: Array<{ actorAgentId: string; changes: Record<string, unknown> }>;
      };
    }>(
      `query($id: ID!) { ticket(id: $id) { followers { id } auditEvents { actorAgentId changes } } }`,
      { id: ticket.id },
      {
        token: agent.token,
      },
    );
    const events = audit.data!.ticket.auditEvents;
    expect(
      events.some((e) => e.actorAgentId === agent.agent.id && 'priority' in e.changes && 'groupId' in e.changes),
    ).toBe(true);
    expect(audit.data!.ticket.followers.map((x) => x.id)).toEqual([agent.agent.id]);
    const macroEvents = events.filter((e) => 'macro' in e.changes);
    expect(macroEvents.map((e) => e.changes.macro)).toEqual([
      { from: null, to: { id: created.data!.createMacro.id, name: 'Refund approved' } },
    ]);
  });

  it('sets custom fields, validated when the macro is saved', async () => {
    const field = await app.gql<{ createTicketField: { key: string } }>(
      `mutation { createTicketField(input: { key: "plan", label: "Plan", type: dropdown, options: ["free", "pro"] }) { key } }`,
      {},
      { token: admin.token },
    );
    expect(field.errors).toBeUndefined();
    const bad = await create(admin, { name: 'Bad', actions: [{ type: 'custom_field', key: 'plan', value: 'gold' }] });
    expect(codeOf(bad)).toBe('VALIDATION_FAILED');
    const ok = await create(admin, { name: 'Pro', actions: [{ type: 'custom_field', key: 'plan', value: 'pro' }] });
    const t = await f.ticket();
    const r = await app.gql<{ applyMacro: { ticket: { customFields: Record<string, unknown> } } }>(
      `mutation($t: ID!, $m: ID!) { applyMacro(ticketId: $t, macroId: $m) { ticket { customFields } } }`,
      { t: t.id, m: ok.data!.createMacro.id },
      { token: agent.token },
    );
    expect(r.data!.applyMacro.ticket.customFields).toEqual({ plan: 'pro' });
  });

  it('refuses invalid action lists with a clear error', async () => {
    const cases: unknown[] = [
      [],
      [{ type: 'explode' }],
      [{ type: 'status', value: 'merged' }],
      [{ type: 'assignee', value: 'someone' }],
      [{ type: 'insert_text', value: '   ' }],
      [
        { type: 'priority', value: 'low' },
        { type: 'priority', value: 'high' },
      ],
      [{ type: 'assignee', value: '00000000-0000-4000-8000-000000000000' }],
    ];
    for (const actions of cases) {
      const r = await create(admin, { name: 'x', actions });
      expect([JSON.stringify(actions), codeOf(r)]).toEqual([
        JSON.stringify(actions),
        expect.stringMatching(/VALIDATION_FAILED|AGENT_NOT_FOUND/),
      ]);
    }
    const blank = await create(admin, { name: '', actions: [{ type: 'priority', value: 'low' }] });
    expect(codeOf(blank)).toBe('VALIDATION_FAILED');
  });

  it('lets only administrators manage shared macros; agents keep personal ones to themselves', async () => {
    const shared = (await create(admin, { name: 'Shared', actions: [{ type: 'priority', value: 'low' }] })).data!
      .createMacro;
    const byAgent = await create(agent, { name: 'Mine?', actions: [{ type: 'priority', value: 'low' }] });
    expect(codeOf(byAgent)).toBe('FORBIDDEN');
    const edit = await app.gql(
      `mutation($i: UpdateMacroInput!) { updateMacro(input: $i) { id } }`,
      { i: { id: shared.id, name: 'Hijacked' } },
      { token: agent.token },
    );
    expect(codeOf(edit)).toBe('FORBIDDEN');
    const del = await app.gql(`mutation($id: ID!) { deleteMacro(id: $id) }`, { id: shared.id }, { token: agent.token });
    expect(codeOf(del)).toBe('FORBIDDEN');

    const own = (
      await create(agent, { name: 'My shortcut', personal: true, actions: [{ type: 'priority', value: 'urgent' }] })
    ).data!.createMacro;
    expect(own.personal).toBe(true);
    const other = await f.agent();
    const list = await app.gql<{ macros: MacroRow[] }>(`{ macros { id } }`, {}, { token: other.token });
    expect(list.data!.macros.map((m) => m.id)).not.toContain(own.id);
    const t = await f.ticket();
    const foreign = await app.gql(APPLY, { t: t.id, m: own.id }, { token: other.token });
    expect(codeOf(foreign)).toBe('MACRO_NOT_FOUND');
    const renamed = await app.gql<{ updateMacro: { name: string } }>(
      `mutation($i: UpdateMacroInput!) { updateMacro(input: $i) { name } }`,
      { i: { id: own.id, name: 'Urgent!' } },
      { token: agent.token },
    );
    expect(renamed.data!.updateMacro.name).toBe('Urgent!');
  });

  it('refuses viewers, inactive macros and tickets the agent cannot see', async () => {
    const macro = (await create(admin, { name: 'Low', actions: [{ type: 'priority', value: 'low' }] })).data!
      .createMacro;
    const t = await f.ticket();
    expect(codeOf(await app.gql(APPLY, { t: t.id, m: macro.id }, { token: viewer.token }))).toBe('FORBIDDEN');

    const group = await f.group();
    const restricted = await f.agent({ ticketAccess: 'groups', groupIds: [] });
    const hidden = await f.ticket({ groupId: group.id });
    const r = await app.gql(APPLY, { t: hidden.id, m: macro.id }, { token: restricted.token });
    expect(codeOf(r)).toBe('TICKET_NOT_FOUND');
    const unchanged = await app.gql<{ ticket: { priority: string } }>(
      `query($id: ID!) { ticket(id: $id) { priority } }`,
      { id: hidden.id },
      { token: admin.token },
    );
    expect(unchanged.data!.ticket.priority).toBe('normal');

    await app.gql(
      `mutation($i: UpdateMacroInput!) { updateMacro(input: $i) { id } }`,
      {
        i: { id: macro.id, isActive: false },
      },
      { token: admin.token },
    );
    expect(codeOf(await app.gql(APPLY, { t: t.id, m: macro.id }, { token: agent.token }))).toBe('MACRO_NOT_FOUND');
  });

  it('orders shared macros', async () => {
    const names = ['Z first', 'Y second', 'X third'];
    const ids: string[] = [];
    for (const name of names)
      ids.push((await create(admin, { name, actions: [{ type: 'priority', value: 'low' }] })).data!.createMacro.id);
    const r = await app.gql<{ reorderMacros: MacroRow[] }>(
      `mutation($ids: [ID!]!) { reorderMacros(ids: $ids) { id position } }`,
      { ids: [ids[2], ids[0], ids[1]] },
      { token: admin.token },
    );
    expect(r.errors).toBeUndefined();
    const listed = (await app.gql<{ macros: MacroRow[] }>(`{ macros { id } }`, {}, { token: agent.token }))
      .data!.macros.map((m) => m.id)
      .filter((id) => ids.includes(id));
    expect(listed).toEqual([ids[2], ids[0], ids[1]]);
  });
});
