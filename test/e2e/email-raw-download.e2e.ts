import { InboundRepository } from '../../src/channels/email/inbound/inbound.repository';
import { IntakeService } from '../../src/channels/email/inbound/intake.service';
import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Admins download a received mail byte for byte; nobody else learns whether it exists. */
describe('GET /email/inbound/:id/raw', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;
  let mailId: number;
  // raw 8-bit windows-1252 and EUC-KR bytes: the download must not re-encode anything
  const raw = Buffer.concat([
    Buffer.from('From: "Ren'),
    Buffer.from([0xe9]),
    Buffer.from('" <rene@example.fr>\r\nTo: support@acme.test\r\nSubject: '),
    Buffer.from([0xb0, 0xe1, 0xc1, 0xa6, 0x20, 0x93, 0x80, 0x94]),
    Buffer.from(
      '\r\nMessage-ID: <raw-download-1@example.fr>\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n',
    ),
  ]);

  beforeAll(async () => {
    app = await startTestApp();
    const f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
    agent = await f.agent({ role: 'agent' });
    const stored = await app.app.get(IntakeService).store({ raw, source: 'smtp', mailboxId: null });
    mailId = stored.id;
    await app.app.get(InboundRepository).markFailed(mailId, 'parse: truncated multipart');
  }, 60000);
  afterAll(async () => app?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });

  it('gives an admin with an API token the exact bytes as a message/rfc822 attachment', async () => {
    const res = await get(`/email/inbound/${mailId}/raw`, { authorization: `Bearer ${admin.token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="mail-${mailId}.eml"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(raw)).toBe(true);
  });

  it('works with an admin’s session cookie, as the failed-mails page links it', async () => {
    const cookie = await app.login(admin.agent.email, admin.password);
    const res = await get(`/email/inbound/${mailId}/raw`, { cookie });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(raw)).toBe(true);
  });

  it('answers a non-admin 403 alike for a mail that exists and one that does not', async () => {
    const cookie = await app.login(agent.agent.email, agent.password);
    const auths: Array<Record<string, string>> = [{ authorization: `Bearer ${agent.token}` }, { cookie }];
    for (const auth of auths) {
      const existing = await get(`/email/inbound/${mailId}/raw`, auth);
      const missing = await get(`/email/inbound/${mailId + 1000}/raw`, auth);
      expect([existing.status, missing.status]).toEqual([403, 403]);
      expect(await existing.text()).toBe(await missing.text());
    }
  });

  it('refuses anonymous callers and answers admins 404 for unknown or malformed ids', async () => {
    expect((await get(`/email/inbound/${mailId}/raw`)).status).toBe(401);
    const auth = { authorization: `Bearer ${admin.token}` };
    expect((await get(`/email/inbound/${mailId + 1000}/raw`, auth)).status).toBe(404);
    expect((await get(`/email/inbound/abc/raw`, auth)).status).toBe(404);
    expect((await get(`/email/inbound/99999999999999999999/raw`, auth)).status).toBe(404);
  });
});
