import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

const FIELDS = `id address name senderName locale subjectTag ackEnabled brandColor isDefault
  smtp { host port security user hasPassword } imap { enabled host user hasPassword folder } webhookUrl`;
const CREATE = `mutation($i: CreateMailboxInput!) { createMailbox(input: $i) { mailbox { ${FIELDS} } webhookSecret } }`;
const UPDATE = `mutation($i: UpdateMailboxInput!) { updateMailbox(input: $i) { ${FIELDS} } }`;
const ROTATE = `mutation($id: ID!) { rotateMailboxWebhookSecret(id: $id) { webhookSecret } }`;
const DELETE = `mutation($id: ID!) { deleteMailbox(id: $id) }`;

interface MailboxView {
  id: string;
  address: string;
  smtp: { hasPassword: boolean } | null;
  imap: { hasPassword: boolean } | null;
}

/** The mailbox admin mutations: validation, admins only, secrets never given back. */
describe('mailbox admin over GraphQL', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin' });
    agent = await factories(app.app).agent({ role: 'agent' });
  }, 60000);
  afterAll(async () => app?.stop());

  const valid = {
    address: 'Help@Acme.test',
    name: 'Acme Help',
    smtp: { host: 'smtp.acme.test', port: 587, security: 'starttls', user: 'help', password: 'smtp-pass-1234' },
    imap: { enabled: true, host: 'imap.acme.test', user: 'help', password: 'imap-pass-5678' },
  };

  it('creates a mailbox, returns the webhook secret once and never a password', async () => {
    const r = await app.gql<{ createMailbox: { mailbox: MailboxView; webhookSecret: string } }>(
      CREATE,
      { i: valid },
      { token: admin.token },
    );
    expect(r.errors).toBeUndefined();
    const { mailbox, webhookSecret } = r.data!.createMailbox;
    expect(mailbox).toMatchObject({
      address: 'help@acme.test',
      smtp: { hasPassword: true },
      imap: { hasPassword: true },
    });
    expect(webhookSecret.length).toBeGreaterThanOrEqual(20);
    const body = JSON.stringify(r.data);
    expect(body).not.toContain('smtp-pass-1234');
    expect(body).not.toContain('imap-pass-5678');
    const listed = await app.gql(`{ mailboxes { ${FIELDS} } }`, {}, { token: admin.token });
    expect(JSON.stringify(listed.data)).not.toMatch(/smtp-pass-1234|imap-pass-5678|webhookSecret/);
    // the schema has no way to read a secret back
    const types = await app.gql<{ __type: { fields: Array<{ name: string }> } }>(
      `{ __type(name: "Mailbox") { fields { name } } }`,
    );
    expect(types.data!.__type.fields.map((f) => f.name).filter((n) => /password|secret/i.test(n))).toEqual([]);
  });

  it('keeps a stored password when an update leaves it out and removes it with null', async () => {
    const [{ id }] = await app.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM email_mailbox WHERE address = 'help@acme.test'`,
    );
    const kept = await app.gql<{ updateMailbox: MailboxView }>(
      UPDATE,
      { i: { id, smtp: { host: 'smtp2.acme.test', port: 465, security: 'tls', user: 'help' } } },
      { token: admin.token },
    );
    expect(kept.errors).toBeUndefined();
    expect(kept.data!.updateMailbox.smtp).toMatchObject({ hasPassword: true });
    const removed = await app.gql<{ updateMailbox: MailboxView }>(
      UPDATE,
      { i: { id, smtp: { host: 'smtp2.acme.test', port: 465, security: 'tls', user: 'help', password: null } } },
      { token: admin.token },
    );
    expect(removed.data!.updateMailbox.smtp).toMatchObject({ hasPassword: false });
  });

  it.each([
    ['an address that is not one', { address: 'not an address' }],
    ['an empty name', { name: '' }],
    ['a brand colour that is not #rrggbb', { address: 'c@acme.test', brandColor: 'red' }],
    ['an SMTP port out of range', { address: 'p@acme.test', smtp: { host: 'smtp.acme.test', port: 70000 } }],
    ['an unknown group', { address: 'g@acme.test', groupId: '00000000-0000-4000-8000-000000000000' }],
  ])('refuses %s with a validation error', async (_, change) => {
    const r = await app.gql(CREATE, { i: { ...valid, ...change } }, { token: admin.token });
    expect(r.errors?.[0]?.extensions?.code).toMatch(/VALIDATION_FAILED|BAD_USER_INPUT|NOT_FOUND/);
    expect(r.data).toBeNull();
  });

  it('refuses a second mailbox with the same address', async () => {
    const r = await app.gql(CREATE, { i: { ...valid, address: 'HELP@acme.test' } }, { token: admin.token });
    expect(r.errors?.[0]?.extensions?.code).toBe('ALREADY_EXISTS');
  });

  it('refuses every admin mutation to agents', async () => {
    const [{ id }] = await app.dataSource.query<Array<{ id: string }>>(`SELECT id FROM email_mailbox LIMIT 1`);
    for (const [query, variables] of [
      [CREATE, { i: { ...valid, address: 'agent@acme.test' } }],
      [UPDATE, { i: { id, name: 'Hijacked' } }],
      [ROTATE, { id }],
      [DELETE, { id }],
    ] as const) {
      const r = await app.gql(query, variables, { token: agent.token });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const [{ name }] = await app.dataSource.query<Array<{ name: string }>>(
      `SELECT name FROM email_mailbox WHERE id = $1`,
      [id],
    );
    expect(name).toBe('Acme Help');
  });
});
