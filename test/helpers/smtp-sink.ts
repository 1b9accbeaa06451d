import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
  header(name: string): string | undefined;
}

export interface SmtpSink {
  port: number;
  mails: SunkMail[];
  /** Waits until `n` mails have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<SunkMail[]>;
  /** Waits for the first mail to this address. */
  /** The first mail to `address` (that `match` accepts, when given: several mails may race). */
  waitForMailTo(address: string, timeoutMs?: number, match?: (m: SunkMail) => boolean): Promise<SunkMail>;
  /** From now on RCPT is refused with this code (5xx permanent, 4xx temporary); null accepts again. */
  refuse(code: number | null, message?: string): void;
  close(): Promise<void>;
}

/** A local SMTP server that keeps whatever is sent to it (the "customer's mail server" in tests). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  let refusal: { code: number; message: string } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 200 * 1024 * 1024,
    closeTimeout: 500,
    onRcptTo(_address, _session, callback) {
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              raw,
              parsed,
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              header: (name) => {
                const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                return line?.slice(line.indexOf(':') + 1).trim();
              },
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    refuse: (code, message = 'refused') => (refusal = code === null ? null : { code, message }),
    waitFor: async (n, timeoutMs = 15000) => {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < n) {
        if (Date.now() > deadline) throw new Error(`SMTP sink got ${mails.length} of ${n} mails`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return mails;
    },
    waitForMailTo: async (address, timeoutMs = 15000, match = () => true) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.find((m) => m.envelope.to.includes(address) && match(m));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`SMTP sink got no mail to ${address}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Speaks SMTP by hand (for input no client library would send, like a zero-byte DATA); returns the replies. */
export async function rawSmtp(port: number, from: string, to: string, data: Buffer): Promise<string[]> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    // a complete reply ends with a line "NNN text" (no dash after the code)
    const lines = buffer.split('\r\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (/^\d{3} /.test(line)) replies.push(line);
    if (lines.some((l) => /^\d{3} /.test(l))) waiting?.();
  });
  const reply = () => new Promise<void>((resolve) => (waiting = resolve));
  const send = async (line: string | Buffer) => {
    const next = reply();
    socket.write(line);
    await next;
  };
  await reply();
  await send('EHLO test.local\r\n');
  await send(`MAIL FROM:<${from}>\r\n`);
  await send(`RCPT TO:<${to}>\r\n`);
  await send('DATA\r\n');
  await send(Buffer.concat([data, Buffer.from(data.length ? '\r\n.\r\n' : '.\r\n')]));
  await send('QUIT\r\n');
  socket.destroy();
  return replies;
}
