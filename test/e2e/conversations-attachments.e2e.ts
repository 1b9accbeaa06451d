import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AttachmentsService } from '../../src/conversations/attachments/attachments.service';
import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

const MAX_UPLOAD = 64 * 1024;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);

interface Uploaded {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  sha256: string;
}

describe('attachments: upload, limits, type sniffing, download and access', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });
    f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
  });
  afterAll(async () => app.stop());

  const upload = async (
    content: Buffer,
    filename: string,
    type: string,
    headers: Record<string, string> = { authorization: `Bearer ${admin.token}` },
  ) => {
    const form = new FormData();
    form.append('file', new Blob([content], { type }), filename);
    const res = await fetch(`${app.url}/files`, { method: 'POST', body: form, headers });
    return { status: res.status, body: (await res.json()) as Uploaded & { error?: { code: string } } };
  };
  const download = (id: string, token = admin.token) =>
    fetch(`${app.url}/files/${id}`, { headers: { authorization: `Bearer ${token}` } });

  const openTicket = async (input: Record<string, unknown>, token = admin.token) => {
    const r = await app.gql<{ openTicket: { ticket: { id: string }; message: { attachments: Uploaded[] } } }>(
      `mutation($i: OpenTicketInput!) { openTicket(input: $i) {
        ticket { id } message { attachments { id filename size contentType sha256 } } } }`,
      { i: { subject: 'Broken screen', requester: { email: 'park@example.com' }, body: 'See photo', ...input } },
      { token },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.openTicket;
  };

  it('stores an upload under a random key with its hash and size, and keeps a Korean filename', async () => {
    const r = await upload(PNG, '화면 사진.png', 'application/octet-stream');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      filename: '화면 사진.png',
      size: PNG.length,
      contentType: 'image/png',
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    const files = readdirSync(join(app.config.storage.dir), { recursive: true }).map(String);
    expect(files.some((p) => p.includes('화면') || p.endsWith('.png'))).toBe(false);
  });

  it('refuses files over the limit with 413 and leaves nothing behind', async () => {
    const stored = () =>
      readdirSync(app.config.storage.dir, { recursive: true }).filter((p) => /[0-9a-f]{32}$/.test(String(p))).length;
    const before = stored();
    const r = await upload(Buffer.alloc(MAX_UPLOAD + 1, 'a'), 'big.txt', 'text/plain');
    expect(r.status).toBe(413);
    expect(r.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    const after = stored();
    expect(after).toBe(before);
  });

  it('decides the type from the content: fake images, executables and unknown binaries get 415', async () => {
    const fake = await upload(Buffer.from('<svg onload="alert(1)"></svg>'), 'cat.png', 'image/png');
    expect(fake.status).toBe(415);
    expect(fake.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await upload(Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), 'setup.txt', 'text/plain')).status).toBe(415);
    expect((await upload(Buffer.from([0, 1, 2, 3, 0, 5]), 'blob.bin', 'application/octet-stream')).status).toBe(415);
    const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'page.html', 'text/html');
    expect(html.body.contentType).toBe('text/plain');
  });

  it('needs credentials; with the session cookie an upload also needs the CSRF token', async () => {
    expect((await upload(PNG, 'a.png', 'image/png', {})).status).toBe(401);
    const login = await app.gql<{ login: { csrfToken: string } }>(
      `mutation($i: LoginInput!) { login(input: $i) { csrfToken } }`,
      { i: { email: admin.agent.email, password: admin.password } },
    );
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const noCsrf = await upload(PNG, 'a.png', 'image/png', { cookie });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error?.code).toBe('CSRF_FAILED');
    const ok = await upload(PNG, 'a.png', 'image/png', { cookie, 'x-csrf-token': login.data!.login.csrfToken });
    expect(ok.status).toBe(201);
    const viewer = await f.agent({ role: 'viewer' });
    expect((await upload(PNG, 'a.png', 'image/png', { authorization: `Bearer ${viewer.token}` })).status).toBe(403);
  });

  it('refuses an upload of a caller who may not write before reading (and storing) its body', async () => {
    const viewer = await f.agent({ role: 'viewer' });
    const url = new URL(`${app.url}/files`);
    const answer = await new Promise<number | string>((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/files',
          method: 'POST',
          headers: {
            authorization: `Bearer ${viewer.token}`,
            'content-type': 'multipart/form-data; boundary=x',
            'content-length': String(10 * 1024 * 1024),
          },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', () => undefined);
      // the start of a big file, then nothing more: the answer must not wait for the rest
      req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n' + 'a'.repeat(1024));
      setTimeout(() => {
        resolve('no answer');
        req.destroy();
      }, 2000);
    });
    expect(answer).toBe(403);
  });

  it('attaches uploads to a message and serves them as attachments with safe headers', async () => {
    const up = await upload(PNG, '견적서 "최종".png', 'image/png');
    const t = await openTicket({ attachmentIds: [up.body.id] });
    expect(t.message.attachments).toEqual([expect.objectContaining({ id: up.body.id, contentType: 'image/png' })]);
    const res = await download(up.body.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="___ ____.png"; filename*=UTF-8''${encodeURIComponent('견적서 "최종".png')}`,
    );
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    // used once only
    const twice = await app.gql(
      `mutation($i: ReplyToTicketInput!) { replyToTicket(input: $i) { message { id } } }`,
      { i: { ticketId: t.ticket.id, body: 'again', attachmentIds: [up.body.id] } },
      { token: admin.token },
    );
    expect(twice.errors?.[0].extensions?.code).toBe('ATTACHMENT_NOT_FOUND');
  });

  it('lets only agents who see the ticket download; unattached uploads only their uploader', async () => {
    const mine = await f.group();
    const other = await f.group();
    const outsider = await f.agent({ ticketAccess: 'groups', groupIds: [mine.id] });
    const up = await upload(PNG, 'private.png', 'image/png');
    expect((await download(up.body.id, outsider.token)).status).toBe(404);
    await openTicket({ groupId: other.id, attachmentIds: [up.body.id] });
    const denied = await download(up.body.id, outsider.token);
    expect(denied.status).toBe(404);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('ATTACHMENT_NOT_FOUND');
    expect((await download(up.body.id)).status).toBe(200);
    // another agent cannot attach someone else's upload
    const theirs = await upload(PNG, 'theirs.png', 'image/png');
    const steal = await app.gql(
      `mutation($i: OpenTicketInput!) { openTicket(input: $i) { ticket { id } } }`,
      { i: { subject: 'x', requester: { email: 'x@example.com' }, body: 'x', attachmentIds: [theirs.body.id] } },
      { token: outsider.token },
    );
    expect(steal.errors?.[0].extensions?.code).toBe('ATTACHMENT_NOT_FOUND');
  });

  it('attaches files to internal notes too', async () => {
    const t = await openTicket({});
    const up = await upload(Buffer.from('a,b\n1,2\n'), 'numbers.csv', 'text/csv');
    const r = await app.gql<{ addNote: { attachments: Array<{ id: string; contentType: string }> } }>(
      `mutation($i: AddNoteInput!) { addNote(input: $i) { attachments { id contentType } } }`,
      { i: { ticketId: t.ticket.id, body: 'numbers attached', attachmentIds: [up.body.id] } },
      { token: admin.token },
    );
    expect(r.data!.addNote.attachments).toEqual([{ id: up.body.id, contentType: 'text/csv' }]);
  });

  it('cleans up uploads nobody attached', async () => {
    const up = await upload(PNG, 'forgotten.png', 'image/png');
    const key = (
      await app.dataSource.query<Array<{ storage_key: string }>>(`SELECT storage_key FROM attachment WHERE id = $1`, [
        up.body.id,
      ])
    )[0].storage_key;
    expect(existsSync(join(app.config.storage.dir, key))).toBe(true);
    expect(await app.app.get(AttachmentsService).removeUnattached(0)).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(app.config.storage.dir, key))).toBe(false);
    expect((await download(up.body.id)).status).toBe(404);
  });
});
