import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { hashPassword, sha256 } from '../src/common/auth/secrets';
import { rssMb, startAppProcess } from './app-process';
import { childEnv } from './config';
import { freePort, migrate } from './database';
import { cpuSeconds } from './email-ingest';
import { collectGarbage } from './inspector';
import { connectMany, connectSubscriber, type Subscriber } from './realtime-clients';
import { summarize, type Summary } from './stats';

export interface RealtimeSettings {
  subscribers: number;
  messages: number;
  intervalMs: number;
  /** Write a CPU profile of the Sori app process into this directory (`--cpu-prof`), and of the bare server into its `bare/`. */
  profileDir?: string;
}

export interface RealtimeRun {
  latency: Summary;
  delivered: number;
  expected: number;
  /** RSS growth per connection, measured after a full GC. */
  idleKbPerConnection: number;
  /** Live JS heap per connection after a full GC. */
  heapKbPerConnection: number;
  /** CPU milliseconds (user + system) the server spent per published message, idle ticks included. */
  cpuMsPerMessage: number;
}

export interface RealtimeResult {
  /** A message committed and announced on the bus (another process writing) → every subscriber. */
  sori: RealtimeRun;
  /** The whole path: an HTTP receiveMessage mutation (validation, transaction, ticket rules) → every subscriber. */
  soriHttp: Summary;
  bare: RealtimeRun;
}

