import { Client } from 'pg';
import { BENCH_ADMIN } from './seed';
import { summarize, type Summary } from './stats';

/** The workspace inbox pages an agent opens all day, server-rendered (Handlebars), full HTML. */
export const INBOX_PAGES = [
  { name: 'Mine', path: '/app/inbox/mine' },
  { name: 'Unassigned', path: '/app/inbox/unassigned' },
  { name: 'My groups', path: '/app/inbox/groups' },
  { name: 'All open (updated)', path: '/app/inbox/open' },
  { name: 'All open (priority)', path: '/app/inbox/open?sort=priority' },
  { name: 'Solved', path: '/app/inbox/solved' },
] as const;

export interface InboxPageResult {
  agentEmail: string;
  assigned: number;
  pages: Array<{ name: string; path: string; summary: Summary; bytes: number; rows: number }>;
  /** All page loads together: what "the inbox page p95" means. */
  all: Summary;
}

/**
 * p50/p95 of the inbox pages for an ordinary agent (role agent, member of one group, with
 * thousands of assigned tickets among the seeded million), signed in with a session cookie as a
 * browser is, through the whole HTTP → guard → services → Handlebars path. Pages are interleaved
 * so every one sees the same machine noise.
 */
export async function benchInboxPages(opts: {
  appUrl: string;
  dbUrl: string;
  iterations: number;
  warmup: number;
}): Promise<InboxPageResult> {
  const db = new Client({ connectionString: opts.dbUrl });
  await db.connect();
  let agentEmail: string;
  let assigned: number;
  try {
    // the busiest seeded agent signs in with the bench admin's password
    const busiest = await db.query<{ id: string; email: string; n: string }>(
      `SELECT a.id, a.email, count(*) AS n FROM agent a JOIN ticket t ON t.assignee_id = a.id
        WHERE a.role = 'agent' AND a.email = 'bench-agent-1@example.test' GROUP BY a.id, a.email`,
    );
    if (!busiest.rows[0]) throw new Error('bench-agent-1 has no tickets: reseed the bench database');
    agentEmail = busiest.rows[0].email;
    assigned = Number(busiest.rows[0].n);
    await db.query(
      `UPDATE agent SET password_hash = (SELECT password_hash FROM agent WHERE email = $1), locked_until = NULL,
              failed_login_count = 0 WHERE id = $2`,
      [BENCH_ADMIN.email, busiest.rows[0].id],
    );
  } finally {
    await db.end();
  }

  const login = await fetch(`${opts.appUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($i: LoginInput!) { login(input: $i) { agent { id } } }`,
      variables: { i: { email: agentEmail, password: BENCH_ADMIN.password } },
    }),
  });
  const body = (await login.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`bench agent login failed: ${JSON.stringify(body.errors)}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];

  const load = async (path: string): Promise<{ bytes: number; rows: number }> => {
    const res = await fetch(`${opts.appUrl}${path}`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    return { bytes: Buffer.byteLength(html), rows: (html.match(/data-ticket-row/g) ?? []).length };
  };

  const shapes = new Map<string, { bytes: number; rows: number }>();
  for (const p of INBOX_PAGES) shapes.set(p.path, await load(p.path));
  const times = new Map<string, number[]>(INBOX_PAGES.map((p) => [p.path, []]));
  const all: number[] = [];
  for (let i = 0; i < opts.warmup + opts.iterations; i++) {
    for (let k = 0; k < INBOX_PAGES.length; k++) {
      const page = INBOX_PAGES[(i + k) % INBOX_PAGES.length];
      const t0 = performance.now();
      await load(page.path);
      const ms = performance.now() - t0;
      if (i >= opts.warmup) {
        times.get(page.path)!.push(ms);
        all.push(ms);
      }
    }
  }
  return {
    agentEmail,
    assigned,
    pages: INBOX_PAGES.map((p) => ({
      name: p.name,
      path: p.path,
      summary: summarize(times.get(p.path)!),
      ...shapes.get(p.path)!,
    })),
    all: summarize(all),
  };
}
