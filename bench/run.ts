import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startAppProcess, stopAllApps } from './app-process';
import { benchConfig } from './config';
import { measureColdStart, type ColdStart } from './cold-start';
import { benchDatabase, freePort, migrate, type BenchDatabase } from './database';
import { benchEmailIngest, type EmailIngestResult, type EmailIngestSettings } from './email-ingest';
import { benchInbox, type InboxResult } from './inbox';
import { benchInboxPages, type InboxPageResult } from './inbox-page';
import { benchRealtime, type RealtimeResult } from './realtime';
import { seed } from './seed';
import { latencyTable, verdict, type Summary } from './stats';

const TARGETS = { graphqlP95Ms: 25, ratio: 2.5, idleRssMb: 200, coldStartMs: 5000, pageP95Ms: 120 };
const REALTIME_TARGETS = { p99Ms: 50, kbPerConnection: 30, ratio: 3 };
const EMAIL_TARGET_PER_SECOND = 200;
const BENCHES = ['inbox', 'realtime', 'email-ingest'] as const;
type BenchName = (typeof BENCHES)[number];

const log = (msg: string) => process.stdout.write(`${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function prepare(url: string, tickets: number, reused: boolean): Promise<void> {
  await migrate(url);
  if (reused) {
    log(`reusing the seeded database (${tickets} tickets)`);
    return;
  }
  const started = Date.now();
  log(`seeding ${tickets} tickets with conversations and messages…`);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await seed(client, tickets, log);
  } finally {
    await client.end();
  }
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function report(
  tickets: number,
  inbox: InboxResult,
  pages: InboxPageResult,
  idleRss: number,
  loadedRss: number,
  cold: ColdStart | null,
) {
  const p50Ratio = inbox.graphql.p50 / inbox.sql.p50;
  const p95Ratio = inbox.graphql.p95 / inbox.sql.p95;
  log('');
  log(`== inbox: open tickets of one group (~${inbox.openPerGroup} of ${tickets}), priority then updated, first 50 ==`);
  log(
    latencyTable([
      ['raw SQL (pg, one connection)', inbox.sql],
      ['GraphQL over HTTP (session)', inbox.graphql],
      ['GraphQL floor: { __typename }', inbox.floor],
    ]),
  );
  log(`ratio GraphQL/SQL: p50 ${p50Ratio.toFixed(2)}x, p95 ${p95Ratio.toFixed(2)}x`);
  log(
    `the floor (HTTP, session lookup, Apollo, request log; no resolver) is ${(inbox.floor.p50 / inbox.sql.p50).toFixed(2)}x ` +
      `SQL at p50; the inbox adds ${(inbox.graphql.p50 - inbox.floor.p50).toFixed(2)} ms over the floor ` +
      `for ${inbox.sql.p50.toFixed(2)} ms of SQL`,
  );
  log('');
  log(
    `== workspace inbox pages (server-rendered HTML) for ${pages.agentEmail}: role agent, one group, ` +
      `${pages.assigned} assigned tickets ==`,
  );
  log(
    latencyTable([
      ...pages.pages.map((p): [string, Summary] => [
        `${p.name}: ${p.path} (${p.rows} rows, ${(p.bytes / 1024).toFixed(0)} KB)`,
        p.summary,
      ]),
      ['all inbox page loads', pages.all],
      ['raw inbox SQL (above)', inbox.sql],
    ]),
  );
  log('');
  log('== query plan of the app’s inbox query (EXPLAIN ANALYZE) ==');
  log(inbox.appPlan);
  log('');
  log('== query plan of the hand-written SQL ==');
  log(inbox.sqlPlan);
  log('');
  log('== targets ==');
  const rows: Array<[string, string, boolean]> = [
    ['GraphQL p95', `${inbox.graphql.p95.toFixed(2)} ms < ${TARGETS.graphqlP95Ms} ms`, inbox.graphql.p95 < 25],
    ['GraphQL/SQL p95 ratio', `${p95Ratio.toFixed(2)}x ≤ ${TARGETS.ratio}x`, p95Ratio <= TARGETS.ratio],
    [
      'inbox page p95 (all views, server-rendered)',
      `${pages.all.p95.toFixed(2)} ms < ${TARGETS.pageP95Ms} ms`,
      pages.all.p95 < TARGETS.pageP95Ms,
    ],
    ['inbox uses ticket_inbox_group_idx, no sort', inbox.usesIndex ? 'yes' : 'no', inbox.usesIndex],
    ['idle RSS after start', `${idleRss.toFixed(0)} MB < ${TARGETS.idleRssMb} MB`, idleRss < TARGETS.idleRssMb],
    ['idle RSS after the benchmark', `${loadedRss.toFixed(0)} MB < ${TARGETS.idleRssMb} MB`, loadedRss < 200],
  ];
  if (cold) {
    rows.push([
      'cold start to /readyz (embedded PG, fresh DATA_DIR)',
      `${(cold.coldMs / 1000).toFixed(2)} s < ${TARGETS.coldStartMs / 1000} s`,
      cold.coldMs < TARGETS.coldStartMs,
    ]);
    rows.push(['restart to /readyz (same DATA_DIR)', `${(cold.warmMs / 1000).toFixed(2)} s`, true]);
    rows.push(['idle RSS (embedded PG, app process only)', `${cold.idleRssMb.toFixed(0)} MB`, cold.idleRssMb < 200]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, value, ok] of rows) log(`${name.padEnd(width)}  ${value.padEnd(24)}  ${verdict(ok)}`);
}

function widgetSizes(): { loaderGzip: number; appGzip: number; totalGzip: number } | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the widget build script is plain CommonJS
    const build = require(join(__dirname, '../../widget/build.cjs')) as {
      sizesOf(): { loaderGzip: number; appGzip: number; totalGzip: number };
    };
    return build.sizesOf();
  } catch {
    return null;
  }
}

function reportRealtime(r: RealtimeResult, subscribers: number): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  log('');
  log(`== realtime: ${subscribers} graphql-ws subscribers of one conversation, publish → delivered ==`);
  log(
    latencyTable([
      ['Sori: commit + NOTIFY → graphql-ws', r.sori.latency],
      ['bare ws: HTTP POST → broadcast', r.bare.latency],
      ['Sori end to end: HTTP receiveMessage → graphql-ws', r.soriHttp],
    ]),
  );
  log(`delivered: Sori ${r.sori.delivered}/${r.sori.expected}, bare ${r.bare.delivered}/${r.bare.expected}`);
  // holds however busy the machine is, unlike the latencies
  log(
    `server CPU per message (${subscribers} deliveries): Sori ${r.sori.cpuMsPerMessage.toFixed(1)} ms, ` +
      `bare ws ${r.bare.cpuMsPerMessage.toFixed(1)} ms (${(r.sori.cpuMsPerMessage / r.bare.cpuMsPerMessage).toFixed(2)}x)`,
  );
  const ratio = r.sori.latency.p99 / r.bare.latency.p99;
  const sizes = widgetSizes();
  const rows: Array<[string, string, boolean]> = [
    [
      'p99 publish → delivered',
      `${r.sori.latency.p99.toFixed(2)} ms < ${REALTIME_TARGETS.p99Ms} ms`,
      r.sori.latency.p99 < REALTIME_TARGETS.p99Ms,
    ],
    [
      'memory per idle connection (Sori)',
      `${r.sori.idleKbPerConnection.toFixed(1)} KB ≤ ${REALTIME_TARGETS.kbPerConnection} KB`,
      r.sori.idleKbPerConnection <= REALTIME_TARGETS.kbPerConnection,
    ],
    ['  live heap per idle connection (Sori)', `${r.sori.heapKbPerConnection.toFixed(1)} KB`, true],
    [
      'memory per idle connection (bare ws)',
      `${r.bare.idleKbPerConnection.toFixed(1)} KB (heap ${r.bare.heapKbPerConnection.toFixed(1)} KB)`,
      true,
    ],
    ['p99 ratio Sori / bare ws', `${ratio.toFixed(2)}x ≤ ${REALTIME_TARGETS.ratio}x`, ratio <= REALTIME_TARGETS.ratio],
    [
      'every message delivered to every subscriber',
      `${r.sori.delivered}/${r.sori.expected}`,
      r.sori.delivered === r.sori.expected,
    ],
  ];
  if (sizes) {
    rows.push(['widget loader (/widget.js), gzipped', `${kb(sizes.loaderGzip)} ≤ 5 KB`, sizes.loaderGzip <= 5 * 1024]);
    rows.push(['whole widget (loader + app), gzipped', `${kb(sizes.totalGzip)} ≤ 40 KB`, sizes.totalGzip <= 40 * 1024]);
  }
  log('');
  log('== realtime targets ==');
  const width = Math.max(...rows.map((x) => x[0].length));
  for (const [name, value, ok] of rows) log(`${name.padEnd(width)}  ${value.padEnd(24)}  ${verdict(ok)}`);
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(BENCHES as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  const names: BenchName[] = asked.length ? (asked as BenchName[]) : [...BENCHES];
  if (names.includes('inbox')) await mainInbox();
  if (names.includes('realtime')) await mainRealtime();
  if (names.includes('email-ingest')) await mainEmailIngest();
}

function reportEmailIngest(r: EmailIngestResult, s: EmailIngestSettings): void {
  const c = r.check;
  const rate = (n: number) => `${n.toFixed(0)} mails/s`;
  log('');
  log(`== email ingest: ${s.mails} mails over ${s.connections} SMTP connections, ${s.workers} job workers ==`);
  log(
    `accepted over SMTP (raw mail + job committed, 250 sent)  ${rate(r.accepted)}  (${r.seconds.accepted.toFixed(1)} s)`,
  );
  log(
    `end to end (committed message on a ticket)               ${rate(r.endToEnd)}  (${r.seconds.endToEnd.toFixed(1)} s)`,
  );
  log(
    `INSERT ceiling (same bytes, ${s.connections} connections)              ${rate(r.ceiling)}  (${r.seconds.ceiling.toFixed(1)} s)`,
  );
  const cpu = r.cpuMsPerMail;
  log(
    `CPU per mail: app ${cpu.app.toFixed(2)} ms + PostgreSQL ${cpu.postgres.toFixed(2)} ms ` +
      `→ at most ${((s.cpus * 1000) / (cpu.app + cpu.postgres)).toFixed(0)} mails/s on ${s.cpus} idle cores`,
  );
  log(`ratio end to end / ceiling                               ${((r.endToEnd / r.ceiling) * 100).toFixed(1)} %`);
  const rows: Array<[string, string, boolean]> = [
    ['end to end', `${rate(r.endToEnd)} ≥ ${EMAIL_TARGET_PER_SECOND}`, r.endToEnd >= EMAIL_TARGET_PER_SECOND],
    [
      'every mail stored once and parsed',
      `${c.parsed}/${s.mails} (stored ${c.stored})`,
      c.parsed === s.mails && c.stored === s.mails,
    ],
    ['every mail a message on its ticket', `${c.notOnTicket} not`, c.notOnTicket === 0],
    ['no duplicates', `${c.duplicates}`, c.duplicates === 0],
    [
      'replies threaded onto the ticket they answer',
      `${c.repliesThreaded}/${c.replies}`,
      c.repliesThreaded === c.replies,
    ],
    ['tickets opened (one per new mail)', `${c.tickets}/${c.expectedTickets}`, c.tickets === c.expectedTickets],
    ['attachments stored', `${c.attachments}`, c.attachments > 0],
  ];
  log('');
  log('== email ingest targets ==');
  const width = Math.max(...rows.map((x) => x[0].length));
  for (const [name, value, ok] of rows) log(`${name.padEnd(width)}  ${value.padEnd(24)}  ${verdict(ok)}`);
}

async function mainEmailIngest(): Promise<void> {
  const cfg = benchConfig();
  const settings: EmailIngestSettings = {
    mails: Number(process.env.BENCH_EMAIL_MAILS ?? 5000),
    connections: Number(process.env.BENCH_EMAIL_CONNECTIONS ?? 8),
    workers: Number(process.env.BENCH_EMAIL_WORKERS ?? 4),
    timeoutMs: Math.min(cfg.timeoutMs, 10 * 60_000),
    profileDir: process.env.BENCH_EMAIL_PROFILE || undefined,
    cpus: availableParallelism(),
  };
  log(`sori email ingest bench: ${settings.mails} mails, ${settings.connections} connections`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sori-bench-email-'));
  const db = await benchDatabase({ ...cfg, tickets: 1, reuse: false, keep: false });
  try {
    const result = await benchEmailIngest(db.url, dataDir, settings, log);
    reportEmailIngest(result, settings);
  } finally {
    await stopAllApps();
    await db.release();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function mainRealtime(): Promise<void> {
  const cfg = benchConfig();
  const settings = {
    subscribers: Number(process.env.BENCH_RT_SUBSCRIBERS ?? 2000),
    messages: Number(process.env.BENCH_RT_MESSAGES ?? 50),
    intervalMs: 100,
    profileDir: process.env.BENCH_RT_PROFILE || undefined,
  };
  log(`sori realtime bench: ${settings.subscribers} subscribers, ${settings.messages} messages`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sori-bench-rt-'));
  const db = await benchDatabase({ ...cfg, tickets: 0, reuse: false, keep: false });
  const deadline = setTimeout(() => {
    process.stderr.write('bench: realtime gave up after BENCH_TIMEOUT_MS\n');
    void stopAllApps().finally(() => process.exit(2));
  }, cfg.timeoutMs);
  try {
    const result = await benchRealtime(db.url, dataDir, settings, log);
    reportRealtime(result, settings.subscribers);
  } finally {
    clearTimeout(deadline);
    await stopAllApps();
    await db.release();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function mainInbox(): Promise<void> {
  const cfg = benchConfig();
  log(
    `sori bench: ${cfg.tickets} tickets, ${cfg.iterations} iterations (+${cfg.warmup} warm-up), ` +
      `database: ${cfg.databaseUrl ? 'DATABASE_URL server' : 'embedded PostgreSQL'}`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'sori-bench-data-'));
  let db: BenchDatabase | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => (cleaning ??= doCleanUp());
  const doCleanUp = async () => {
    await stopAllApps();
    await db?.release();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const abort = (why: string, code: number) => {
    process.stderr.write(`bench: ${why}; cleaning up\n`);
    const force = setTimeout(() => process.exit(code), 30_000);
    force.unref();
    void cleanUp().finally(() => process.exit(code));
  };
  const deadline = setTimeout(() => abort(`gave up after ${cfg.timeoutMs} ms (BENCH_TIMEOUT_MS)`, 2), cfg.timeoutMs);
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  try {
    // first, while the machine is quiet (seeding leaves PostgreSQL busy writing for a while)
    let cold: ColdStart | null = null;
    if (!cfg.skipColdStart) {
      log('measuring cold start on the embedded database…');
      cold = await measureColdStart(60_000);
      log(`cold start to /readyz in ${(cold.coldMs / 1000).toFixed(2)} s`);
    }
    db = await benchDatabase(cfg);
    await prepare(db.url, cfg.tickets, db.reused);
    // as deployed (the Dockerfile sets NODE_ENV=production; graphql-js skips its development checks)
    const appEnv = { DATABASE_URL: db.url, DATA_DIR: dataDir, NODE_ENV: 'production' };
    const app = await startAppProcess(appEnv, await freePort(), 60_000);
    log(`app ready in ${(app.readyMs / 1000).toFixed(2)} s (pid ${app.pid})`);
    await sleep(2000);
    const idleRss = app.rssMb();
    log(`measuring the inbox…`);
    const inbox = await benchInbox({
      appUrl: app.url,
      dbUrl: db.url,
      iterations: cfg.iterations,
      warmup: cfg.warmup,
    });
    log(`measuring the workspace inbox pages…`);
    const pages = await benchInboxPages({
      appUrl: app.url,
      dbUrl: db.url,
      iterations: Math.max(50, Math.round(cfg.iterations / 3)),
      warmup: 10,
    });
    await sleep(2000);
    const loadedRss = app.rssMb();
    await app.stop();
    report(cfg.tickets, inbox, pages, idleRss, loadedRss, cold);
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
