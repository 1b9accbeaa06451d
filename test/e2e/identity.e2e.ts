import { randomBytes, randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { ErrorCode } from '../../src/common/errors/error-codes';
import { MailService, type OutgoingMail } from '../../src/common/mail/mail.service';
import { AgentsService } from '../../src/identity/agents.service';
import type { AgentRole } from '../../src/identity/entities';
import { startTestApp, type GqlResult, type TestApp } from '../helpers/test-app';
import { connectWs, type WsConnection } from '../helpers/ws-client';

const uid = () => randomBytes(4).toString('hex');
const randomIp = () => `10.${[...randomBytes(3)].join('.')}`;

interface Caller {
  cookie?: string;
  token?: string;
  /** Pretends to come from this client address (the app trusts X-Forwarded-For from loopback). */
  ip?: string;
}

interface TestAgent {
  id: string;
  email: string;
  password: string;
}

/** Runs a query over an open socket: proves the socket still works. */
function ping(ws: WsConnection): Promise<unknown> {
  return new Promise((resolve, reject) => {
    ws.client.subscribe({ query: '{ __typename }' }, { next: resolve, error: reject, complete: () => undefined });
  });
}

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { agent { id email role } csrfToken } }`;
const ME = `{ me { id email name } }`;
const UPDATE_PROFILE = `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id name } }`;
const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) {
  createApiToken(input: $i) { token apiToken { id name prefix scopes revokedAt } }
}`;

