import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ErrorCode } from '../../src/common/errors/error-codes';
import { RealtimeBus } from '../../src/common/pubsub/realtime-bus';
import { createTestDatabase } from '../helpers/database';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, type TestApp } from '../helpers/test-app';

const knownCodes: string[] = Object.values(ErrorCode);

interface RawResult {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** Sends exactly these bytes to /graphql; every error in the answer must carry one of our codes. */
async function post(app: TestApp, body: string, headers: Record<string, string> = {}): Promise<RawResult> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let parsed: RawResult['body'];
  try {
    parsed = JSON.parse(text) as RawResult['body'];
  } catch {
    throw new Error(`expected a JSON answer, got ${res.status}: ${text.slice(0, 200)}`);
  }
  expect(parsed.errors?.length ?? 0).toBeGreaterThanOrEqual(0);
  for (const e of parsed.errors ?? []) {
    expect(knownCodes).toContain(e.extensions?.code);
    expect(e.message).not.toMatch(/\bat \S+ \(|node_modules|QueryFailedError|TypeORM/);
  }
  return { status: res.status, body: parsed };
}

const query = (app: TestApp, q: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
  post(app, JSON.stringify({ query: q, variables }), headers);

const codeOf = (r: RawResult) => r.body.errors?.[0]?.extensions?.code;

describe('bad input over HTTP', () => {
  let app: TestApp;
  let cookie: string;
  beforeAll(async () => {
    app = await startTestApp({ MAX_BODY_BYTES: '4096', GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '60' });
    cookie = await app.login(app.admin.email, app.admin.password);
  });
  afterAll(async () => app.stop());

  const asAdmin = (q: string, variables?: Record<string, unknown>) => query(app, q, variables, { cookie });

  it('a GraphQL syntax error is GRAPHQL_PARSE_FAILED with HTTP 400', async () => {
    const r = await asAdmin('{ me { id ');
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.body.data ?? null).toBeNull();
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED with HTTP 400', async () => {
    const r = await asAdmin('{ me { id shoeSize } }');
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.body.errors?.[0].message).toContain('shoeSize');
  });

  it('a body that is not JSON is BAD_USER_INPUT with HTTP 400', async () => {
    const r = await post(app, '{"query": "{ me { id } }"', { cookie });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['no query at all', '{}'],
    ['a query that is not a string', '{"query": 42}'],
    ['a batch (batching is off)', '[{"query":"{ __typename }"},{"query":"{ __typename }"}]'],
    ['a JSON string', '"{ __typename }"'],
  ])('%s is a 400 with BAD_USER_INPUT', async (_what, body) => {
    const r = await post(app, body, { cookie });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it('variables of the wrong type, or missing, are BAD_USER_INPUT', async () => {
    const q = 'query($id: ID!) { agent(id: $id) { id } }';
    const missing = await asAdmin(q, {});
    expect(missing.status).toBe(400);
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    const wrong = await asAdmin('mutation($s: AgentStatus!) { setMyStatus(status: $s) { id } }', { s: 'sleeping' });
    expect(wrong.status).toBe(400);
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
  });

  it('a body over MAX_BODY_BYTES is refused with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(10_000) } });
    const r = await post(app, big, { cookie });
    expect(r.status).toBe(413);
    expect(codeOf(r)).toBe('PAYLOAD_TOO_LARGE');
    // and the next request is served normally
    expect((await asAdmin('{ me { id } }')).status).toBe(200);
  });

  it('a query nested deeper than GRAPHQL_MAX_DEPTH is QUERY_TOO_DEEP', async () => {
    const r = await asAdmin(
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }',
    );
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('QUERY_TOO_DEEP');
    expect(r.body.errors?.[0].extensions?.maxDepth).toBe(6);
    expect(r.body.data ?? null).toBeNull();
  });

  it('depth counts through fragments, so they cannot hide nesting', async () => {
    const r = await asAdmin(`
      query { __schema { ...T } }
      fragment T on __Schema { types { fields { type { ...O } } } }
      fragment O on __Type { ofType { ofType { ofType { name } } } }
    `);
    expect(codeOf(r)).toBe('QUERY_TOO_DEEP');
  });

  it('a query within the limits is answered', async () => {
    const r = await asAdmin('{ agents { id groups { name } } __schema { queryType { name } } }');
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });

  it('a query costing more than GRAPHQL_MAX_COMPLEXITY is QUERY_TOO_COMPLEX with HTTP 400', async () => {
    const fields =
      'id email name role ticketAccess locale timezone signature status isActive createdAt groups { id name }';
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: agents { ${fields} }`).join('\n');
    const r = await asAdmin(`{ ${aliases} }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('QUERY_TOO_COMPLEX');
    expect(r.body.errors?.[0].extensions?.maxComplexity).toBe(60);
    expect(r.body.data ?? null).toBeNull();
  });

  it('a document that passed with small variables is still costed again with bigger ones', async () => {
    const q = `query Page($n: Int!) { tickets(first: $n) { edges { node { id subject requester { id name } } } } }`;
    for (let i = 0; i < 3; i++) {
      const ok = await asAdmin(q, { n: 5 });
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
    }
    const big = await asAdmin(q, { n: 100 });
    expect(big.status).toBe(400);
    expect(codeOf(big)).toBe('QUERY_TOO_COMPLEX');
    // and the small one is still fine afterwards
    expect((await asAdmin(q, { n: 5 })).body.errors).toBeUndefined();
  });

  it('input that fails validation is VALIDATION_FAILED and names the problem', async () => {
    const r = await query(app, 'mutation($i: LoginInput!) { login(input: $i) { csrfToken } }', {
      i: { email: 'not-an-email', password: 'whatever' },
    });
    expect(codeOf(r)).toBe('VALIDATION_FAILED');
    expect(r.body.errors?.[0].message).toMatch(/email/i);
    const tooLong = await asAdmin('mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id } }', {
      i: { name: 'x'.repeat(500) },
    });
    expect(codeOf(tooLong)).toBe('VALIDATION_FAILED');
  });

  it('an id that does not exist is <ENTITY>_NOT_FOUND', async () => {
    const id = randomUUID();
    const agent = await asAdmin('query($id: ID!) { agent(id: $id) { id } }', { id });
    expect(codeOf(agent)).toBe('AGENT_NOT_FOUND');
    const group = await asAdmin('query($id: ID!) { group(id: $id) { id } }', { id });
    expect(codeOf(group)).toBe('GROUP_NOT_FOUND');
    const token = await asAdmin('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id });
    expect(codeOf(token)).toBe('API_TOKEN_NOT_FOUND');
  });

  it.each([
    ['agent', 'query($id: ID!) { agent(id: $id) { id } }'],
    ['group', 'query($id: ID!) { group(id: $id) { id } }'],
    ['deactivateAgent', 'mutation($id: ID!) { deactivateAgent(id: $id) { id } }'],
    ['revokeApiToken', 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }'],
    ['deleteGroup', 'mutation($id: ID!) { deleteGroup(id: $id) }'],
  ])('%s with an id that is not a UUID is VALIDATION_FAILED, not INTERNAL', async (_name, q) => {
    for (const id of ['not-a-uuid', "1' OR '1'='1", '']) {
      const r = await asAdmin(q, { id });
      expect(codeOf(r)).toBe('VALIDATION_FAILED');
    }
  });

  it('text holding U+0000 (which PostgreSQL cannot store) is VALIDATION_FAILED, not INTERNAL', async () => {
    const ticket = await asAdmin('mutation($i: CreateTicketInput!) { createTicket(input: $i) { id } }', {
      i: { subject: 'Refund\u0000', requester: { email: 'nul@example.com' } },
    });
    expect(codeOf(ticket)).toBe('VALIDATION_FAILED');
    const contact = await asAdmin('mutation($i: CreateContactInput!) { createContact(input: $i) { id } }', {
      i: { notes: 'VIP\u0000', email: 'nul-contact@example.com' },
    });
    expect(codeOf(contact)).toBe('VALIDATION_FAILED');
    const search = await asAdmin('query($s: String) { contacts(search: $s) { edges { cursor } } }', { s: 'a\u0000b' });
    expect(codeOf(search)).toBe('VALIDATION_FAILED');
  });

  it('the same name created by several requests at once is ALREADY_EXISTS for all but one, never INTERNAL', async () => {
    // the service checks the name first; requests racing past that check meet the unique index
    for (let round = 0; round < 4; round++) {
      const name = `Race ${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          asAdmin('mutation($n: String!) { createGroup(input: { name: $n }) { id } }', { n: name }),
        ),
      );
      expect(results.filter((r) => !r.body.errors)).toHaveLength(1);
      expect(new Set(results.filter((r) => r.body.errors).map(codeOf))).toEqual(new Set(['ALREADY_EXISTS']));
    }
  });

  it('an unknown path is a JSON 404 with NOT_FOUND', async () => {
    const res = await fetch(`${app.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('after all that, the app still answers', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const me = await asAdmin('{ me { email } }');
    expect(me.body.data).toEqual({ me: { email: app.admin.email } });
  });
});

describe('bad input over WebSocket', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp({ MAX_BODY_BYTES: '4096' });
    const cookie = await app.login(app.admin.email, app.admin.password);
    const r = await app.gql<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "ws", scopes: [read] }) { token } }',
      {},
      { cookie },
    );
    token = r.data!.createApiToken.token;
  });
  afterAll(async () => app.stop());

  /** Opens a raw graphql-transport-ws socket, runs `act`, and resolves with how the server closed it. */
  async function closeCodeAfter(act: (ws: WebSocket) => void): Promise<number> {
    const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    ws.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('close', (code) => reject(new Error(`closed before open: ${code}`)));
    });
    act(ws);
    return closed;
  }

  const stillAlive = async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  };

  it('closes on a frame that is not JSON with 4400', async () => {
    expect(await closeCodeAfter((ws) => ws.send('this is not json {{{'))).toBe(4400);
    await stillAlive();
  });

  it('closes on binary garbage with 4400', async () => {
    expect(await closeCodeAfter((ws) => ws.send(Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x80])))).toBe(4400);
    await stillAlive();
  });

  it('closes on a well-formed JSON message of an unknown type with 4400', async () => {
    expect(await closeCodeAfter((ws) => ws.send(JSON.stringify({ type: 'hack_the_planet', payload: 1 })))).toBe(4400);
    await stillAlive();
  });

  it('closes on a subscribe before connection_init with 4401', async () => {
    const code = await closeCodeAfter((ws) =>
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } })),
    );
    expect(code).toBe(4401);
  });

  it('closes a connection_init with a bad token with 4403', async () => {
    const code = await closeCodeAfter((ws) =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: { token: 'sori_pat_forged' } })),
    );
    expect(code).toBe(4403);
  });

  it('closes on a frame larger than MAX_BODY_BYTES with 1009 (message too big), without buffering it', async () => {
    const huge = JSON.stringify({ type: 'connection_init', payload: { token, pad: 'x'.repeat(2 * 1024 * 1024) } });
    expect(await closeCodeAfter((ws) => ws.send(huge))).toBe(1009);
    await stillAlive();
  });

  it('does not leave a socket open that asks only for the legacy subscriptions-transport-ws protocol', async () => {
    const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-ws');
    ws.on('error', () => undefined);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).not.toBe(1000);
    await stillAlive();
  });

  it('a well-behaved client still connects afterwards', async () => {
    const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const ack = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
      ws.on('message', (data: Buffer) => resolve((JSON.parse(data.toString()) as { type: string }).type));
      ws.on('close', (code) => reject(new Error(`closed: ${code}`)));
    });
    expect(ack).toBe('connection_ack');
    ws.close();
  });
});

