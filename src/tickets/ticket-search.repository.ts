import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { Ticket, type TicketPriority, type TicketStatus } from './entities';
import { ticketAccessSql } from './ticket-access';

export type TicketSortField = 'PRIORITY' | 'UPDATED_AT' | 'CREATED_AT' | 'NUMBER';
export type SortDirection = 'ASC' | 'DESC';

export interface TicketFilter {
  status?: TicketStatus[];
  assigneeId?: string;
  unassigned?: boolean;
  groupId?: string;
  /** Tickets in any of these groups; an empty list matches nothing. */
  groupIds?: string[];
  /** Tickets having all of these tags. */
  tags?: string[];
  requesterId?: string;
  priority?: TicketPriority[];
  channel?: string;
  /** Already turned into search conditions by the service. */
  text?: { tsQuery: string | null; like: string | null };
}

export interface TicketSort {
  field: TicketSortField;
  direction: SortDirection;
}

interface SortKey {
  column: string;
  /** How the cursor value is bound: timestamps travel as exact text (microseconds). */
  cast: 'int' | 'timestamptz' | 'uuid' | 'bigint';
  /** Selected as text for the cursor. */
  select: string;
  descending: boolean;
}

export interface SearchRow {
  ticket: Ticket;
  keys: unknown[];
}

export interface TagCount {
  tag: string;
  count: number;
}

/**
 * The sort keys for keyset pagination. The id tie-breaker runs opposite to the main direction,
 * matching the inbox indexes `(…, priority_rank DESC, updated_at DESC, id)` in either scan direction.
 */
export function sortKeys(sort: TicketSort): SortKey[] {
  const desc = sort.direction === 'DESC';
  const key = (column: string, cast: SortKey['cast'], descending = desc): SortKey => ({
    column: `t.${column}`,
    cast,
    // as text: exact timestamps (microseconds), and never a bare `t.<property>` TypeORM would take as the entity column
    select: cast === 'int' ? `t.${column}` : `t.${column}::text`,
    descending,
  });
  const id = key('id', 'uuid', !desc);
  switch (sort.field) {
    case 'PRIORITY':
      return [key('priority_rank', 'int'), key('updated_at', 'timestamptz'), id];
    case 'UPDATED_AT':
      return [key('updated_at', 'timestamptz'), id];
    case 'CREATED_AT':
      return [key('created_at', 'timestamptz'), id];
    case 'NUMBER':
      return [key('number', 'bigint')];
  }
}

/** Ticket lists: filters, text search, access rules and keyset pagination (never OFFSET). */
@Injectable()
export class TicketSearchRepository {
  constructor(private readonly ds: DataSource) {}

  async search(
    actor: Actor,
    filter: TicketFilter,
    sort: TicketSort,
    limit: number,
    after: unknown[] | null,
  ): Promise<SearchRow[]> {
    const keys = sortKeys(sort);
    const qb = this.filtered(actor, filter);
    keys.forEach((k, i) => qb.addSelect(k.select, `k${i}`));
    if (after) qb.andWhere(this.keyset(keys, after, qb));
    keys.forEach((k, i) => (i === 0 ? qb.orderBy : qb.addOrderBy).call(qb, k.column, k.descending ? 'DESC' : 'ASC'));
    const { entities, raw } = await qb.limit(limit).getRawAndEntities<Record<string, unknown>>();
    return entities.map((ticket, i) => ({ ticket, keys: keys.map((_k, j) => raw[i][`k${j}`]) }));
  }

  async count(actor: Actor, filter: TicketFilter): Promise<number> {
    return this.filtered(actor, filter).getCount();
  }

  /**
   * Counts of several filters in one round trip, each stopping at `cap` (so a count costs at
   * most `cap` index entries however many tickets match; callers show "cap+" then).
   */
  async countCapped(actor: Actor, filters: TicketFilter[], cap: number): Promise<number[]> {
    if (!filters.length) return [];
    const params: unknown[] = [];
    const parts = filters.map((f, i) => {
      const [sql, own] = this.filtered(actor, f).select('1').limit(cap).getQueryAndParameters();
      const offset = params.length;
      params.push(...(own as unknown[]));
      const shifted = sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
      return `(SELECT count(*)::int FROM (${shifted}) c${i}) AS n${i}`;
    });
    const [row] = await this.ds.query<Array<Record<string, number>>>(`SELECT ${parts.join(', ')}`, params);
    return filters.map((_f, i) => row[`n${i}`]);
  }

