import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, createWidget, newVisitor, SEND } from '../../helpers/widget';

interface GqlResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions: Record<string, unknown> & { code: string } }>;
}
const UPDATE_WIDGET = `mutation($id: ID!, $i: WidgetInput!) { updateWidget(id: $id, input: $i) {
  preChatFields { key label labelKo type options required } } }`;
const SESSION_FIELDS = `{ widgetSession { widget { preChatFields { key label labelKo type options required } } } }`;
const ANSWERS = `query($id: ID!) { conversation(id: $id) { visitor { preChatAnswers { key label labelKo type value } } } }`;

const FIELDS = [
  { key: 'email', label: 'Email', required: true },
  { key: 'custom:order', type: 'text', label: 'Order number', labelKo: '주문 번호', required: true },
  {
    key: 'custom:topic',
    type: 'select',
    label: 'Topic',
    labelKo: '주제',
    options: ['Billing', 'Shipping', 'Other'],
    required: true,
  },
  { key: 'custom:size', type: 'number', label: 'Company size', required: false },
  {
    key: 'custom:agree',
    type: 'checkbox',
    label: 'I agree to the privacy policy',
    labelKo: '개인정보 처리방침에 동의해요',
    required: true,
  },
];
const GOOD = { 'custom:order': 'A-1024', 'custom:topic': 'Shipping', 'custom:size': 25, 'custom:agree': true };

/** Custom pre-chat fields: an admin configures them; a visitor's answers are checked, kept and shown to agents. */
describe('widget custom pre-chat fields', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;
  let widgetId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
    agent = await f.agent({ role: 'agent' });
    widgetId = (await createWidget(app, admin.token)).id;
  });
  afterAll(async () => app.stop());

  const configure = (token: string, preChatFields: unknown[]) =>
    app.gql<{ updateWidget: { preChatFields: unknown[] } }>(
      UPDATE_WIDGET,
      { id: widgetId, i: { preChatFields } },
      { token },
    );
  const asVisitor = async <T>(token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': token },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<T>;
  };
  const start = (token: string, preChatAnswers?: unknown) =>
    asVisitor<{ widgetSendMessage: { conversationId: string } }>(token, SEND, {
      i: { body: 'Where is my parcel?', clientId: clientId(), preChatAnswers },
    });
  const conversationsOf = async (visitorId: string) =>
    Number(
      (
        await app.dataSource.query(`SELECT count(*) AS n FROM widget_conversation WHERE visitor_id = $1`, [visitorId])
      )[0].n,
    );

  it('lets an admin configure text, select, number and checkbox questions that visitors then see', async () => {
    const r = await configure(admin.token, FIELDS);
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateWidget.preChatFields).toEqual([
      { key: 'email', label: 'Email', labelKo: '', type: null, options: [], required: true },
      { key: 'custom:order', label: 'Order number', labelKo: '주문 번호', type: 'text', options: [], required: true },
      { ...FIELDS[2], options: ['Billing', 'Shipping', 'Other'] },
      { key: 'custom:size', label: 'Company size', labelKo: '', type: 'number', options: [], required: false },
      { ...FIELDS[4], options: [] },
    ]);
    const v = await newVisitor(app, widgetId);
    const session = await asVisitor<{ widgetSession: { widget: { preChatFields: Array<{ key: string }> } } }>(
      v.token,
      SESSION_FIELDS,
    );
    expect(session.data!.widgetSession.widget.preChatFields.map((f) => f.key)).toEqual(FIELDS.map((f) => f.key));
  });

  it.each([
    [{ key: 'custom:Order No', type: 'text', label: 'x', required: false }, 'custom:Order No', 'key'],
    [{ key: 'custom:topic', type: 'select', label: 'Topic', options: [], required: false }, 'custom:topic', 'options'],
    [{ key: 'custom:topic', label: 'Topic', required: false }, 'custom:topic', 'type'],
    [
      {
        key: 'custom:t',
        type: 'select',
        label: 'T',
        options: Array.from({ length: 21 }, (_, i) => `o${i}`),
        required: false,
      },
      'custom:t',
      'options',
    ],
  ])('refuses a bad field (%#) with VALIDATION_FAILED naming it, keeping the old ones', async (field, key, reason) => {
    const r = await configure(admin.token, [field]);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', preChatField: key, reason });
    expect(r.errors?.[0].message).toContain(key);
    const fields = await app.dataSource.query(`SELECT pre_chat_fields AS f FROM widget WHERE id = $1`, [widgetId]);
    expect((fields[0].f as unknown[]).length).toBe(FIELDS.length);
  });

  it('refuses more than 10 fields and lets only admins configure them', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({
      key: `custom:q${i}`,
      type: 'text',
      label: `Q${i}`,
      required: false,
    }));
    expect((await configure(admin.token, many)).errors?.[0].message).toBe('At most 10 pre-chat fields.');
    expect((await configure(agent.token, FIELDS)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps valid answers with the conversation and shows them to agents on the conversation’s visitor', async () => {
    const v = await newVisitor(app, widgetId);
    const r = await start(v.token, GOOD);
    expect(r.errors).toBeUndefined();
    const id = r.data!.widgetSendMessage.conversationId;
    const seen = await app.gql<{ conversation: { visitor: { preChatAnswers: unknown[] } } }>(
      ANSWERS,
      { id },
      {
        token: agent.token,
      },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.conversation.visitor.preChatAnswers).toEqual([
      { key: 'custom:order', label: 'Order number', labelKo: '주문 번호', type: 'text', value: 'A-1024' },
      { key: 'custom:topic', label: 'Topic', labelKo: '주제', type: 'select', value: 'Shipping' },
      { key: 'custom:size', label: 'Company size', labelKo: '', type: 'number', value: '25' },
      {
        key: 'custom:agree',
        label: 'I agree to the privacy policy',
        labelKo: '개인정보 처리방침에 동의해요',
        type: 'checkbox',
        value: 'true',
      },
    ]);
  });

  it.each([
    ['a missing required answer', { ...GOOD, 'custom:order': '' }, 'custom:order', '"Order number" is required.'],
    ['an unticked required box', { ...GOOD, 'custom:agree': false }, 'custom:agree', 'must be ticked'],
    ['an option not offered', { ...GOOD, 'custom:topic': 'Refunds' }, 'custom:topic', 'must be one of: Billing'],
    ['a number that is not one', { ...GOOD, 'custom:size': 'lots' }, 'custom:size', 'must be a number'],
    ['an unknown key', { ...GOOD, 'custom:colour': 'red' }, 'custom:colour', 'not a custom pre-chat field'],
    ['no answers at all', undefined, 'custom:order', 'is required'],
  ])('refuses %s, starting no conversation', async (_, answers, key, message) => {
    const v = await newVisitor(app, widgetId);
    const r = await start(v.token, answers);
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'preChatAnswers',
      preChatField: key,
    });
    expect(r.errors?.[0].message).toContain(message);
    expect(await conversationsOf(v.visitorId)).toBe(0);
  });

  it('refuses answers sent with a later message of the conversation', async () => {
    const v = await newVisitor(app, widgetId);
    const id = (await start(v.token, GOOD)).data!.widgetSendMessage.conversationId;
    const r = await asVisitor(v.token, SEND, {
      i: { conversationId: id, body: 'and another thing', clientId: clientId(), preChatAnswers: GOOD },
    });
    expect(r.errors?.[0]).toMatchObject({
      message: 'Pre-chat answers are sent only when a conversation starts.',
      extensions: { code: 'VALIDATION_FAILED' },
    });
  });
});
