import type { Client } from 'pg';
import { hashPassword } from '../src/common/auth/secrets';

export const BENCH_ADMIN = { email: 'bench-admin@example.test', password: 'bench-password-0123456789' };
const GROUPS = 20;
const AGENTS = 60;
const BULK_TABLES = ['ticket', 'conversation', 'message'];

const SUBJECTS = [
  'Refund request',
  'Cannot log in',
  'Shipping delay',
  'Invoice question',
  'Damaged package',
  'Change my plan',
  '환불 요청합니다',
  '배송이 늦어요',
  '비밀번호를 잊어버렸어요',
  '결제 오류 문의',
];
const BODIES = [
  'Hello, I ordered last week and nothing has arrived yet. Could you check the tracking number?',
  'The app says my password is wrong although I reset it twice today.',
  'I was charged twice for the same order, please refund one of the payments.',
  '안녕하세요. 지난주에 주문한 상품이 아직 도착하지 않았습니다. 확인 부탁드립니다.',
  '결제가 두 번 되었어요. 환불을 요청합니다.',
  'Thanks for the quick answer, that solved it.',
];

const sqlArray = (items: string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

type Log = (msg: string) => void;

async function timed(client: Client, log: Log, label: string, sql: string, params: unknown[] = []): Promise<void> {
  const started = Date.now();
  await client.query(sql, params);
  log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Seeds N tickets, each with one email conversation of two messages, with INSERT … SELECT over
 * generate_series (no round trip per row). Secondary indexes of the bulk tables are dropped first
 * and rebuilt afterwards, as bulk loaders do; foreign keys and triggers are skipped during the load
 * (session_replication_role = replica) since every reference is generated consistent.
 */
export async function seed(client: Client, tickets: number, log: Log): Promise<void> {
  const contacts = Math.max(1000, Math.floor(tickets / 20));
  await client.query(`SET statement_timeout = 0`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET session_replication_role = replica`);
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [BULK_TABLES],
  );
  for (const ix of indexes.rows) await client.query(`DROP INDEX ${ix.name}`);

  const hash = await hashPassword(BENCH_ADMIN.password);
  await timed(
    client,
    log,
    'agents and groups',
    `WITH g AS (INSERT INTO agent_group (name) SELECT 'Team ' || i FROM generate_series(1, ${GROUPS}) i RETURNING id),
          a AS (INSERT INTO agent (email, name, role, password_hash)
                SELECT 'bench-agent-' || i || '@example.test', 'Agent ' || i, 'agent', NULL
                FROM generate_series(1, ${AGENTS}) i RETURNING id)
     INSERT INTO group_membership (group_id, agent_id)
     SELECT g.id, a.id FROM (SELECT id, row_number() OVER () AS n FROM g) g
     JOIN (SELECT id, row_number() OVER () AS n FROM a) a ON a.n % ${GROUPS} = g.n - 1`,
  );
  await client.query(`INSERT INTO agent (email, name, role, password_hash) VALUES ($1, 'Bench admin', 'admin', $2)`, [
    BENCH_ADMIN.email,
    hash,
  ]);
  await timed(
    client,
    log,
    `${contacts} contacts`,
    `INSERT INTO contact (name) SELECT 'Customer ' || i FROM generate_series(1, ${contacts}) i`,
  );
  await timed(
    client,
    log,
    `${tickets} tickets`,
    `WITH c AS (SELECT array_agg(id) AS ids FROM contact),
          g AS (SELECT array_agg(id ORDER BY name) AS ids FROM agent_group),
          a AS (SELECT array_agg(id) AS ids FROM agent WHERE role = 'agent'),
          s AS (SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                       now() - random() * interval '90 days' AS updated
                FROM generate_series(1, ${tickets}) i)
     INSERT INTO ticket (subject, status, priority, type, channel, requester_id, assignee_id, group_id, tags,
                         created_at, updated_at, solved_at, search_vector)
     SELECT subject, status, priority, 'question', 'email', c.ids[1 + s.i % ${contacts}],
            CASE WHEN s.r3 < 0.7 THEN a.ids[1 + (s.i * 7) % ${AGENTS}] END,
            g.ids[1 + s.i % ${GROUPS}],
            CASE WHEN s.r4 < 0.3 THEN ARRAY['vip'] WHEN s.r4 < 0.5 THEN ARRAY['billing', 'refund'] ELSE '{}' END,
            s.updated - interval '2 days', s.updated,
            CASE WHEN status IN ('solved', 'closed') THEN s.updated END,
            setweight(to_tsvector('simple', subject), 'A')
     FROM s CROSS JOIN c CROSS JOIN g CROSS JOIN a
     CROSS JOIN LATERAL (SELECT
       (${sqlArray(SUBJECTS)})[1 + s.i % ${SUBJECTS.length}] || ' ' || s.i AS subject,
       CASE WHEN s.r1 < 0.30 THEN 'open' WHEN s.r1 < 0.40 THEN 'new' WHEN s.r1 < 0.55 THEN 'pending'
            WHEN s.r1 < 0.60 THEN 'on_hold' WHEN s.r1 < 0.80 THEN 'solved' ELSE 'closed' END AS status,
       CASE WHEN s.r2 < 0.2 THEN 'low' WHEN s.r2 < 0.7 THEN 'normal' WHEN s.r2 < 0.9 THEN 'high'
            ELSE 'urgent' END AS priority) v`,
  );
  await timed(
    client,
    log,
    `${tickets} conversations`,
    `INSERT INTO conversation (ticket_id, contact_id, channel_kind, subject, created_at, updated_at, last_message_at)
     SELECT id, requester_id, 'email', subject, created_at, updated_at, updated_at FROM ticket`,
  );
  await timed(
    client,
    log,
    `${tickets * 2} messages`,
    `INSERT INTO message (conversation_id, ticket_id, channel_key, author_kind, body_text, body_html, created_at)
     SELECT c.id, c.ticket_id, 'email:bench', CASE k WHEN 1 THEN 'contact' ELSE 'agent' END, b.body,
            '<p>' || b.body || '</p>', c.created_at + k * interval '1 hour'
     FROM conversation c CROSS JOIN generate_series(1, 2) k
     CROSS JOIN LATERAL (SELECT (${sqlArray(BODIES)})[1 + floor(random() * ${BODIES.length})::int + k * 0] AS body) b`,
  );
  await client.query(`SET session_replication_role = DEFAULT`);
  for (const ix of indexes.rows) await timed(client, log, `index ${ix.name}`, ix.def);
  // VACUUM too: on a live database autovacuum (its insert threshold) soon sets the visibility map,
  // which lets capped view counts run as index-only scans; measuring without it measures a fresh import
  await timed(client, log, 'VACUUM (ANALYZE)', 'VACUUM (ANALYZE)');
  await client.query(`CREATE TABLE bench_meta (tickets integer NOT NULL)`);
  await client.query(`INSERT INTO bench_meta VALUES ($1)`, [tickets]);
}
