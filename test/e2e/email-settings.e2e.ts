import { InboundRepository } from '../../src/channels/email/inbound/inbound.repository';
import { IntakeService } from '../../src/channels/email/inbound/intake.service';
import { factories, type AgentWithCredentials } from '../factories';
import { pageSession, postForms, type PageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MAILBOX_FORM = {
  address: 'Help@Acme.test',
  name: 'Acme Help',
  senderName: 'Acme Support',
  signature: 'The Acme team',
  locale: 'ko',
  subjectTag: '[Acme #{number}]',
  ackEnabled: '1',
  quoteHistory: '1',
  brandColor: '#0f766e',
  smtpHost: 'smtp.acme.test',
  smtpPort: '587',
  smtpSecurity: 'starttls',
  smtpUser: 'help@acme.test',
  smtpPassword: 'smtp-secret-4711',
  imapHost: 'imap.acme.test',
  imapPort: '993',
  imapTls: '1',
  imapUser: 'help@acme.test',
  imapPassword: 'imap-secret-0815',
  imapFolder: 'INBOX',
  imapAfterFetch: 'seen',
};

/** Settings → Channels → Email without a browser: admins only, CSRF on every form, passwords write-only. */
describe('email settings pages', () => {
  let app: TestApp;
  let admin: PageSession;
  let agentSession: PageSession;
  let agent: AgentWithCredentials;
  let failedId: number;

  beforeAll(async () => {
    app = await startTestApp();
    const f = factories(app.app);
    const a = await f.agent({ role: 'admin' });
    agent = await f.agent({ role: 'agent' });
    admin = await pageSession(app, a.agent.email, a.password);
    agentSession = await pageSession(app, agent.agent.email, agent.password);
    failedId = (
      await app.app.get(IntakeService).store({ raw: Buffer.from('not a mail'), source: 'webhook', mailboxId: null })
    ).id;
    await app.app.get(InboundRepository).markFailed(failedId, 'parse: no header block');
  }, 60000);
  afterAll(async () => app?.stop());

  const mailboxRow = async () =>
    (
      await app.dataSource.query<
        Array<
          { id: string; smtp_password_enc: string | null; imap_password_enc: string | null } & Record<string, unknown>
        >
      >(`SELECT * FROM email_mailbox WHERE address = 'help@acme.test'`)
    )[0];

  it('creates a mailbox from the form and shows the webhook secret once, never the passwords', async () => {
    const res = await admin.post('/app/settings/email', MAILBOX_FORM);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<code>[A-Za-z0-9_-]{20,}<\/code>/);
    expect(html).not.toContain('smtp-secret-4711');
    expect(html).not.toContain('imap-secret-0815');
    const row = await mailboxRow();
    expect(row).toMatchObject({
      name: 'Acme Help',
      sender_name: 'Acme Support',
      locale: 'ko',
      subject_tag: '[Acme #{number}]',
      ack_enabled: true,
      reply_to_token: false,
      brand_color: '#0f766e',
      smtp_host: 'smtp.acme.test',
      smtp_port: 587,
      imap_enabled: false,
      imap_host: 'imap.acme.test',
    });
    expect(row.smtp_password_enc).toBeTruthy();
    expect(row.smtp_password_enc).not.toContain('smtp-secret-4711');
  });

  it('lists the mailbox and edits it, keeping a stored password when the field is left empty', async () => {
    const list = await (await admin.get('/app/settings/email')).text();
    expect(list).toContain('Acme Help');
    expect(list).toContain('help@acme.test');
    const { id, smtp_password_enc: before } = await mailboxRow();
    const edit = await (await admin.get(`/app/settings/email/${id}`)).text();
    expect(edit).not.toContain('smtp-secret-4711');
    expect(edit).toContain('name="smtpPasswordClear"');
    const saved = await admin.post(`/app/settings/email/${id}`, {
      ...MAILBOX_FORM,
      name: 'Acme Help Desk',
      smtpPassword: '',
      imapPassword: '',
      ackEnabled: [],
      isActive: '1',
      imapEnabled: '1',
    });
    expect(saved.status).toBe(303);
    const row = await mailboxRow();
    expect(row).toMatchObject({ name: 'Acme Help Desk', ack_enabled: false, imap_enabled: true, is_active: true });
    expect(row.smtp_password_enc).toBe(before);
    await admin.post(`/app/settings/email/${id}`, { ...MAILBOX_FORM, isActive: '1', smtpPasswordClear: '1' });
    expect((await mailboxRow()).smtp_password_enc).toBeNull();
  });

  it('refuses an invalid mailbox with a message and changes nothing', async () => {
    const res = await admin.post('/app/settings/email', {
      ...MAILBOX_FORM,
      address: 'not-an-address',
      _back: '/app/settings/email/new',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/settings/email/new');
    expect(res.headers.get('set-cookie')).toContain('sori_flash');
    const count = await app.dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM email_mailbox`);
    expect(Number(count[0].n)).toBe(1);
  });

  it('lists failed mails with the error, a retry form and the raw download link', async () => {
    const html = await (await admin.get('/app/settings/email/failed')).text();
    expect(html).toContain('parse: no header block');
    expect(html).toContain(`href="/email/inbound/${failedId}/raw"`);
    expect(postForms(html)).toContainEqual({ action: `/app/settings/email/failed/${failedId}/retry`, hasCsrf: true });
    const retried = await admin.post(`/app/settings/email/failed/${failedId}/retry`, {});
    expect(retried.status).toBe(303);
    const [{ status, retry_count }] = await app.dataSource.query<Array<{ status: string; retry_count: number }>>(
      `SELECT status, retry_count FROM email_inbound WHERE id = $1`,
      [failedId],
    );
    expect({ status, retry_count }).toEqual({ status: 'received', retry_count: 1 });
  });

  it('puts the CSRF token on every form and refuses posts without it', async () => {
    const { id } = await mailboxRow();
    for (const path of ['/app/settings/email/new', `/app/settings/email/${id}`, '/app/settings/email/failed']) {
      const html = await (await admin.get(path)).text();
      for (const form of postForms(html))
        expect(`${path} ${form.action}: ${form.hasCsrf}`).toBe(`${path} ${form.action}: true`);
    }
    const res = await admin.post(
      '/app/settings/email',
      { ...MAILBOX_FORM, address: 'csrf@acme.test' },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect(await app.dataSource.query(`SELECT 1 FROM email_mailbox WHERE address = 'csrf@acme.test'`)).toEqual([]);
  });

  it('is for admins only', async () => {
    const { id } = await mailboxRow();
    for (const path of [
      '/app/settings/email',
      '/app/settings/email/new',
      `/app/settings/email/${id}`,
      '/app/settings/email/failed',
    ]) {
      expect(`${path}: ${(await agentSession.get(path)).status}`).toBe(`${path}: 403`);
    }
    const res = await agentSession.post(`/app/settings/email/${id}`, {
      ...MAILBOX_FORM,
      name: 'Hijacked',
      isActive: '1',
    });
    expect(res.status).toBe(303);
    expect((await mailboxRow()).name).toBe('Acme Help');
  });
});