describe('accounts and access', () => {
  let app: TestApp;
  let adminCookie: string;

  beforeAll(async () => {
    app = await startTestApp({ LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCKOUT_MINUTES: '15' });
    adminCookie = await app.login(app.admin.email, app.admin.password);
  });
  afterAll(async () => app.stop());

  /** A GraphQL POST as a client would send it, with a chosen client address. */
  async function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    who: Caller = {},
  ): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (who.cookie) headers.cookie = who.cookie;
    if (who.token) headers.authorization = `Bearer ${who.token}`;
    if (who.ip) headers['x-forwarded-for'] = who.ip;
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: GqlResult<T>['errors'] };
    for (const e of body.errors ?? []) expect(Object.values(ErrorCode)).toContain(e.extensions?.code);
    return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
  }

  const codeOf = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code;

  async function newAgent(role: AgentRole = 'agent', groupIds?: string[]): Promise<TestAgent> {
    const email = `${role}-${uid()}@example.test`;
    const password = `secret-${uid()}-${uid()}`;
    const agent = await app.app
      .get(AgentsService)
      .create(SYSTEM_ACTOR, { email, name: `Test ${role} ${uid()}`, role, password, groupIds });
    return { id: agent.id, email, password };
  }

  /** Signs in; each call comes from its own address unless one is given, so only the rate-limit tests meet it. */
  async function login(email: string, password: string, ip = randomIp()) {
    const r = await gql<{ login: { agent: { id: string; email: string } } }>(LOGIN, { i: { email, password } }, { ip });
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    return { ...r, cookie };
  }

  async function createToken(cookie: string, scopes: string[], name = 'ci') {
    const r = await gql<{ createApiToken: { token: string; apiToken: { id: string; prefix: string } } }>(
      CREATE_TOKEN,
      { i: { name, scopes } },
      { cookie },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createApiToken;
  }

  function mailsTo(email: string, purpose: string): OutgoingMail[] {
    return app.app.get(MailService).outbox.filter((m) => m.to === email && m.purpose === purpose);
  }

  describe('signing in', () => {
    it('signs in with the right password and sets an HTTP-only, SameSite=Lax session cookie', async () => {
      const a = await newAgent();
      const r = await login(a.email, a.password);
      expect(r.errors).toBeUndefined();
      expect(r.data?.login.agent).toMatchObject({ id: a.id, email: a.email });
      const setCookie = r.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^sori_session=sess_/);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
      expect(setCookie).toMatch(/;\s*Path=\//i);
      const me = await gql<{ me: { id: string } }>(ME, {}, { cookie: r.cookie });
      expect(me.data?.me.id).toBe(a.id);
    });

    it('accepts the email in any letter case', async () => {
      const a = await newAgent();
      const r = await login(a.email.toUpperCase(), a.password);
      expect(r.errors).toBeUndefined();
    });

    it('refuses a wrong password or an unknown email with the same INVALID_CREDENTIALS and no cookie', async () => {
      const a = await newAgent();
      const wrong = await login(a.email, 'not-the-password');
      expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const unknown = await login(`nobody-${uid()}@example.test`, 'whatever-password');
      expect(codeOf(unknown)).toBe('INVALID_CREDENTIALS');
      expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
    });

    it('locks the account after LOGIN_MAX_ATTEMPTS wrong passwords, even against the right one', async () => {
      const a = await newAgent();
      expect(codeOf(await login(a.email, 'wrong-1'))).toBe('INVALID_CREDENTIALS');
      expect(codeOf(await login(a.email, 'wrong-2'))).toBe('INVALID_CREDENTIALS');
      expect(codeOf(await login(a.email, 'wrong-3'))).toBe('ACCOUNT_LOCKED');
      const right = await login(a.email, a.password);
      expect(codeOf(right)).toBe('ACCOUNT_LOCKED');
      expect(right.headers.get('set-cookie')).toBeNull();
      expect(right.errors?.[0].extensions?.lockedUntil).toEqual(expect.any(String));
    });

    it('a successful sign-in forgets earlier wrong passwords', async () => {
      const a = await newAgent();
      expect(codeOf(await login(a.email, 'wrong-1'))).toBe('INVALID_CREDENTIALS');
      expect(codeOf(await login(a.email, 'wrong-2'))).toBe('INVALID_CREDENTIALS');
      expect((await login(a.email, a.password)).errors).toBeUndefined();
      expect(codeOf(await login(a.email, 'wrong-3'))).toBe('INVALID_CREDENTIALS');
      expect((await login(a.email, a.password)).errors).toBeUndefined();
    });

    it('after a lockout has run out, one more typo does not lock the account again', async () => {
      const a = await newAgent();
      for (let i = 0; i < 3; i++) await login(a.email, `wrong-${i}`);
      expect(codeOf(await login(a.email, a.password))).toBe('ACCOUNT_LOCKED');
      // Let the lock run out (as if LOGIN_LOCKOUT_MINUTES had passed).
      await app.dataSource.query(`UPDATE agent SET locked_until = now() - interval '1 second' WHERE id = $1`, [a.id]);
      expect(codeOf(await login(a.email, 'one-more-typo'))).toBe('INVALID_CREDENTIALS');
      expect((await login(a.email, a.password)).errors).toBeUndefined();
    });

    it('rate-limits one client address that sprays failed sign-ins, but not other addresses', async () => {
      const sprayer = '203.0.113.7';
      const codes: string[] = [];
      for (let i = 0; i < 21; i++) {
        codes.push(String(codeOf(await login(`spray-${i}-${uid()}@example.test`, 'guess-password', sprayer))));
      }
      expect(codes.slice(0, 20).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
      expect(codes[20]).toBe('RATE_LIMITED');
      // even a correct password is refused from that address for now …
      const blocked = await login(app.admin.email, app.admin.password, sprayer);
      expect(codeOf(blocked)).toBe('RATE_LIMITED');
      expect(blocked.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
      // … while everyone else signs in normally
      expect((await login(app.admin.email, app.admin.password, '203.0.113.8')).errors).toBeUndefined();
    });

    it('does not rate-limit a team signing in successfully from one office address', async () => {
      const office = '198.51.100.20';
      const a = await newAgent();
      for (let i = 0; i < 25; i++) {
        const r = await login(a.email, a.password, office);
        expect(r.errors).toBeUndefined();
      }
    });

    it('logout revokes the session on the server, not only the cookie', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const out = await gql<{ logout: boolean }>('mutation { logout }', {}, { cookie });
      expect(out.data?.logout).toBe(true);
      expect(out.headers.get('set-cookie')).toMatch(/sori_session=;/);
      const me = await gql(ME, {}, { cookie });
      expect(codeOf(me)).toBe('UNAUTHENTICATED');
    });

    it('logout also closes the WebSockets opened with that session, not those of other sessions', async () => {
      const a = await newAgent();
      const first = (await login(a.email, a.password)).cookie;
      const second = (await login(a.email, a.password)).cookie;
      const wsFirst = await connectWs(app.url, { cookie: first });
      const wsSecond = await connectWs(app.url, { cookie: second });
      try {
        await gql('mutation { logout }', {}, { cookie: first });
        expect(await wsFirst.closed).toEqual({ code: 4403, reason: 'Signed out' });
        expect(await ping(wsSecond)).toEqual({ data: { __typename: 'Query' } });
      } finally {
        await Promise.all([wsFirst, wsSecond].map(async (c) => c.client.dispose()));
      }
    });

    it('an unknown or forged session cookie is not signed in', async () => {
      const me = await gql(ME, {}, { cookie: `sori_session=sess_${uid()}${uid()}` });
      expect(codeOf(me)).toBe('UNAUTHENTICATED');
      expect(codeOf(await gql(ME))).toBe('UNAUTHENTICATED');
    });
  });

  describe('API tokens', () => {
    it('shows the secret once; afterwards only its prefix is listed, and only a hash is stored', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const created = await createToken(cookie, ['read'], 'reporting');
      expect(created.token).toMatch(/^sori_pat_[A-Za-z0-9_-]{40,}$/);
      expect(created.token.startsWith(created.apiToken.prefix)).toBe(true);
      expect(created.apiToken.prefix.length).toBeLessThan(created.token.length - 20);

      const listed = await gql<{ apiTokens: Array<Record<string, unknown>> }>(
        `{ apiTokens { id name prefix scopes lastUsedAt revokedAt } }`,
        {},
        { cookie },
      );
      expect(listed.data?.apiTokens).toEqual([
        expect.objectContaining({ id: created.apiToken.id, name: 'reporting', prefix: created.apiToken.prefix }),
      ]);
      expect(JSON.stringify(listed.data)).not.toContain(created.token);
      const rows: Array<Record<string, unknown>> = await app.dataSource.query(
        `SELECT * FROM api_token WHERE agent_id = $1`,
        [a.id],
      );
      expect(JSON.stringify(rows)).not.toContain(created.token);
    });

    it('a read-scoped token can query but not mutate', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const { token } = await createToken(cookie, ['read']);
      const me = await gql<{ me: { id: string } }>(ME, {}, { token });
      expect(me.data?.me.id).toBe(a.id);
      const update = await gql(UPDATE_PROFILE, { i: { name: 'Changed by a read token' } }, { token });
      expect(codeOf(update)).toBe('FORBIDDEN');
      const status = await gql(`mutation { setMyStatus(status: away) { status } }`, {}, { token });
      expect(codeOf(status)).toBe('FORBIDDEN');
      const after = await gql<{ me: { name: string } }>(ME, {}, { cookie });
      expect(after.data?.me.name).not.toBe('Changed by a read token');
    });

    it('a read-scoped token cannot revoke tokens or change the password', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const read = await createToken(cookie, ['read']);
      const other = await createToken(cookie, ['read', 'write']);
      const revoke = await gql(
        `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
        { id: other.apiToken.id },
        { token: read.token },
      );
      expect(codeOf(revoke)).toBe('FORBIDDEN');
      expect((await gql(ME, {}, { token: other.token })).errors).toBeUndefined();
      const change = await gql(
        `mutation($i: ChangePasswordInput!) { changePassword(input: $i) }`,
        { i: { currentPassword: a.password, newPassword: 'a-brand-new-password' } },
        { token: read.token },
      );
      expect(codeOf(change)).toBe('FORBIDDEN');
      expect((await login(a.email, a.password)).errors).toBeUndefined();
    });

    it('a write-scoped token can mutate', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const { token } = await createToken(cookie, ['read', 'write']);
      const update = await gql<{ updateProfile: { name: string } }>(
        UPDATE_PROFILE,
        { i: { name: 'Renamed by token' } },
        { token },
      );
      expect(update.data?.updateProfile.name).toBe('Renamed by token');
    });

    it('tokens cannot mint more tokens', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const { token } = await createToken(cookie, ['read', 'write']);
      const r = await gql(CREATE_TOKEN, { i: { name: 'child', scopes: ['read'] } }, { token });
      expect(codeOf(r)).toBe('FORBIDDEN');
    });

    it('a revoked token stops working at once with UNAUTHENTICATED', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const { token, apiToken } = await createToken(cookie, ['read', 'write']);
      expect((await gql(ME, {}, { token })).errors).toBeUndefined();
      const revoked = await gql<{ revokeApiToken: { revokedAt: string | null } }>(
        `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`,
        { id: apiToken.id },
        { cookie },
      );
      expect(revoked.data?.revokeApiToken.revokedAt).toEqual(expect.any(String));
      const after = await gql(ME, {}, { token });
      expect(after.status).toBe(401);
      expect(codeOf(after)).toBe('UNAUTHENTICATED');
    });

    it('revoking a token closes the WebSockets opened with it, and only those', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const revoked = await createToken(cookie, ['read']);
      const kept = await createToken(cookie, ['read']);
      const wsRevoked = await connectWs(app.url, { token: revoked.token });
      const wsKept = await connectWs(app.url, { token: kept.token });
      const wsCookie = await connectWs(app.url, { cookie });
      try {
        await gql(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: revoked.apiToken.id }, { cookie });
        expect(await wsRevoked.closed).toEqual({ code: 4403, reason: 'Token revoked' });
        expect(await ping(wsKept)).toEqual({ data: { __typename: 'Query' } });
        expect(await ping(wsCookie)).toEqual({ data: { __typename: 'Query' } });
      } finally {
        await Promise.all([wsRevoked, wsKept, wsCookie].map(async (c) => c.client.dispose()));
      }
    });

    it("an agent cannot revoke someone else's token (it looks like it does not exist)", async () => {
      const owner = await newAgent();
      const ownerCookie = (await login(owner.email, owner.password)).cookie;
      const { token, apiToken } = await createToken(ownerCookie, ['read']);
      const other = await newAgent();
      const otherCookie = (await login(other.email, other.password)).cookie;
      const r = await gql(
        `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
        { id: apiToken.id },
        { cookie: otherCookie },
      );
      expect(codeOf(r)).toBe('API_TOKEN_NOT_FOUND');
      expect((await gql(ME, {}, { token })).errors).toBeUndefined();
    });

    it.each([
      ['a non-Bearer scheme', 'Basic YWRtaW46cGFzc3dvcmQ='],
      ['Bearer without a token', 'Bearer'],
      ['a token that was never issued', `Bearer sori_pat_${'x'.repeat(43)}`],
      ['something that is not a token', 'Bearer hello'],
    ])('a malformed Authorization header (%s) is UNAUTHENTICATED, not anonymous', async (_what, header) => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: header },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: Array<{ extensions: { code: string } }> };
      expect(res.status).toBe(401);
      expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data ?? null).toBeNull();
    });
  });

  describe('roles', () => {
    it('a viewer can read but cannot change anything beyond read tokens', async () => {
      const v = await newAgent('viewer');
      const { cookie } = await login(v.email, v.password);
      const agents = await gql<{ agents: Array<{ id: string }> }>(`{ agents { id } }`, {}, { cookie });
      expect(agents.data?.agents.map((x) => x.id)).toContain(v.id);
      expect(codeOf(await gql(CREATE_TOKEN, { i: { name: 'w', scopes: ['write'] } }, { cookie }))).toBe('FORBIDDEN');
      expect((await gql(CREATE_TOKEN, { i: { name: 'r', scopes: ['read'] } }, { cookie })).errors).toBeUndefined();
      expect(
        codeOf(await gql(`mutation { createGroup(input: { name: "Viewers club" }) { id } }`, {}, { cookie })),
      ).toBe('FORBIDDEN');
      const target = await newAgent();
      expect(
        codeOf(
          await gql(
            `mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { id } }`,
            { i: { id: target.id, role: 'admin' } },
            { cookie },
          ),
        ),
      ).toBe('FORBIDDEN');
    });

    it.each(['agent', 'viewer'] as const)('admin-only mutations are refused for a(n) %s', async (role) => {
      const a = await newAgent(role);
      const victim = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const invite = await gql(
        `mutation { inviteAgent(input: { email: "sneaky-${uid()}@example.test", role: admin }) { id } }`,
        {},
        { cookie },
      );
      expect(codeOf(invite)).toBe('FORBIDDEN');
      expect(
        codeOf(await gql(`mutation { createGroup(input: { name: "Shadow ${uid()}" }) { id } }`, {}, { cookie })),
      ).toBe('FORBIDDEN');
      const deactivate = await gql(
        `mutation($id: ID!) { deactivateAgent(id: $id) { id } }`,
        { id: victim.id },
        { cookie },
      );
      expect(codeOf(deactivate)).toBe('FORBIDDEN');
      expect(codeOf(await gql(`{ invitations { id } }`, {}, { cookie }))).toBe('FORBIDDEN');
      // nothing happened
      const victimLogin = await login(victim.email, victim.password);
      expect(victimLogin.errors).toBeUndefined();
    });

    it('an agent cannot promote themself', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const r = await gql(
        `mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { role } }`,
        { i: { id: a.id, role: 'admin' } },
        { cookie },
      );
      expect(codeOf(r)).toBe('FORBIDDEN');
      const me = await gql<{ me: { role: string } }>(`{ me { role } }`, {}, { cookie });
      expect(me.data?.me.role).toBe('agent');
    });
  });

  describe('changing rights', () => {
    it("closes an agent's open WebSockets when their role, ticket access or groups change, not on a rename", async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const { token } = await createToken(cookie, ['read', 'write']);
      const bystander = await newAgent();
      const bystanderWs = await connectWs(app.url, {
        cookie: (await login(bystander.email, bystander.password)).cookie,
      });
      const closedSoon = (ws: WsConnection) =>
        Promise.race([ws.closed, new Promise((r) => setTimeout(() => r('still open'), 3000))]);
      const UPDATE = `mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { id } }`;
      const group = await gql<{ createGroup: { id: string } }>(
        `mutation($n: String!) { createGroup(input: { name: $n }) { id } }`,
        { n: `Rights ${uid()}` },
        { cookie: adminCookie },
      );
      const groupId = group.data!.createGroup.id;
      const changes: Array<[string, Record<string, unknown>]> = [
        [UPDATE, { i: { id: a.id, ticketAccess: 'assigned' } }],
        [UPDATE, { i: { id: a.id, role: 'viewer' } }],
        [`mutation($g: ID!, $a: ID!) { addGroupMember(groupId: $g, agentId: $a) { id } }`, { g: groupId, a: a.id }],
        [`mutation($g: ID!) { deleteGroup(id: $g) }`, { g: groupId }],
      ];
      try {
        for (const [query, variables] of changes) {
          const ws = await connectWs(app.url, { token });
          const byCookie = await connectWs(app.url, { cookie });
          const renamed = await gql(UPDATE, { i: { id: a.id, name: `Renamed ${uid()}` } }, { cookie: adminCookie });
          expect(renamed.errors).toBeUndefined();
          expect(await ping(ws)).toEqual({ data: { __typename: 'Query' } });
          expect((await gql(query, variables, { cookie: adminCookie })).errors).toBeUndefined();
          expect(await closedSoon(ws)).toEqual({ code: 4403, reason: 'Permissions changed' });
          expect(await closedSoon(byCookie)).toEqual({ code: 4403, reason: 'Permissions changed' });
        }
        // a new socket works, with the new rights
        const again = await connectWs(app.url, { token });
        expect(await ping(again)).toEqual({ data: { __typename: 'Query' } });
        await again.client.dispose();
        expect(await ping(bystanderWs)).toEqual({ data: { __typename: 'Query' } });
      } finally {
        await bystanderWs.client.dispose();
      }
    });
  });

  describe('invitations', () => {
    const INVITE = `mutation($i: InviteAgentInput!) { inviteAgent(input: $i) { id email role acceptedAt } }`;
    const ACCEPT = `mutation($i: AcceptInvitationInput!) {
      acceptInvitation(input: $i) { agent { id email name role } csrfToken }
    }`;

    function inviteTokenFor(email: string): string {
      const mail = mailsTo(email, 'invitation').at(-1);
      expect(mail).toBeDefined();
      const m = /\/app\/invite\/([A-Za-z0-9_-]+)/.exec(mail!.text);
      expect(m).not.toBeNull();
      return m![1];
    }

    it('mails a link; accepting it creates the agent in the invited groups and signs them in; the link works once', async () => {
      const group = await gql<{ createGroup: { id: string } }>(
        `mutation($n: String!) { createGroup(input: { name: $n }) { id } }`,
        { n: `Billing ${uid()}` },
        { cookie: adminCookie },
      );
      const groupId = group.data!.createGroup.id;
      const email = `invitee-${uid()}@example.test`;
      const invited = await gql<{ inviteAgent: { email: string; role: string; acceptedAt: null } }>(
        INVITE,
        { i: { email, name: 'Ji-woo', role: 'agent', groupIds: [groupId] } },
        { cookie: adminCookie },
      );
      expect(invited.errors).toBeUndefined();
      expect(invited.data?.inviteAgent).toMatchObject({ email, role: 'agent', acceptedAt: null });
      const token = inviteTokenFor(email);

      const accepted = await gql<{
        acceptInvitation: { agent: { id: string; email: string; name: string; role: string } };
      }>(ACCEPT, { i: { token, name: '김지우', password: 'correct horse battery' } });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data?.acceptInvitation.agent).toMatchObject({ email, name: '김지우', role: 'agent' });
      const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0];
      expect(cookie).toMatch(/^sori_session=sess_/);

      const me = await gql<{ me: { email: string; groups: Array<{ id: string }> } }>(
        `{ me { email groups { id } } }`,
        {},
        { cookie },
      );
      expect(me.data?.me).toEqual({ email, groups: [{ id: groupId }] });
      expect((await login(email, 'correct horse battery')).errors).toBeUndefined();

      const again = await gql(ACCEPT, { i: { token, name: 'Impostor', password: 'another password!' } });
      expect(codeOf(again)).toBe('INVALID_TOKEN');
      expect(again.headers.get('set-cookie')).toBeNull();

      const list = await gql<{ invitations: Array<{ email: string; acceptedAt: string | null }> }>(
        `{ invitations { email acceptedAt } }`,
        {},
        { cookie: adminCookie },
      );
      expect(list.data?.invitations.find((i) => i.email === email)?.acceptedAt).toEqual(expect.any(String));
    });

    it('an invitation rejected for a weak password can still be accepted afterwards', async () => {
      const email = `invitee-${uid()}@example.test`;
      await gql(INVITE, { i: { email, role: 'viewer' } }, { cookie: adminCookie });
      const token = inviteTokenFor(email);
      const weak = await gql(ACCEPT, { i: { token, name: 'Weak', password: 'short' } });
      expect(codeOf(weak)).toBe('VALIDATION_FAILED');
      const ok = await gql<{ acceptInvitation: { agent: { role: string } } }>(ACCEPT, {
        i: { token, name: 'Strong', password: 'long enough password' },
      });
      expect(ok.data?.acceptInvitation.agent.role).toBe('viewer');
    });

    it('a made-up invitation token is INVALID_TOKEN', async () => {
      const r = await gql(ACCEPT, {
        i: { token: `inv_${uid()}${uid()}${uid()}`, name: 'X', password: 'long enough password' },
      });
      expect(codeOf(r)).toBe('INVALID_TOKEN');
    });

    it('inviting an existing agent is ALREADY_EXISTS and sends no mail', async () => {
      const a = await newAgent();
      const before = mailsTo(a.email, 'invitation').length;
      const r = await gql(INVITE, { i: { email: a.email.toUpperCase(), role: 'agent' } }, { cookie: adminCookie });
      expect(codeOf(r)).toBe('ALREADY_EXISTS');
      expect(mailsTo(a.email, 'invitation')).toHaveLength(before);
    });
  });

  describe('password reset', () => {
    const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
    const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }`;

    function resetTokenFor(email: string): string {
      const mail = mailsTo(email, 'password_reset').at(-1);
      expect(mail).toBeDefined();
      const m = /\/app\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail!.text);
      expect(m).not.toBeNull();
      return m![1];
    }

    it('answers true for an unknown email and sends nothing', async () => {
      const outbox = app.app.get(MailService).outbox;
      const before = outbox.length;
      const r = await gql<{ requestPasswordReset: boolean }>(REQUEST, { e: `ghost-${uid()}@example.test` });
      expect(r.data?.requestPasswordReset).toBe(true);
      expect(outbox).toHaveLength(before);
    });

    it('a reset link sets a new password once, signs out every session (API tokens stay) and clears a lockout', async () => {
      const a = await newAgent();
      const first = (await login(a.email, a.password)).cookie;
      const second = (await login(a.email, a.password)).cookie;
      const apiToken = (await createToken(first, ['read'])).token;
      const wsSession = await connectWs(app.url, { cookie: second });
      const wsToken = await connectWs(app.url, { token: apiToken });
      for (let i = 0; i < 3; i++) await login(a.email, `wrong-${i}`);
      expect(codeOf(await login(a.email, a.password))).toBe('ACCOUNT_LOCKED');

      const r = await gql<{ requestPasswordReset: boolean }>(REQUEST, { e: a.email });
      expect(r.data?.requestPasswordReset).toBe(true);
      const token = resetTokenFor(a.email);
      const newPassword = `new-password-${uid()}`;
      const reset = await gql<{ resetPassword: boolean }>(RESET, { i: { token, password: newPassword } });
      expect(reset.errors).toBeUndefined();
      expect(reset.data?.resetPassword).toBe(true);

      expect(codeOf(await gql(ME, {}, { cookie: first }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await gql(ME, {}, { cookie: second }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login(a.email, a.password))).toBe('INVALID_CREDENTIALS');
      const fresh = await login(a.email, newPassword);
      expect(fresh.errors).toBeUndefined();

      expect(await wsSession.closed).toEqual({ code: 4403, reason: 'Signed out' });
      expect(await ping(wsToken)).toEqual({ data: { __typename: 'Query' } });
      await wsToken.client.dispose();

      const reuse = await gql(RESET, { i: { token, password: 'yet another password' } });
      expect(codeOf(reuse)).toBe('INVALID_TOKEN');
      expect((await login(a.email, newPassword)).errors).toBeUndefined();
    });

    it('a deactivated agent gets no reset mail', async () => {
      const a = await newAgent();
      await gql(`mutation($id: ID!) { deactivateAgent(id: $id) { id } }`, { id: a.id }, { cookie: adminCookie });
      const r = await gql<{ requestPasswordReset: boolean }>(REQUEST, { e: a.email });
      expect(r.data?.requestPasswordReset).toBe(true);
      expect(mailsTo(a.email, 'password_reset')).toHaveLength(0);
    });
  });

  describe('deactivation', () => {
    const DEACTIVATE = `mutation($id: ID!) { deactivateAgent(id: $id) { id isActive } }`;

    it('cuts off the session, the API tokens and the open WebSockets of the agent at once', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const { token } = await createToken(cookie, ['read', 'write']);
      const byToken = await connectWs(app.url, { token });
      const byCookie = await connectWs(app.url, { cookie });
      const bystander = await newAgent();
      const bystanderWs = await connectWs(app.url, {
        cookie: (await login(bystander.email, bystander.password)).cookie,
      });
      try {
        expect((await gql(ME, {}, { cookie })).errors).toBeUndefined();
        expect((await gql(ME, {}, { token })).errors).toBeUndefined();

        const r = await gql<{ deactivateAgent: { isActive: boolean } }>(
          DEACTIVATE,
          { id: a.id },
          { cookie: adminCookie },
        );
        expect(r.data?.deactivateAgent.isActive).toBe(false);

        expect(codeOf(await gql(ME, {}, { cookie }))).toBe('UNAUTHENTICATED');
        expect(codeOf(await gql(ME, {}, { token }))).toBe('UNAUTHENTICATED');
        expect((await byToken.closed).code).toBe(4403);
        expect((await byCookie.closed).code).toBe(4403);

        expect(codeOf(await login(a.email, a.password))).toBe('ACCOUNT_DEACTIVATED');
        // a wrong password does not reveal that the account exists but is deactivated
        expect(codeOf(await login(a.email, 'wrong password'))).toBe('INVALID_CREDENTIALS');
        // and a new socket is refused
        await expect(connectWs(app.url, { token })).rejects.toMatchObject({ code: 4403 });

        // the bystander's socket is untouched
        expect(await ping(bystanderWs)).toEqual({ data: { __typename: 'Query' } });
      } finally {
        await byToken.client.dispose();
        await byCookie.client.dispose();
        await bystanderWs.client.dispose();
      }
    });

    it('lists deactivated agents only when an admin asks for them; reactivation lets them sign in again', async () => {
      const a = await newAgent();
      await gql(DEACTIVATE, { id: a.id }, { cookie: adminCookie });
      const active = await gql<{ agents: Array<{ id: string }> }>(`{ agents { id } }`, {}, { cookie: adminCookie });
      expect(active.data?.agents.map((x) => x.id)).not.toContain(a.id);
      const all = await gql<{ agents: Array<{ id: string; isActive: boolean }> }>(
        `{ agents(includeInactive: true) { id isActive } }`,
        {},
        { cookie: adminCookie },
      );
      expect(all.data?.agents).toContainEqual({ id: a.id, isActive: false });

      const re = await gql<{ reactivateAgent: { isActive: boolean } }>(
        `mutation($id: ID!) { reactivateAgent(id: $id) { isActive } }`,
        { id: a.id },
        { cookie: adminCookie },
      );
      expect(re.data?.reactivateAgent.isActive).toBe(true);
      expect((await login(a.email, a.password)).errors).toBeUndefined();
    });

    it('an admin cannot deactivate themself', async () => {
      const me = await gql<{ me: { id: string } }>(ME, {}, { cookie: adminCookie });
      const r = await gql(DEACTIVATE, { id: me.data!.me.id }, { cookie: adminCookie });
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect((await gql(ME, {}, { cookie: adminCookie })).errors).toBeUndefined();
    });

    it('the last active admin cannot be demoted; with a second admin the first can be deactivated', async () => {
      const me = await gql<{ me: { id: string } }>(ME, {}, { cookie: adminCookie });
      const admins = await gql<{ agents: Array<{ id: string; role: string }> }>(
        `{ agents { id role } }`,
        {},
        { cookie: adminCookie },
      );
      expect(admins.data?.agents.filter((x) => x.role === 'admin')).toEqual([{ id: me.data!.me.id, role: 'admin' }]);
      const demote = await gql(
        `mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { role } }`,
        { i: { id: me.data!.me.id, role: 'agent' } },
        { cookie: adminCookie },
      );
      expect(codeOf(demote)).toBe('CONFLICT');

      const second = await newAgent('admin');
      const secondCookie = (await login(second.email, second.password)).cookie;
      const r = await gql<{ deactivateAgent: { isActive: boolean } }>(
        DEACTIVATE,
        { id: second.id },
        { cookie: adminCookie },
      );
      expect(r.data?.deactivateAgent.isActive).toBe(false);
      expect(codeOf(await gql(ME, {}, { cookie: secondCookie }))).toBe('UNAUTHENTICATED');
    });

    it('deactivating an unknown agent is AGENT_NOT_FOUND', async () => {
      const r = await gql(DEACTIVATE, { id: randomUUID() }, { cookie: adminCookie });
      expect(codeOf(r)).toBe('AGENT_NOT_FOUND');
    });
  });

  describe('groups', () => {
    it('creates, renames, fills, empties and deletes a group; agents list their groups', async () => {
      const a = await newAgent();
      const b = await newAgent();
      const name = `Tier 2 ${uid()}`;
      const created = await gql<{ createGroup: { id: string; name: string; description: string } }>(
        `mutation($n: String!) { createGroup(input: { name: $n, description: "Hard cases" }) { id name description } }`,
        { n: name },
        { cookie: adminCookie },
      );
      expect(created.data?.createGroup).toMatchObject({ name, description: 'Hard cases' });
      const id = created.data!.createGroup.id;

      const dup = await gql(
        `mutation($n: String!) { createGroup(input: { name: $n }) { id } }`,
        { n: name.toUpperCase() },
        { cookie: adminCookie },
      );
      expect(codeOf(dup)).toBe('ALREADY_EXISTS');

      const renamed = await gql<{ updateGroup: { name: string } }>(
        `mutation($i: UpdateGroupInput!) { updateGroup(input: $i) { name } }`,
        { i: { id, name: `${name} (KR)` } },
        { cookie: adminCookie },
      );
      expect(renamed.data?.updateGroup.name).toBe(`${name} (KR)`);

      for (const agentId of [a.id, b.id]) {
        const r = await gql(
          `mutation($g: ID!, $a: ID!) { addGroupMember(groupId: $g, agentId: $a) { id } }`,
          { g: id, a: agentId },
          { cookie: adminCookie },
        );
        expect(r.errors).toBeUndefined();
      }
      // adding twice is harmless
      await gql(
        `mutation($g: ID!, $a: ID!) { addGroupMember(groupId: $g, agentId: $a) { id } }`,
        { g: id, a: a.id },
        {
          cookie: adminCookie,
        },
      );

      const group = await gql<{ group: { members: Array<{ id: string }> } }>(
        `query($id: ID!) { group(id: $id) { members { id } } }`,
        { id },
        { cookie: adminCookie },
      );
      expect(group.data?.group.members.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());

      const agents = await gql<{ agents: Array<{ id: string; groups: Array<{ name: string }> }> }>(
        `{ agents { id groups { name } } }`,
        {},
        { cookie: adminCookie },
      );
      expect(agents.data?.agents.find((x) => x.id === a.id)?.groups).toEqual([{ name: `${name} (KR)` }]);

      await gql(
        `mutation($g: ID!, $a: ID!) { removeGroupMember(groupId: $g, agentId: $a) { id } }`,
        { g: id, a: a.id },
        {
          cookie: adminCookie,
        },
      );
      const afterRemove = await gql<{ group: { members: Array<{ id: string }> } }>(
        `query($id: ID!) { group(id: $id) { members { id } } }`,
        { id },
        { cookie: adminCookie },
      );
      expect(afterRemove.data?.group.members.map((m) => m.id)).toEqual([b.id]);

      const del = await gql<{ deleteGroup: boolean }>(
        `mutation($id: ID!) { deleteGroup(id: $id) }`,
        { id },
        { cookie: adminCookie },
      );
      expect(del.data?.deleteGroup).toBe(true);
      expect(codeOf(await gql(`query($id: ID!) { group(id: $id) { id } }`, { id }, { cookie: adminCookie }))).toBe(
        'GROUP_NOT_FOUND',
      );
      const bAfter = await gql<{ agent: { groups: unknown[] } }>(
        `query($id: ID!) { agent(id: $id) { groups { name } } }`,
        { id: b.id },
        { cookie: adminCookie },
      );
      expect(bAfter.data?.agent.groups).toEqual([]);
    });

    it('membership changes on unknown groups or agents say which one is missing', async () => {
      const a = await newAgent();
      const g = await gql<{ createGroup: { id: string } }>(
        `mutation($n: String!) { createGroup(input: { name: $n }) { id } }`,
        { n: `G ${uid()}` },
        { cookie: adminCookie },
      );
      const add = `mutation($g: ID!, $a: ID!) { addGroupMember(groupId: $g, agentId: $a) { id } }`;
      expect(codeOf(await gql(add, { g: randomUUID(), a: a.id }, { cookie: adminCookie }))).toBe('GROUP_NOT_FOUND');
      expect(codeOf(await gql(add, { g: g.data!.createGroup.id, a: randomUUID() }, { cookie: adminCookie }))).toBe(
        'AGENT_NOT_FOUND',
      );
    });

    it('a new agent created into groups is a member right away, and non-admins can read groups', async () => {
      const g = await gql<{ createGroup: { id: string; name: string } }>(
        `mutation($n: String!) { createGroup(input: { name: $n }) { id name } }`,
        { n: `Night shift ${uid()}` },
        { cookie: adminCookie },
      );
      const a = await newAgent('viewer', [g.data!.createGroup.id]);
      const { cookie } = await login(a.email, a.password);
      const groups = await gql<{ groups: Array<{ id: string; members: Array<{ id: string }> }> }>(
        `{ groups { id members { id } } }`,
        {},
        { cookie },
      );
      expect(groups.data?.groups.find((x) => x.id === g.data!.createGroup.id)?.members).toEqual([{ id: a.id }]);
    });
  });

  describe('cross-site request forgery', () => {
    async function send(init: { method: string; headers?: Record<string, string>; body?: string }, path = '/graphql') {
      const res = await fetch(`${app.url}${path}`, init);
      const text = await res.text();
      let body: { errors?: Array<{ extensions?: { code?: string } }> } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // not JSON: asserted by the caller through the status
      }
      return { status: res.status, body };
    }

    it('refuses a WebSocket that a page of another origin opens with the session cookie', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      await expect(connectWs(app.url, { cookie, origin: 'https://evil.example' })).rejects.toMatchObject({
        code: 4403,
      });
      await expect(connectWs(app.url, { cookie, origin: 'null' })).rejects.toMatchObject({ code: 4403 });
      // our own pages, clients without an Origin (they hold the cookie themselves) and tokens are fine
      const own = await connectWs(app.url, { cookie, origin: app.url });
      const noOrigin = await connectWs(app.url, { cookie });
      const { token } = await createToken(cookie, ['read']);
      const byToken = await connectWs(app.url, { token, origin: 'https://integration.example' });
      for (const ws of [own, noOrigin, byToken]) {
        expect(await ping(ws)).toEqual({ data: { __typename: 'Query' } });
        await ws.client.dispose();
      }
    });

    it('refuses a cookie-authenticated "simple" POST (text/plain, form) that a foreign page could send', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const mutation = JSON.stringify({ query: `mutation { updateProfile(input: { name: "Pwned" }) { name } }` });
      for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
        const r = await send({ method: 'POST', headers: { 'content-type': contentType, cookie }, body: mutation });
        expect(r.status).toBe(400);
        expect(r.body.errors?.[0].extensions?.code).toBe('CSRF_FAILED');
      }
      const me = await gql<{ me: { name: string } }>(ME, {}, { cookie });
      expect(me.data?.me.name).not.toBe('Pwned');
    });

    it('refuses a cookie-authenticated GET without a preflight header, and never runs mutations over GET', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const q = encodeURIComponent('{ me { id } }');
      const get = await send({ method: 'GET', headers: { cookie } }, `/graphql?query=${q}`);
      expect(get.status).toBe(400);
      expect(get.body.errors?.[0].extensions?.code).toBe('CSRF_FAILED');

      const m = encodeURIComponent('mutation { updateProfile(input: { name: "Pwned via GET" }) { name } }');
      const getMutation = await send(
        { method: 'GET', headers: { cookie, 'apollo-require-preflight': 'true' } },
        `/graphql?query=${m}`,
      );
      expect(getMutation.status).toBeGreaterThanOrEqual(400);
      const me = await gql<{ me: { name: string } }>(ME, {}, { cookie });
      expect(me.data?.me.name).not.toBe('Pwned via GET');
    });

    it('still serves a JSON POST and a GET query with the preflight header', async () => {
      const a = await newAgent();
      const { cookie } = await login(a.email, a.password);
      const q = encodeURIComponent('{ me { id } }');
      const get = await fetch(`${app.url}/graphql?query=${q}`, {
        headers: { cookie, 'apollo-require-preflight': 'true' },
      });
      expect(get.status).toBe(200);
      expect(await get.json()).toEqual({ data: { me: { id: a.id } } });
    });
  });
});

describe('session cookie over HTTPS', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ BASE_URL: 'https://help.example.test' });
  });
  afterAll(async () => app.stop());

  it('is marked Secure when Sori is served over https', async () => {
    const r = await app.gql(LOGIN, { i: { email: app.admin.email, password: app.admin.password } });
    expect(r.errors).toBeUndefined();
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
  });
});

describe('the last administrator under concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.stop());

  it('two admins demoting or deactivating each other at the same moment leave one admin', async () => {
    const agents = app.app.get(AgentsService);
    const first = (await agents.list(SYSTEM_ACTOR)).find((a) => a.role === 'admin')!;
    const firstCookie = await app.login(app.admin.email, app.admin.password);
    const UPDATE = `mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { id } }`;
    const DEACTIVATE = `mutation($id: ID!) { deactivateAgent(id: $id) { id } }`;
    for (let round = 0; round < 4; round++) {
      const password = `secret-${uid()}-${uid()}`;
      const email = `admin-${uid()}@example.test`;
      const second = await agents.create(SYSTEM_ACTOR, { email, name: 'Second', role: 'admin', password });
      const secondCookie = await app.login(email, password);
      const results = await Promise.all(
        round % 2
          ? [
              app.gql(UPDATE, { i: { id: second.id, role: 'agent' } }, { cookie: firstCookie }),
              app.gql(UPDATE, { i: { id: first.id, role: 'agent' } }, { cookie: secondCookie }),
            ]
          : [
              app.gql(DEACTIVATE, { id: second.id }, { cookie: firstCookie }),
              app.gql(UPDATE, { i: { id: first.id, role: 'viewer' } }, { cookie: secondCookie }),
            ],
      );
      const [{ n }] = await app.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM agent WHERE role = 'admin' AND is_active`,
      );
      expect(n).toBe(1);
      // the loser is refused: CONFLICT (last admin), or FORBIDDEN when it was already demoted as it came in
      const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok').sort();
      expect(['CONFLICT', 'FORBIDDEN']).toContain(codes[0]);
      expect(codes[1]).toBe('ok');
      // put the first admin back in charge for the next round
      await agents.update(SYSTEM_ACTOR, { id: first.id, role: 'admin' });
      await app.dataSource.query(`UPDATE agent SET role = 'agent' WHERE id = $1`, [second.id]);
    }
  });
});
