import { readdirSync, readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { startAppProcess } from './app-process';
import { freePort, migrate } from './database';
import { benchMail, MAILBOX, type BenchMail } from './email-mails';

export interface EmailIngestSettings {
  mails: number;
  /** Concurrent SMTP client connections (and concurrent connections for the INSERT ceiling). */
  connections: number;
  /** Job workers of the app (EMAIL_INGEST_CONCURRENCY). */
  workers: number;
  timeoutMs: number;
  /** Write a CPU profile of the app process into this directory (`--cpu-prof`). */
  profileDir?: string;
  /** Cores of this machine (for the CPU-bound estimate). */
  cpus: number;
}

export interface EmailIngestResult {
  /** Mails per second, first SMTP command → last mail committed as a message on a ticket. */
  endToEnd: number;
  /** Mails per second, first SMTP command → last `250` (raw mail and job committed). */
  accepted: number;
  /** Mails per second of a plain INSERT of the same bytes over the same number of connections. */
  ceiling: number;
  seconds: { endToEnd: number; accepted: number; ceiling: number };
  /**
   * CPU milliseconds per mail of the app process and of the PostgreSQL backends of the bench
   * database (when PostgreSQL runs on this machine): what the pipeline costs, whatever else the
   * machine is busy with.
   */
  cpuMsPerMail: { app: number; postgres: number };
  check: IngestCheck;
}

export interface IngestCheck {
  stored: number;
  parsed: number;
  /** Stored mails that are not a committed message on a ticket. */
  notOnTicket: number;
  /** Messages written twice for one mail, or mails stored twice. */
  duplicates: number;
  tickets: number;
  expectedTickets: number;
  replies: number;
  /** Replies on the ticket of the mail they answer. */
  repliesThreaded: number;
  attachments: number;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; 0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving a database (same machine), by their process titles. */
function backendsOf(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${database} `)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `work` over the items on `lanes` concurrent lanes, in order within each lane. */
async function lanes<T>(items: T[], count: number, work: (item: T, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, lane) => {
      while (next < items.length) await work(items[next++], lane);
    }),
  );
}

async function prepare(dbUrl: string): Promise<void> {
  await migrate(dbUrl);
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    // the acknowledgement is a separate outbound queue; this bench measures the way in
    await c.query(
      `INSERT INTO email_mailbox (address, name, is_default, ack_enabled) VALUES ($1, 'Bench Support', true, false)`,
      [MAILBOX],
    );
    await c.query(
      `CREATE TABLE bench_raw_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, raw bytea NOT NULL)`,
    );
    await c.query(`ALTER TABLE bench_raw_insert ALTER COLUMN raw SET STORAGE EXTERNAL`);
  } finally {
    await c.end();
  }
}

/** The ceiling: each mail's bytes INSERTed (one autocommitted statement each) over `connections` connections. */
async function insertCeiling(dbUrl: string, mails: BenchMail[], connections: number): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      return c;
    }),
  );
  try {
    const started = performance.now();
    await lanes(mails, connections, async (m, lane) => {
      await clients[lane].query('INSERT INTO bench_raw_insert (raw) VALUES ($1)', [m.raw]);
    });
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function check(pg: Client, mails: BenchMail[]): Promise<IngestCheck> {
  const one = async (sql: string) => Number((await pg.query<{ n: string }>(sql)).rows[0].n);
  const rows = (
    await pg.query<{ header: string; ticket: string | null }>(
      `SELECT message_id_header AS header, ticket_id AS ticket FROM email_inbound`,
    )
  ).rows;
  const ticketOf = new Map(rows.map((r) => [r.header, r.ticket]));
  const replies = mails.filter((m) => m.replyTo !== null);
  const threaded = replies.filter((m) => {
    const ticket = ticketOf.get(m.messageId);
    return !!ticket && ticket === ticketOf.get(mails[m.replyTo as number].messageId);
  });
  return {
    stored: rows.length,
    parsed: await one(`SELECT count(*) AS n FROM email_inbound WHERE status = 'parsed'`),
    notOnTicket: await one(
      `SELECT count(*) AS n FROM email_inbound i LEFT JOIN message m ON m.id = i.message_id
       WHERE i.status <> 'parsed' OR m.id IS NULL OR m.ticket_id IS NULL OR m.ticket_id <> i.ticket_id`,
    ),
    duplicates:
      rows.length -
      ticketOf.size +
      (await one(
        `SELECT count(*) - count(DISTINCT external_id) AS n FROM message WHERE external_id LIKE 'inbound:%'`,
      )) +
      (await one(`SELECT count(*) - count(DISTINCT message_id) AS n FROM email_inbound`)),
    tickets: await one(`SELECT count(*) AS n FROM ticket`),
    expectedTickets: mails.length - replies.length,
    replies: replies.length,
    repliesThreaded: threaded.length,
    attachments: await one(`SELECT count(*) AS n FROM attachment`),
  };
}

/**
 * Pushes generated mails through the app's SMTP receiver on several connections and measures
 * mails/s until every one is a committed message on a ticket; then INSERTs the same bytes
 * into a plain table over as many connections, as the ceiling.
 */
export async function benchEmailIngest(
  dbUrl: string,
  dataDir: string,
  s: EmailIngestSettings,
  log: (m: string) => void,
): Promise<EmailIngestResult> {
  await prepare(dbUrl);
  const mails = Array.from({ length: s.mails }, (_, i) => benchMail(i));
  const smtpPort = await freePort();
  const app = await startAppProcess(
    {
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JOBS_ENABLED: '1',
      EMAIL_SMTP_ENABLED: '1',
      EMAIL_SMTP_HOST: '127.0.0.1',
      EMAIL_SMTP_PORT: String(smtpPort),
      EMAIL_INGEST_CONCURRENCY: String(s.workers),
    },
    await freePort(),
    60_000,
    s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`] : [],
  );
  const pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: s.connections,
    maxMessages: Infinity,
  });
  try {
    log(`  app ready (pid ${app.pid}); sending ${s.mails} mails on ${s.connections} SMTP connections…`);
    const database = new URL(dbUrl).pathname.slice(1);
    const pgCpu = () => backendsOf(database).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const cpu0 = { app: cpuSeconds(app.pid), pg: pgCpu() };
    const started = performance.now();
    let acceptedAt = 0;
    const sending = lanes(mails, s.connections, async (m) => {
      const info = await transport.sendMail({ envelope: { from: m.from, to: [MAILBOX] }, raw: m.raw });
      if (!info.accepted.length) throw new Error(`mail ${m.index} was not accepted: ${info.response}`);
    }).then(() => (acceptedAt = performance.now()));
    let failure: Error | undefined;
    sending.catch((err: Error) => (failure = err));
    let done = 0;
    for (;;) {
      if (failure) throw failure;
      if (performance.now() - started > s.timeoutMs)
        throw new Error(`only ${done} of ${s.mails} mails were processed within ${s.timeoutMs} ms`);
      done = Number(
        (await pg.query<{ n: string }>(`SELECT count(*) AS n FROM email_inbound WHERE status <> 'received'`)).rows[0].n,
      );
      if (done >= s.mails) break;
      await sleep(50);
    }
    await sending;
    const cpuMsPerMail = {
      app: ((cpuSeconds(app.pid) - cpu0.app) * 1000) / s.mails,
      // backends opened during the run count from zero
      postgres: (Math.max(0, pgCpu() - cpu0.pg) * 1000) / s.mails,
    };
    const endToEnd = (performance.now() - started) / 1000;
    const accepted = (acceptedAt - started) / 1000;
    log(`  all ${s.mails} processed in ${endToEnd.toFixed(1)} s; checking…`);
    const result = await check(pg, mails);
    await app.stop();
    log(`  INSERT ceiling: the same bytes on ${s.connections} connections…`);
    const ceiling = await insertCeiling(dbUrl, mails, s.connections);
    return {
      endToEnd: s.mails / endToEnd,
      accepted: s.mails / accepted,
      ceiling: s.mails / ceiling,
      seconds: { endToEnd, accepted, ceiling },
      cpuMsPerMail,
      check: result,
    };
  } finally {
    transport.close();
    await pg.end();
    await app.stop();
  }
}
