import { signIdentityJwt } from '../../../src/channels/widget/identity-jwt';
import { factories, type AgentWithCredentials } from '../../factories';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { clientId, createWidget, newVisitor, openWs, SEND, type WsSession } from '../../helpers/widget';

const SESSION = `{ widgetSession { visitorId identified email conversations { id } } }`;
const IDENTIFY = `mutation($jwt: String!) { widgetIdentify(jwt: $jwt) { identified email conversations { id } } }`;

describe('widget identity verification', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let widget: { id: string; secret: string };
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin' });
    widget = await createWidget(app, admin.token);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.client.dispose();
  });
  afterAll(async () => app.stop());

  const visitorWs = async () => {
    const v = await newVisitor(app, widget.id);
    const s = await openWs(app.url, { visitorToken: v.token });
    sockets.push(s);
    return s;
  };
  const exp = () => Math.floor(Date.now() / 1000) + 600;
  const codeOf = async (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { errors?: Array<{ extensions?: { code?: string } }> }) => e.errors?.[0]?.extensions?.code,
    );

  it('merges an anonymous visitor into the identified contact, so history follows to another device', async () => {
    const laptop = await visitorWs();
    const sent = await laptop.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'Where is order 1042?', clientId: clientId() },
    });
    const jwt = signIdentityJwt(widget.secret, {
      external_id: 'cust-42',
      email: 'Jisoo@Example.com',
      name: 'Jisoo Kim',
      exp: exp(),
    });
    const identified = await laptop.run<{
      widgetIdentify: { identified: boolean; email: string; conversations: Array<{ id: string }> };
    }>(IDENTIFY, { jwt });
    expect(identified.widgetIdentify).toMatchObject({ identified: true, email: 'jisoo@example.com' });
    expect(identified.widgetIdentify.conversations.map((c) => c.id)).toEqual([sent.widgetSendMessage.conversationId]);

    const phone = await visitorWs();
    expect(
      (await phone.run<{ widgetSession: { conversations: unknown[] } }>(SESSION)).widgetSession.conversations,
    ).toEqual([]);
    const onPhone = await phone.run<{ widgetIdentify: { conversations: Array<{ id: string }> } }>(IDENTIFY, { jwt });
    expect(onPhone.widgetIdentify.conversations.map((c) => c.id)).toEqual([sent.widgetSendMessage.conversationId]);

    const contacts = await app.gql<{
      contacts: { edges: Array<{ node: { name: string; identities: Array<{ kind: string }> } }> };
    }>(
      `{ contacts(search: "cust-42") { edges { node { name identities { kind value } } } } }`,
      {},
      { token: admin.token },
    );
    const [contact] = contacts.data!.contacts.edges;
    expect(contact.node.name).toBe('Jisoo Kim');
    expect(contact.node.identities.filter((i) => i.kind === 'visitor')).toHaveLength(2);
  });

  it('refuses a forged, an expired and an alg:none token with clear codes', async () => {
    const s = await visitorWs();
    const forged = signIdentityJwt('not-the-secret', { external_id: 'x', exp: exp() });
    expect(await codeOf(s.run(IDENTIFY, { jwt: forged }))).toBe('IDENTITY_TOKEN_INVALID');
    const expired = signIdentityJwt(widget.secret, { external_id: 'x', exp: Math.floor(Date.now() / 1000) - 3600 });
    expect(await codeOf(s.run(IDENTIFY, { jwt: expired }))).toBe('IDENTITY_TOKEN_EXPIRED');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"external_id":"x"}').toString('base64url')}.`;
    expect(await codeOf(s.run(IDENTIFY, { jwt: none }))).toBe('IDENTITY_TOKEN_INVALID');
    expect((await s.run<{ widgetSession: { identified: boolean } }>(SESSION)).widgetSession.identified).toBe(false);
  });

  it('a widget for identified users refuses anonymous messages', async () => {
    const strict = await createWidget(app, admin.token, { requireIdentified: true, name: 'Customers only' });
    const v = await newVisitor(app, strict.id);
    const s = await openWs(app.url, { visitorToken: v.token });
    sockets.push(s);
    expect(await codeOf(s.run(SEND, { i: { body: 'hi', clientId: clientId() } }))).toBe('IDENTIFICATION_REQUIRED');
    await s.run(IDENTIFY, { jwt: signIdentityJwt(strict.secret, { external_id: 'vip-1', exp: exp() }) });
    expect(await codeOf(s.run(SEND, { i: { body: 'hi', clientId: clientId() } }))).toBe('ok');
  });

  it('closes a socket with a forged visitor token (4401) and answers VISITOR_TOKEN_INVALID over HTTP', async () => {
    const v = await newVisitor(app, widget.id);
    const forged = v.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(openWs(app.url, { visitorToken: forged })).rejects.toMatchObject({ code: 4401 });
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': forged },
      body: JSON.stringify({ query: '{ widgetSession { visitorId } }' }),
    });
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('VISITOR_TOKEN_INVALID');
  });

  it('a visitor connection cannot use agent queries', async () => {
    const s = await visitorWs();
    expect(await codeOf(s.run(`{ widgets { id } }`))).toBe('UNAUTHENTICATED');
  });
});