describe('a database that goes away and comes back', () => {
  let app: TestApp;
  let proxy: TcpProxy;
  let cookie: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    const real = new URL(db.url);
    proxy = await new TcpProxy(real.hostname, Number(real.port || 5432)).start();
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    app = await startTestApp({ DATABASE_URL: viaProxy.toString() }, { db });
    cookie = await app.login(app.admin.email, app.admin.password);
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await app.stop();
    await proxy.stop();
  });

  const me = () => query(app, '{ me { email } }', undefined, { cookie });

  async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, limitMs = 15_000): Promise<T> {
    const until = Date.now() + limitMs;
    for (;;) {
      const v = await fn();
      if (ok(v) || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('fails requests with 503 while it is away and recovers without a restart', async () => {
    expect((await me()).body.data).toEqual({ me: { email: app.admin.email } });

    await proxy.cut();

    const during = await me();
    expect(during.status).toBe(503);
    expect(codeOf(during)).toBe('SERVICE_UNAVAILABLE');
    const anonymous = await query(app, '{ __typename }');
    expect(anonymous.status).toBe(503);
    expect(codeOf(anonymous)).toBe('SERVICE_UNAVAILABLE');
    const login = await query(app, 'mutation($i: LoginInput!) { login(input: $i) { csrfToken } }', {
      i: { email: app.admin.email, password: app.admin.password },
    });
    expect(login.status).toBe(503);
    expect(codeOf(login)).toBe('SERVICE_UNAVAILABLE');

    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: 'down' });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);

    await proxy.restore();

    const after = await eventually(me, (r) => r.status === 200);
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual({ me: { email: app.admin.email } });
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    // the pool serves parallel requests again, not just one lucky connection
    const parallel = await Promise.all(Array.from({ length: 8 }, () => me()));
    expect(parallel.map((r) => r.status)).toEqual(Array(8).fill(200));
  });

  it('the LISTEN connection of the realtime bus is back too', async () => {
    const bus = app.app.get(RealtimeBus);
    const topic = `probe:${randomUUID()}`;
    let received = 0;
    const off = bus.on(topic, () => received++);
    try {
      await eventually(
        async () => {
          await bus.publish({ kind: 'probe', id: 1, topics: [topic] });
          await new Promise((r) => setTimeout(r, 200));
          return received;
        },
        (n) => n > 0,
      );
      expect(received).toBeGreaterThan(0);
    } finally {
      off();
    }
  });

  it('survives a second outage the same way', async () => {
    await proxy.cut();
    expect((await me()).status).toBe(503);
    await proxy.restore();
    expect((await eventually(me, (r) => r.status === 200)).body.data).toEqual({ me: { email: app.admin.email } });
  });
});