  /** The query plan of a search, for the benchmark and for diagnosing slow views. */
  async explain(actor: Actor, filter: TicketFilter, sort: TicketSort, limit: number): Promise<string> {
    const keys = sortKeys(sort);
    const qb = this.filtered(actor, filter);
    keys.forEach((k, i) => (i === 0 ? qb.orderBy : qb.addOrderBy).call(qb, k.column, k.descending ? 'DESC' : 'ASC'));
    const [sql, params] = qb.limit(limit).getQueryAndParameters();
    const rows = await this.ds.query<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  async tagCounts(actor: Actor, prefix: string | undefined, limit: number): Promise<TagCount[]> {
    const access = ticketAccessSql(actor, 't');
    const sql = `SELECT tag, count(*)::int AS count
      FROM ticket t CROSS JOIN LATERAL unnest(t.tags) AS tag
      WHERE ${access.sql} AND t.status <> 'merged' ${prefix ? `AND tag LIKE :prefix ESCAPE '\\'` : ''}
      GROUP BY tag ORDER BY count DESC, tag ASC LIMIT :limit`;
    const params = { ...access.params, prefix: prefix ? `${escapeLike(prefix)}%` : null, limit };
    const [query, positional] = this.ds.driver.escapeQueryWithParameters(sql, params, {});
    return this.ds.query<TagCount[]>(query, positional);
  }

  private filtered(actor: Actor, f: TicketFilter): SelectQueryBuilder<Ticket> {
    const access = ticketAccessSql(actor, 't');
    const qb = this.ds.getRepository(Ticket).createQueryBuilder('t').where(access.sql, access.params);
    // a one-element list becomes `=`: PostgreSQL (before 17) cannot keep index order under `= ANY` on a later column
    const oneOf = (column: string, name: string, values: string[]) =>
      values.length === 1
        ? qb.andWhere(`${column} = :${name}`, { [name]: values[0] })
        : qb.andWhere(`${column} = ANY(:${name})`, { [name]: values });
    if (f.status?.length) oneOf('t.status', 'status', f.status);
    else qb.andWhere(`t.status <> 'merged'`);
    if (f.priority?.length) oneOf('t.priority', 'priority', f.priority);
    if (f.assigneeId) qb.andWhere('t.assignee_id = :assigneeId', { assigneeId: f.assigneeId });
    if (f.unassigned) qb.andWhere('t.assignee_id IS NULL');
    if (f.groupId) qb.andWhere('t.group_id = :groupId', { groupId: f.groupId });
    if (f.groupIds) {
      if (f.groupIds.length) oneOf('t.group_id', 'groupIds', f.groupIds);
      else qb.andWhere('FALSE');
    }
    if (f.requesterId) qb.andWhere('t.requester_id = :requesterId', { requesterId: f.requesterId });
    if (f.channel) qb.andWhere('t.channel = :channel', { channel: f.channel });
    if (f.tags?.length) qb.andWhere('t.tags @> CAST(:tags AS text[])', { tags: f.tags });
    if (f.text)
      qb.andWhere(this.textCondition(f.text), {
        tsQuery: f.text.tsQuery,
        like: f.text.like,
      });
    return qb;
  }

  /**
   * Full-text terms (words and Korean bigrams, prefix matches) or, for 3+ characters, a
   * substring of the subject or of any message (pg_trgm indexes). Each branch uses its own
   * index; the union of ids is then joined to the other filters.
   */
  private textCondition(text: { tsQuery: string | null; like: string | null }): string {
    const parts: string[] = [];
    if (text.tsQuery) parts.push(`SELECT id FROM ticket WHERE search_vector @@ to_tsquery('simple', :tsQuery)`);
    if (text.like) {
      parts.push(`SELECT id FROM ticket WHERE subject ILIKE :like ESCAPE '\\'`);
      parts.push(`SELECT ticket_id FROM message WHERE body_text ILIKE :like ESCAPE '\\' AND ticket_id IS NOT NULL`);
    }
    return parts.length ? `t.id IN (${parts.join(' UNION ')})` : 'FALSE';
  }

  /** `(k1, k2, …) after (v1, v2, …)` with per-key directions, plus a leading bound the index can use. */
  private keyset(keys: SortKey[], values: unknown[], qb: SelectQueryBuilder<Ticket>): Brackets {
    keys.forEach((k, i) => qb.setParameter(`c${i}`, values[i]));
    const value = (i: number) => `CAST(:c${i} AS ${keys[i].cast})`;
    const after = (i: number): string => {
      const cmp = `${keys[i].column} ${keys[i].descending ? '<' : '>'} ${value(i)}`;
      return i === keys.length - 1 ? cmp : `(${cmp} OR (${keys[i].column} = ${value(i)} AND ${after(i + 1)}))`;
    };
    return new Brackets((w) => {
      w.where(`${keys[0].column} ${keys[0].descending ? '<=' : '>='} ${value(0)}`).andWhere(after(0));
    });
  }
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
