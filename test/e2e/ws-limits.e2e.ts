import { factories } from '../factories';
import { connectWs, type WsConnection } from '../helpers/ws-client';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Subscriptions over WebSocket obey the same depth and cost limits, and errors carry our codes. */
describe('graphql-ws limits and error codes', () => {
  let app: TestApp;
  let ws: WsConnection;

  beforeAll(async () => {
    app = await startTestApp({ GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COMPLEXITY: '50' });
    const agent = await factories(app.app).agent({ role: 'admin' });
    ws = await connectWs(app.url, { token: agent.token });
  });
  afterAll(async () => {
    await ws?.client.dispose();
    await app.stop();
  });

  const firstError = (query: string, variables: Record<string, unknown> = {}) =>
    new Promise<{ message: string; extensions?: { code?: string } }>((resolve, reject) => {
      const stop = ws.client.subscribe(
        { query, variables },
        {
          // a resolver that throws while subscribing answers with a result carrying errors
          next: (result) => {
            stop();
            if (result.errors?.length) resolve(result.errors[0]);
            else reject(new Error('unexpected data'));
          },
          error: (errs) => {
            stop();
            const list = errs as Array<{ message: string; extensions?: { code?: string } }>;
            resolve(Array.isArray(list) ? list[0] : list);
          },
          complete: () => reject(new Error('completed without error')),
        },
      );
    });

  it('refuses a subscription nested too deep', async () => {
    const e = await firstError(
      'subscription { inboxTicketUpdated { ticket { requester { identities { value } } } event { id } cursor } }',
    );
    expect(e.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('refuses a subscription with an unknown field', async () => {
    const e = await firstError('subscription { inboxTicketUpdated { nope } }');
    expect(e.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a syntax error', async () => {
    const e = await firstError('subscription { inboxTicketUpdated { ');
    expect(e.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a subscription over the cost limit', async () => {
    const fields = Array.from({ length: 80 }, (_, i) => `a${i}: cursor`).join(' ');
    const e = await firstError(`subscription { inboxTicketUpdated { ${fields} ticket { id subject status } } }`);
    expect(e.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('holds at most 100 live subscriptions per connection; completing one makes room', async () => {
    const own = await connectWs(app.url, { token: (await factories(app.app).agent()).token });
    const errors: Array<{ extensions?: { code?: string } }> = [];
    const stops = Array.from({ length: 101 }, () =>
      own.client.subscribe(
        { query: 'subscription { inboxMessageAdded { cursor } }' },
        {
          next: () => undefined,
          error: (e) => errors.push(...(e as typeof errors)),
          complete: () => undefined,
        },
      ),
    );
    const deadline = Date.now() + 5000;
    while (!errors.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    stops[0]();
    await new Promise((r) => setTimeout(r, 100));
    const again = await new Promise<string>((resolve) => {
      own.client.subscribe(
        { query: '{ __typename }' },
        { next: () => resolve('ok'), error: () => resolve('refused'), complete: () => undefined },
      );
    });
    expect(again).toBe('ok');
    await own.client.dispose();
  });

  it('gives resolver errors our codes', async () => {
    const e = await firstError('subscription($id: ID!) { ticketUpdated(ticketId: $id) { cursor } }', {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(e.extensions?.code).toBe('TICKET_NOT_FOUND');
  });
});
