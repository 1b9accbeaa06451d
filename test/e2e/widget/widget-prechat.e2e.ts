import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { createWidget, newVisitor } from '../../helpers/widget';

const UPDATE = `mutation($i: WidgetVisitorInput!) { widgetUpdateVisitor(input: $i) { name email } }`;

/** What the pre-chat form sends (`widgetUpdateVisitor`): name, email and phone reach the contact. */
describe('widget pre-chat answers', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let widgetId: string;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin' });
    widgetId = (await createWidget(app, admin.token)).id;
  });
  afterAll(async () => app.stop());

  const asVisitor = async (token: string, input: Record<string, string>) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': token },
      body: JSON.stringify({ query: UPDATE, variables: { i: input } }),
    });
    return (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: { code: string } }> };
  };
  const identitiesOf = async (visitorId: string) =>
    (
      await app.dataSource.query<Array<{ name: string; kind: string; value: string }>>(
        `SELECT c.name, i.kind, i.value FROM widget_visitor v JOIN contact c ON c.id = v.contact_id
         JOIN contact_identity i ON i.contact_id = c.id AND i.kind <> 'visitor' WHERE v.id = $1 ORDER BY i.kind`,
        [visitorId],
      )
    ).map((r) => `${r.name} ${r.kind}:${r.value}`);

  it('adds the phone (with its country code) to the visitor’s contact with name and email', async () => {
    const v = await newVisitor(app, widgetId);
    const r = await asVisitor(v.token, { name: 'Jiwoo Kim', email: 'Jiwoo@Example.com', phone: '+82 10-1234-5678' });
    expect(r.errors).toBeUndefined();
    expect(await identitiesOf(v.visitorId)).toEqual([
      'Jiwoo Kim email:jiwoo@example.com',
      'Jiwoo Kim phone:+821012345678',
    ]);
  });

  it('refuses a phone without country code, saving nothing, and says how to write it', async () => {
    const v = await newVisitor(app, widgetId);
    const r = await asVisitor(v.token, { name: 'Minho', phone: '010-1234-5678' });
    expect(r.errors?.[0]).toMatchObject({
      extensions: { code: 'VALIDATION_FAILED' },
      message: 'Enter the phone number with its country code, like +82 10-1234-5678.',
    });
    expect(await identitiesOf(v.visitorId)).toEqual([]);
  });

  it('leaves a phone that belongs to another contact where it is', async () => {
    const first = await newVisitor(app, widgetId);
    await asVisitor(first.token, { name: 'Owner', phone: '+82 10-5555-0000' });
    const second = await newVisitor(app, widgetId);
    const r = await asVisitor(second.token, { name: 'Someone else', phone: '+82 10-5555-0000' });
    expect(r.errors).toBeUndefined();
    expect(await identitiesOf(first.visitorId)).toEqual(['Owner phone:+821055550000']);
    expect(await identitiesOf(second.visitorId)).toEqual([]);
  });
});
