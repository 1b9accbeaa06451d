import { factories } from '../factories';
import { connectWs } from '../helpers/ws-client';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('changing the password', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.stop());

  it('keeps this session, signs out every other session and closes their sockets', async () => {
    const { agent, password } = await factories(app.app).agent();
    const here = await app.login(agent.email, password);
    const elsewhere = await app.login(agent.email, password);
    const ws = await connectWs(app.url, { cookie: elsewhere });
    const r = await app.gql(
      `mutation($i: ChangePasswordInput!) { changePassword(input: $i) }`,
      { i: { currentPassword: password, newPassword: 'a-completely-new-password' } },
      { cookie: here },
    );
    expect(r.errors).toBeUndefined();
    expect((await app.gql('{ me { id } }', {}, { cookie: here })).errors).toBeUndefined();
    const other = await app.gql('{ me { id } }', {}, { cookie: elsewhere });
    expect(other.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await ws.closed).code).toBe(4403);
    await expect(app.login(agent.email, password)).rejects.toThrow(/INVALID_CREDENTIALS/);
    expect(await app.login(agent.email, 'a-completely-new-password')).toMatch(/^sori_session=/);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const { agent, password } = await factories(app.app).agent();
    const cookie = await app.login(agent.email, password);
    const r = await app.gql(
      `mutation($i: ChangePasswordInput!) { changePassword(input: $i) }`,
      { i: { currentPassword: 'not-my-password', newPassword: 'another-new-password' } },
      { cookie },
    );
    expect(r.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(await app.login(agent.email, password)).toMatch(/^sori_session=/);
  });
});
