import { Client } from 'pg';
import { SYSTEM_ACTOR } from '../src/common/auth/actor';
import { createDataSource } from '../src/database/data-source';
import { TicketSearchRepository } from '../src/tickets/ticket-search.repository';
import { TicketSearchService } from '../src/tickets/ticket-search.service';
import { BENCH_ADMIN } from './seed';
import { summarize, type Summary } from './stats';

/** The inbox of a group: its open tickets, most urgent first, then most recently updated; first page of 50. */
export const INBOX_QUERY = `query Inbox($groupId: ID!) {
  tickets(first: 50, filter: { groupId: $groupId, status: [open] }, sort: { field: PRIORITY, direction: DESC }) {
    edges { cursor node { id number subject status priority updatedAt assigneeId requester { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The same page by hand: same rows, same order, same columns (requester joined). */
export const INBOX_SQL = `SELECT t.id, t.number, t.subject, t.status, t.priority, t.updated_at, t.assignee_id,
       c.id AS requester_id, c.name AS requester_name
  FROM ticket t JOIN contact c ON c.id = t.requester_id
 WHERE t.group_id = $1 AND t.status = 'open'
 ORDER BY t.priority_rank DESC, t.updated_at DESC, t.id
 LIMIT 51`;

/** The cheapest authenticated GraphQL request: HTTP, session lookup, Apollo, logging; no resolver work. */
export const FLOOR_QUERY = `query Floor { __typename }`;

export interface InboxResult {
  sql: Summary;
  graphql: Summary;
  floor: Summary;
  appPlan: string;
  sqlPlan: string;
  usesIndex: boolean;
  openPerGroup: number;
}

interface InboxResponse {
  data?: { tickets: { edges: Array<{ node: { id: string } }> } };
  errors?: unknown[];
}

async function login(appUrl: string): Promise<string> {
  const res = await fetch(`${appUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($i: LoginInput!) { login(input: $i) { agent { id } } }`,
      variables: { i: BENCH_ADMIN },
    }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`bench login failed: ${JSON.stringify(body.errors)}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

function planUsesInboxIndex(plan: string): boolean {
  return plan.includes('ticket_inbox_group_idx') && !/Sort/.test(plan);
}

/** The plan of the query the app really runs, built by its own repository. */
async function appPlan(dbUrl: string, groupId: string): Promise<string> {
  const ds = createDataSource({ url: dbUrl, poolSize: 1, statementTimeoutMs: 60_000 });
  await ds.initialize();
  try {
    const service = new TicketSearchService(new TicketSearchRepository(ds));
    return await service.explain(SYSTEM_ACTOR, {
      filter: { groupId, status: ['open'] },
      sort: { field: 'PRIORITY', direction: 'DESC' },
      first: 51,
      withRequesters: true,
      // what the resolver loads for INBOX_QUERY: the plain fields it selects
      load: {
        ticket: ['id', 'number', 'subject', 'status', 'priority', 'updatedAt', 'assigneeId'],
        requester: ['id', 'name'],
      },
    });
  } finally {
    await ds.destroy();
  }
}

/**
 * p50/p95 of the inbox page through real HTTP + GraphQL (session cookie, as the workspace does)
 * and of the hand-written SQL on one connection, interleaved so both see the same machine noise.
 */
export async function benchInbox(opts: {
  appUrl: string;
  dbUrl: string;
  iterations: number;
  warmup: number;
}): Promise<InboxResult> {
  const db = new Client({ connectionString: opts.dbUrl });
  await db.connect();
  try {
    const groups = (await db.query<{ id: string }>('SELECT id FROM agent_group ORDER BY name')).rows.map((r) => r.id);
    const open = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ticket WHERE group_id = $1 AND status = 'open'`,
      [groups[0]],
    );
    const cookie = await login(opts.appUrl);
    const post = async (query: string, variables: Record<string, unknown>) => {
      const res = await fetch(`${opts.appUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as InboxResponse;
      if (body.errors || !body.data) throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors)}`);
      return body;
    };
    const gql = async (groupId: string): Promise<string[]> =>
      (await post(INBOX_QUERY, { groupId })).data!.tickets.edges.map((e) => e.node.id);
    const floor = async (): Promise<string[]> => (await post(FLOOR_QUERY, {}), []);
    const sql = async (groupId: string): Promise<string[]> =>
      (await db.query<{ id: string }>(INBOX_SQL, [groupId])).rows.slice(0, 50).map((r) => r.id);

    // both must return the same page, or the comparison means nothing
    const [a, b] = [await gql(groups[0]), await sql(groups[0])];
    if (a.join() !== b.join()) throw new Error('GraphQL and SQL inbox pages differ');

    const times = { sql: [] as number[], graphql: [] as number[], floor: [] as number[] };
    const run = { sql, graphql: gql, floor };
    const kinds = ['sql', 'graphql', 'floor'] as const;
    for (let i = 0; i < opts.warmup + opts.iterations; i++) {
      const group = groups[i % groups.length];
      // rotate which goes first, so that none always runs on a warm or a cold cache line
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(i + k) % kinds.length];
        const t0 = performance.now();
        await run[kind](group);
        if (i >= opts.warmup) times[kind].push(performance.now() - t0);
      }
    }
    const sqlPlan = (
      await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${INBOX_SQL}`, [groups[0]])
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    const plan = await appPlan(opts.dbUrl, groups[0]);
    return {
      sql: summarize(times.sql),
      graphql: summarize(times.graphql),
      floor: summarize(times.floor),
      appPlan: plan,
      sqlPlan,
      usesIndex: planUsesInboxIndex(plan),
      openPerGroup: Number(open.rows[0].n),
    };
  } finally {
    await db.end();
  }
}
