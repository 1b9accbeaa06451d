import { startTestApp, type TestApp } from '../helpers/test-app';

describe('boot, health and the first admin', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.stop());

  it('answers liveness and readiness', async () => {
    const h = await fetch(`${app.url}/healthz`);
    expect(h.status).toBe(200);
    const r = await fetch(`${app.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ready', database: 'up' });
  });

  it('echoes a request id on every response', async () => {
    const res = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'abcdef123456' } });
    expect(res.headers.get('x-request-id')).toBe('abcdef123456');
    const other = await fetch(`${app.url}/healthz`);
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics for HTTP, GraphQL, the DB pool and job queues', async () => {
    await app.gql('{ __typename }');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('sori_http_request_duration_seconds_bucket');
    expect(text).toContain('sori_graphql_operation_duration_seconds_bucket');
    expect(text).toMatch(/sori_db_pool_connections\{state="total"\} [1-9]/);
    expect(text).toContain('sori_job_queue_depth');
  });

  it('keeps the operation-name label of GraphQL metrics bounded: strangers cannot invent series', async () => {
    for (let i = 0; i < 40; i++) await app.gql(`query Invented${i} { __typename }`);
    const cookie = await app.login(app.admin.email, app.admin.password);
    await app.gql('query InboxView { me { id } }', {}, { cookie });
    await app.gql('query InboxView { me { id } }');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).not.toContain('operation="Invented');
    expect(text).toContain('operation="InboxView"');
    expect(text).toMatch(
      /sori_graphql_operation_duration_seconds_count\{type="query",operation="other",outcome="ok"\} [1-9]/,
    );
  });

  it('created the first admin, who can sign in', async () => {
    expect(app.admin.email).toBe('admin@example.com');
    const cookie = await app.login(app.admin.email, app.admin.password);
    const me = await app.gql<{ me: { email: string; role: string } }>('{ me { email role } }', {}, { cookie });
    expect(me.data?.me).toEqual({ email: 'admin@example.com', role: 'admin' });
  });
});
