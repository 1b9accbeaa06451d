import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type GqlResult, type TestApp } from '../helpers/test-app';

const codeOf = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code;
const CREATE_CANNED = `mutation($i: CreateCannedResponseInput!) { createCannedResponse(input: $i) { id shortcut personal groupId } }`;
const RENDER = `query($id: ID!, $t: ID) { renderCannedResponse(id: $id, ticketId: $t) { text unknownVariables } }`;
const CREATE_VIEW = `mutation($i: CreateSavedViewInput!) { createSavedView(input: $i) { id name personal sort filters { status priority assignee tags customFields channel } ticketCount } }`;

describe('canned responses and saved views', () => {
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

  describe('canned responses', () => {
    it('renders variables from the ticket, safely, and leaves unknown ones visible', async () => {
      const created = await app.gql<{ createCannedResponse: { id: string; shortcut: string } }>(
        CREATE_CANNED,
        {
          i: {
            shortcut: '/Thanks',
            title: 'Thanks',
            body: 'Hi {{contact.first_name}} ({{contact.email}}), about "{{ticket.subject}}" #{{ticket.number}}. {{agent.name}} {{contact.constructor}}',
          },
        },
        { token: agent.token },
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createCannedResponse.shortcut).toBe('thanks');
      const { ticket } = await f.conversationTicket({
        subject: '{{agent.email}} <script>alert(1)</script>',
        requester: { email: 'hostile@example.test', name: '<b>Evil</b>\u202e Person' },
      });
      const r = await app.gql<{ renderCannedResponse: { text: string; unknownVariables: string[] } }>(
        RENDER,
        { id: created.data!.createCannedResponse.id, t: ticket.id },
        { token: agent.token },
      );
      expect(r.data!.renderCannedResponse).toEqual({
        text: `Hi <b>Evil</b> (hostile@example.test), about "{{agent.email}} <script>alert(1)</script>" #${ticket.number}. Dana Lee {{contact.constructor}}`,
        unknownVariables: ['contact.constructor'],
      });
    });

    it('validates input and keeps shortcuts unique per owner', async () => {
      const bad = await app.gql(
        CREATE_CANNED,
        { i: { shortcut: 'has space', title: 'x', body: 'y' } },
        { token: agent.token },
      );
      expect(codeOf(bad)).toBe('VALIDATION_FAILED');
      const first = await app.gql(
        CREATE_CANNED,
        { i: { shortcut: 'dup', title: 'x', body: 'y' } },
        { token: agent.token },
      );
      expect(first.errors).toBeUndefined();
      const again = await app.gql(
        CREATE_CANNED,
        { i: { shortcut: 'dup', title: 'x', body: 'z' } },
        { token: agent.token },
      );
      expect(codeOf(again)).toBe('ALREADY_EXISTS');
      const shared = await app.gql(
        CREATE_CANNED,
        { i: { shortcut: 'dup', title: 'x', body: 'z', shared: true } },
        { token: admin.token },
      );
      expect(shared.errors).toBeUndefined();
    });

    it('shares with everyone or one group; only administrators manage shared ones; viewers only read', async () => {
      const group = await f.group();
      const member = await f.agent({ groupIds: [group.id] });
      const forGroup = await app.gql<{ createCannedResponse: { id: string } }>(
        CREATE_CANNED,
        { i: { shortcut: 'billing-hi', title: 'Billing', body: 'Billing here.', shared: true, groupId: group.id } },
        { token: admin.token },
      );
      const id = forGroup.data!.createCannedResponse.id;
      const seen = async (who: AgentWithCredentials) =>
        (
          await app.gql<{ cannedResponses: Array<{ id: string }> }>(
            `{ cannedResponses(search: "billing") { id } }`,
            {},
            { token: who.token },
          )
        ).data!.cannedResponses.map((c) => c.id);
      expect(await seen(member)).toContain(id);
      expect(await seen(agent)).not.toContain(id);
      expect(codeOf(await app.gql(RENDER, { id }, { token: agent.token }))).toBe('CANNED_RESPONSE_NOT_FOUND');

      const byAgent = await app.gql(
        CREATE_CANNED,
        { i: { shortcut: 'x1', title: 'x', body: 'y', shared: true } },
        { token: agent.token },
      );
      expect(codeOf(byAgent)).toBe('FORBIDDEN');
      const edit = await app.gql(
        `mutation($i: UpdateCannedResponseInput!) { updateCannedResponse(input: $i) { id } }`,
        { i: { id, body: 'changed' } },
        { token: member.token },
      );
      expect(codeOf(edit)).toBe('FORBIDDEN');
      const byViewer = await app.gql(
        CREATE_CANNED,
        { i: { shortcut: 'v1', title: 'x', body: 'y' } },
        { token: viewer.token },
      );
      expect(codeOf(byViewer)).toBe('FORBIDDEN');
    });

    it('does not render with a ticket the agent cannot see', async () => {
      const restricted = await f.agent({ ticketAccess: 'assigned' });
      const mine = await app.gql<{ createCannedResponse: { id: string } }>(
        CREATE_CANNED,
        { i: { shortcut: 'peek', title: 'Peek', body: '{{ticket.subject}}' } },
        { token: restricted.token },
      );
      const secret = await f.ticket({ subject: 'Secret merger' });
      const r = await app.gql(
        RENDER,
        { id: mine.data!.createCannedResponse.id, t: secret.id },
        { token: restricted.token },
      );
      expect(codeOf(r)).toBe('TICKET_NOT_FOUND');
      expect(JSON.stringify(r)).not.toContain('Secret merger');
    });
  });

  describe('saved views', () => {
    it('counts matching tickets, including custom fields, tags and "me"', async () => {
      await app.gql(
        `mutation { createTicketField(input: { key: "tier", label: "Tier", type: dropdown, options: ["gold", "silver"] }) { key } }`,
        {},
        { token: admin.token },
      );
      for (let i = 0; i < 3; i++) {
        await f.ticket({
          priority: 'urgent',
          tags: ['vip'],
          assigneeId: agent.agent.id,
          customFields: { tier: 'gold' },
        });
      }
      await f.ticket({ priority: 'urgent', tags: ['vip'], customFields: { tier: 'silver' } });
      await f.ticket({ priority: 'low', tags: ['vip'], assigneeId: agent.agent.id, customFields: { tier: 'gold' } });
      const r = await app.gql<{
        createSavedView: { personal: boolean; ticketCount: number; filters: Record<string, unknown> };
      }>(
        CREATE_VIEW,
        {
          i: {
            name: 'My gold urgent',
            filters: { priority: ['urgent'], tags: ['VIP'], assignee: 'me', customFields: { tier: 'gold' } },
            sort: 'priority',
          },
        },
        { token: agent.token },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.createSavedView).toMatchObject({
        personal: true,
        ticketCount: 3,
        filters: { priority: ['urgent'], tags: ['vip'], assignee: 'me', customFields: { tier: 'gold' } },
      });
    });

    it('validates filters and keeps personal views personal; shared ones are for administrators', async () => {
      const bad = [
        { status: ['bogus'] },
        { assignee: 'someone' },
        { customFields: { tier: 'platinum' } },
        { customFields: { nope: 'x' } },
        { channel: 'DROP TABLE' },
      ];
      for (const filters of bad) {
        const r = await app.gql(CREATE_VIEW, { i: { name: 'x', filters } }, { token: agent.token });
        expect([JSON.stringify(filters), codeOf(r)]).toEqual([
          JSON.stringify(filters),
          expect.stringMatching(/VALIDATION_FAILED|BAD_USER_INPUT/),
        ]);
      }
      const shared = await app.gql(
        CREATE_VIEW,
        { i: { name: 'All urgent', filters: { priority: ['urgent'] }, shared: true } },
        { token: agent.token },
      );
      expect(codeOf(shared)).toBe('FORBIDDEN');
      const byAdmin = await app.gql<{ createSavedView: { id: string; personal: boolean } }>(
        CREATE_VIEW,
        { i: { name: 'All urgent', filters: { priority: ['urgent'] }, shared: true } },
        { token: admin.token },
      );
      expect(byAdmin.data!.createSavedView.personal).toBe(false);
      const del = await app.gql(
        `mutation($id: ID!) { deleteSavedView(id: $id) }`,
        { id: byAdmin.data!.createSavedView.id },
        { token: agent.token },
      );
      expect(codeOf(del)).toBe('FORBIDDEN');

      const mine = await app.gql<{ createSavedView: { id: string } }>(
        CREATE_VIEW,
        { i: { name: 'Mine', filters: {} } },
        { token: agent.token },
      );
      const other = await f.agent();
      const list = await app.gql<{ savedViews: Array<{ id: string }> }>(
        `{ savedViews { id } }`,
        {},
        { token: other.token },
      );
      const ids = list.data!.savedViews.map((v) => v.id);
      expect(ids).toContain(byAdmin.data!.createSavedView.id);
      expect(ids).not.toContain(mine.data!.createSavedView.id);
      const steal = await app.gql(
        `mutation($id: ID!) { deleteSavedView(id: $id) }`,
        { id: mine.data!.createSavedView.id },
        { token: other.token },
      );
      expect(codeOf(steal)).toBe('SAVED_VIEW_NOT_FOUND');
      const viewerView = await app.gql(
        CREATE_VIEW,
        { i: { name: 'Viewer view', filters: {} } },
        { token: viewer.token },
      );
      expect(codeOf(viewerView)).toBe('FORBIDDEN');
    });
  });
});