const TOKEN = 'sori_pat_bench_realtime_0123456789abcdefghijklmnop';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Migrates the database and adds an admin with a known API token. */
async function prepare(dbUrl: string): Promise<void> {
  await migrate(dbUrl);
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const hash = await hashPassword('bench-password-0123456789');
    const agent = await c.query<{ id: string }>(
      `INSERT INTO agent (email, name, role, password_hash) VALUES ('bench-rt@example.test', 'Bench', 'admin', $1)
       ON CONFLICT DO NOTHING RETURNING id`,
      [hash],
    );
    const id =
      agent.rows[0]?.id ??
      (await c.query<{ id: string }>(`SELECT id FROM agent WHERE email = 'bench-rt@example.test'`)).rows[0].id;
    await c.query(
      `INSERT INTO api_token (agent_id, name, token_hash, prefix, scopes) VALUES ($1, 'bench', $2, 'sori_pat_ben', '{read,write}')
       ON CONFLICT DO NOTHING`,
      [id, sha256(TOKEN)],
    );
  } finally {
    await c.end();
  }
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`bench GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/**
 * Opens the subscribers, measures the server's memory per idle connection, then publishes
 * messages one at a time and records publish→delivered latency for every subscriber.
 */
interface Server {
  rssMb(): number;
  cpuSeconds(): number;
  gc(): Promise<{ heapUsedMb: number }>;
}

async function measure(
  s: RealtimeSettings,
  server: Server,
  connect: (arrivals: { record(text: string, at: number): void }) => Promise<Subscriber>,
  publishers: Array<(i: number, text: string) => Promise<void>>,
  log: (m: string) => void,
): Promise<RealtimeRun & { extra: Summary[] }> {
  const sent = new Map<string, number>();
  const samples: number[] = [];
  let delivered = 0;
  let firstDelivered = 0;
  const arrivals = {
    record: (text: string, at: number) => {
      const t0 = sent.get(text);
      if (t0 === undefined) return;
      delivered++;
      samples.push(at - t0);
    },
  };
  await sleep(1500);
  const heap0 = (await server.gc()).heapUsedMb;
  const before = server.rssMb();
  const subs = await connectMany(s.subscribers, 50, () => connect(arrivals));
  await sleep(2000);
  const heap1 = (await server.gc()).heapUsedMb;
  await sleep(500);
  const after = server.rssMb();
  const idleKbPerConnection = ((after - before) * 1024) / s.subscribers;
  const heapKbPerConnection = ((heap1 - heap0) * 1024) / s.subscribers;
  log(
    `  ${s.subscribers} subscribers; server RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB, heap ${heap0.toFixed(0)} → ${heap1.toFixed(0)} MB (after GC)`,
  );
  const runs: Summary[] = [];
  let cpuMsPerMessage = NaN;
  try {
    for (const [p, publish] of publishers.entries()) {
      samples.length = 0;
      delivered = 0;
      const cpu0 = server.cpuSeconds();
      for (let i = -5; i < s.messages; i++) {
        const text = i < 0 ? `warm-${p}-${i}` : `m-${p}-${i}`;
        const t0 = performance.now();
        if (i >= 0) sent.set(text, t0);
        await publish(i, text);
        const deadline = Date.now() + 10_000;
        while (i >= 0 && delivered < (i + 1) * s.subscribers && Date.now() < deadline) await sleep(1);
        await sleep(s.intervalMs);
      }
      runs.push(summarize(samples));
      if (p === 0) {
        firstDelivered = delivered;
        cpuMsPerMessage = ((server.cpuSeconds() - cpu0) * 1000) / (s.messages + 5);
      }
    }
  } finally {
    for (const sub of subs) sub.close();
  }
  return {
    latency: runs[0],
    extra: runs.slice(1),
    delivered: firstDelivered,
    expected: s.messages * s.subscribers,
    idleKbPerConnection,
    heapKbPerConnection,
    cpuMsPerMessage,
  };
}

/** Writes a message and announces it on the bus, as another Sori process would after its commit. */
async function busPublisher(dbUrl: string, conversationId: string, ticketId: string) {
  const pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  const publish = async (_i: number, text: string) => {
    const r = await pg.query<{ id: string }>(
      `INSERT INTO message (conversation_id, ticket_id, channel_key, author_kind, body_html, body_text, delivery_state)
       VALUES ($1, $2, 'api:default', 'contact', $3, $4, 'received') RETURNING id`,
      [conversationId, ticketId, `<p>${text}</p>`, text],
    );
    const event = {
      kind: 'message',
      id: Number(r.rows[0].id),
      topics: [`conversation:${conversationId}`, `ticket:${ticketId}`],
    };
    await pg.query('SELECT pg_notify($1, $2)', ['sori_events', JSON.stringify(event)]);
  };
  return { publish, close: () => pg.end() };
}

export async function benchRealtime(dbUrl: string, dataDir: string, s: RealtimeSettings, log: (m: string) => void) {
  await prepare(dbUrl);
  const port = await freePort();
  const inspectPort = await freePort();
  const app = await startAppProcess(
    {
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      JOBS_ENABLED: '0',
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
    },
    port,
    60_000,
    s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`] : [],
  );
  let sori: RealtimeRun & { extra: Summary[] };
  try {
    const opened = await gql<{ openTicket: { ticket: { id: string }; conversation: { id: string } } }>(
      app.url,
      `mutation($i: OpenTicketInput!) { openTicket(input: $i) { ticket { id } conversation { id } } }`,
      { i: { subject: 'Realtime bench', requester: { email: 'rt@example.test' }, body: 'start', channel: 'api' } },
    );
    const conversationId = opened.openTicket.conversation.id;
    const bus = await busPublisher(dbUrl, conversationId, opened.openTicket.ticket.id);
    log(`Sori graphql-ws (pid ${app.pid}):`);
    try {
      sori = await measure(
        s,
        { rssMb: () => app.rssMb(), cpuSeconds: () => cpuSeconds(app.pid), gc: () => collectGarbage(inspectPort) },
        (arrivals) => connectSubscriber(`ws://127.0.0.1:${port}/graphql`, { token: TOKEN }, conversationId, arrivals),
        [
          bus.publish,
          async (_i, text) => {
            await gql(app.url, `mutation($i: ReceiveMessageInput!) { receiveMessage(input: $i) { created } }`, {
              i: { conversationId, body: text, externalId: `bench-${text}` },
            });
          },
        ],
        log,
      );
    } finally {
      await bus.close();
    }
  } finally {
    await app.stop();
  }

  const barePort = await freePort();
  const bareInspect = await freePort();
  const bare = spawn(
    process.execPath,
    [
      `--inspect=127.0.0.1:${bareInspect}`,
      ...(s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(s.profileDir, 'bare')}`] : []),
      join(__dirname, 'bare-ws-server.js'),
      String(barePort),
    ],
    {
      env: childEnv({}),
      stdio: 'ignore',
    },
  );
  try {
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`http://127.0.0.1:${barePort}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(25);
    }
    log(`bare ws broadcast (pid ${bare.pid}):`);
    const result = await measure(
      s,
      {
        rssMb: () => rssMb(bare.pid as number),
        cpuSeconds: () => cpuSeconds(bare.pid as number),
        gc: () => collectGarbage(bareInspect),
      },
      (arrivals) => connectSubscriber(`ws://127.0.0.1:${barePort}/graphql`, {}, 'none', arrivals),
      [
        async (i, text) => {
          await fetch(`http://127.0.0.1:${barePort}/publish`, {
            method: 'POST',
            body: JSON.stringify({ id: i, text }),
          });
        },
      ],
      log,
    );
    return { sori, soriHttp: sori.extra[0], bare: result } satisfies RealtimeResult;
  } finally {
    bare.kill('SIGTERM');
  }
}
