import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { SmtpReceiverService } from '../../src/channels/email/ways-in/smtp-receiver.service';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { selfSignedCert, type SelfSigned } from '../helpers/tls';

const USER = 'relay@acme.test';
const PASSWORD = 'correct horse battery staple';

/** Talks SMTP on a plain connection: the reply to each command (multi-line replies joined by \n). */
function plainDialog(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // a reply is complete at its last line: code, space, text
      while (/^\d{3} .*\r\n/m.test(buffer)) {
        const end = buffer.search(/^\d{3} .*\r\n/m);
        const stop = buffer.indexOf('\r\n', end) + 2;
        replies.push(buffer.slice(0, stop).trim().replace(/\r\n/g, '\n'));
        buffer = buffer.slice(stop);
        const next = commands[replies.length - 1];
        if (next === undefined) {
          socket.end('QUIT\r\n');
          return resolve(replies.slice(1));
        }
        socket.write(`${next}\r\n`);
      }
    });
  });
}

/**
 * The SMTP receiver with AUTH and STARTTLS configured: the configured certificate is served,
 * credentials are only accepted inside TLS, wrong ones and none at all are refused.
 */
describe('SMTP receiver with AUTH and STARTTLS', () => {
  let app: TestApp;
  let tls: SelfSigned;
  let port: number;
  let cert: Buffer;

  beforeAll(async () => {
    tls = selfSignedCert('mx.sori.test');
    cert = readFileSync(tls.certPath);
    app = await startTestApp({
      EMAIL_SMTP_ENABLED: '1',
      EMAIL_SMTP_PORT: '0',
      EMAIL_SMTP_HOST: '127.0.0.1',
      EMAIL_SMTP_HOSTNAME: 'mx.sori.test',
      EMAIL_SMTP_AUTH_USER: USER,
      EMAIL_SMTP_AUTH_PASSWORD: PASSWORD,
      EMAIL_SMTP_TLS_KEY: tls.keyPath,
      EMAIL_SMTP_TLS_CERT: tls.certPath,
    });
    await app.dataSource.query(
      `INSERT INTO email_mailbox (address, name, is_default) VALUES ('support@acme.test', 'Support', true)`,
    );
    port = app.app.get(SmtpReceiverService).port as number;
  }, 60000);
  afterAll(async () => app?.stop());

  const client = (opts: Record<string, unknown>) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTLS: true,
      tls: { ca: [cert], servername: 'mx.sori.test' },
      ...opts,
    });
  const send = (transport: ReturnType<typeof client>, subject: string) =>
    transport.sendMail({
      from: 'customer@example.test',
      to: 'support@acme.test',
      subject,
      text: 'Hello',
      messageId: `<${subject.replace(/\W+/g, '-')}@example.test>`,
    });
  const stored = async (subject: string) =>
    Number(
      (
        await app.dataSource.query<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM email_inbound WHERE message_id_header = $1`,
          [`${subject.replace(/\W+/g, '-')}@example.test`.toLowerCase()],
        )
      )[0].n,
    );

  it('offers STARTTLS and refuses credentials on a plain connection', async () => {
    const plain = Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64');
    const [ehlo, auth, mail] = await plainDialog(port, [
      'EHLO client.test',
      `AUTH PLAIN ${plain}`,
      'MAIL FROM:<a@b.test>',
    ]);
    expect(ehlo.split('\n')).toContain('250-STARTTLS');
    expect(auth).toMatch(/^538 /);
    expect(mail).toMatch(/^530 /);
  });

  it.each(['PLAIN', 'LOGIN'])(
    'accepts mail after STARTTLS with AUTH %s and the configured credentials',
    async (method) => {
      const transport = client({ auth: { user: USER, pass: PASSWORD }, authMethod: method });
      const info = await send(transport, `auth ${method}`);
      transport.close();
      expect(info.accepted).toEqual(['support@acme.test']);
      expect(await stored(`auth ${method}`)).toBe(1);
    },
  );

  it('serves the configured certificate: a client trusting another one refuses the connection', async () => {
    const other = readFileSync(selfSignedCert('mx.sori.test').certPath);
    const transport = client({
      auth: { user: USER, pass: PASSWORD },
      tls: { ca: [other], servername: 'mx.sori.test' },
    });
    await expect(send(transport, 'untrusted certificate')).rejects.toThrow(/certificate/i);
    transport.close();
    expect(await stored('untrusted certificate')).toBe(0);
  });

  it('refuses a wrong password with 535 and stores nothing', async () => {
    const transport = client({ auth: { user: USER, pass: 'wrong password!' } });
    await expect(send(transport, 'wrong password')).rejects.toMatchObject({ responseCode: 535 });
    transport.close();
    expect(await stored('wrong password')).toBe(0);
  });

  it('refuses mail without AUTH when credentials are configured', async () => {
    const transport = client({});
    await expect(send(transport, 'no auth')).rejects.toMatchObject({ responseCode: 530 });
    transport.close();
    expect(await stored('no auth')).toBe(0);
  });

  it('does not take credentials over a plain connection', async () => {
    const transport = client({ requireTLS: false, ignoreTLS: true, auth: { user: USER, pass: PASSWORD } });
    await expect(send(transport, 'plain auth')).rejects.toThrow();
    transport.close();
    expect(await stored('plain auth')).toBe(0);
  });
});
