import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { Contact } from '../contacts/entities';
import { Ticket, type TicketPriority, type TicketStatus } from './entities';
import { rowReader, selectList } from '../database/entity-rows';
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
  /** Custom field values that must all match (jsonb containment, GIN-indexed). */
  customFields?: Record<string, string | number | boolean>;
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

/**
 * The entity properties a caller reads from a list (GraphQL: the plain fields it selects);
 * the others are not loaded and stay unset. Unset: everything.
 */
export interface LoadedProperties {
  ticket?: readonly string[];
  requester?: readonly string[];
}

export interface SearchRow {
  ticket: Ticket;
  keys: unknown[];
  /** Loaded in the same query when asked for (`withRequesters`). */
  requester?: Contact;
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
    // as text: timestamps keep their microseconds (a JS Date would round them to milliseconds)
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

/**
 * Where a row carries a sort key's value. The id is selected anyway, and a uuid comes back
 * from pg as the same text as `::text`, so it is not selected twice (fewer fields to parse).
 */
function keyField(key: SortKey, i: number): string {
  return key.column === 't.id' ? 't_id' : `k${i}`;
}

interface Sql {
  sql: string;
  /** Named parameters (`:name`), turned into positional ones by the driver. */
  params: Record<string, unknown>;
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
    withRequesters = false,
    load: LoadedProperties = {},
  ): Promise<SearchRow[]> {
    const keys = sortKeys(sort);
    const properties = this.properties(load, withRequesters);
    const rows = await this.query<Record<string, unknown>>(
      this.listSql(actor, filter, sort, limit, after, withRequesters, properties),
    );
    const ticket = rowReader<Ticket>(this.ds.getMetadata(Ticket), 't_', properties.ticket);
    const requester = rowReader<Contact>(this.ds.getMetadata(Contact), 'rq_', properties.requester);
    return rows.map((row) => ({
      ticket: ticket(row),
      keys: keys.map((k, i) => row[keyField(k, i)]),
      requester: withRequesters && row.rq_id ? requester(row) : undefined,
    }));
  }

  /** The requester is matched to its ticket by `requesterId`, so a ticket loading its requester loads that too. */
  private properties(load: LoadedProperties, withRequesters: boolean): LoadedProperties {
    const ticket = load.ticket && withRequesters ? [...load.ticket, 'requesterId'] : load.ticket;
    return { ticket, requester: load.requester };
  }

  async count(actor: Actor, filter: TicketFilter): Promise<number> {
    const where = this.where(actor, filter);
    const [row] = await this.query<{ n: number }>({
      sql: `SELECT count(*)::int AS n FROM ticket t WHERE ${where.sql}`,
      params: where.params,
    });
    return row.n;
  }

  /**
   * Counts of several filters in one round trip, each stopping at `cap` (so a count costs at
   * most `cap` index entries however many tickets match; callers show "cap+" then).
   */
  async countCapped(actor: Actor, filters: TicketFilter[], cap: number): Promise<number[]> {
    if (!filters.length) return [];
    const params: Record<string, unknown> = { cap };
    const parts = filters.map((f, i) => {
      const where = this.where(actor, f);
      // each filter gets its own parameter names (`:f0_status`, `:f1_status`…); `::casts` are left alone
      const sql = where.sql.replace(/(?<!:):(\w+)/g, (_m, name: string) => `:f${i}_${name}`);
      for (const [k, v] of Object.entries(where.params)) params[`f${i}_${k}`] = v;
      return `(SELECT count(*)::int FROM (SELECT 1 FROM ticket t WHERE ${sql} LIMIT :cap) c${i}) AS n${i}`;
    });
    const [row] = await this.query<Record<string, number>>({ sql: `SELECT ${parts.join(', ')}`, params });
    return filters.map((_f, i) => row[`n${i}`]);
  }

  /** The query plan of a search, for the benchmark and for diagnosing slow views. */
  async explain(
    actor: Actor,
    filter: TicketFilter,
    sort: TicketSort,
    limit: number,
    withRequesters = false,
    load: LoadedProperties = {},
  ): Promise<string> {
    const list = this.listSql(actor, filter, sort, limit, null, withRequesters, this.properties(load, withRequesters));
    const rows = await this.query<{ 'QUERY PLAN': string }>({ ...list, sql: `EXPLAIN (ANALYZE, BUFFERS) ${list.sql}` });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  async tagCounts(actor: Actor, prefix: string | undefined, limit: number): Promise<TagCount[]> {
    const access = ticketAccessSql(actor, 't');
    const sql = `SELECT tag, count(*)::int AS count
      FROM ticket t CROSS JOIN LATERAL unnest(t.tags) AS tag
      WHERE ${access.sql} AND t.status <> 'merged' ${prefix ? `AND tag LIKE :prefix ESCAPE '\\'` : ''}
      GROUP BY tag ORDER BY count DESC, tag ASC LIMIT :limit`;
    return this.query<TagCount>({
      sql,
      params: { ...access.params, prefix: prefix ? `${escapeLike(prefix)}%` : null, limit },
    });
  }

  private query<T>(q: Sql): Promise<T[]> {
    const [sql, params] = this.ds.driver.escapeQueryWithParameters(q.sql, q.params, {});
    return this.ds.query<T[]>(sql, params);
  }

  private listSql(
    actor: Actor,
    filter: TicketFilter,
    sort: TicketSort,
    limit: number,
    after: unknown[] | null,
    withRequesters: boolean,
    load: LoadedProperties = {},
  ): Sql {
    const keys = sortKeys(sort);
    const where = this.where(actor, filter);
    const conditions = [where.sql];
    if (after) {
      conditions.push(this.keyset(keys));
      keys.forEach((_k, i) => (where.params[`c${i}`] = after[i]));
    }
    const columns = [
      selectList(this.ds.getMetadata(Ticket), 't', 't_', load.ticket),
      ...keys.flatMap((k, i) => (keyField(k, i) === `k${i}` ? [`${k.select} AS "k${i}"`] : [])),
      // one row per ticket (many-to-one), so LIMIT still counts tickets
      ...(withRequesters ? [selectList(this.ds.getMetadata(Contact), 'rq', 'rq_', load.requester)] : []),
    ];
    const join = withRequesters ? 'LEFT JOIN contact rq ON rq.id = t.requester_id' : '';
    const order = keys.map((k) => `${k.column} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
    return {
      sql: `SELECT ${columns.join(', ')} FROM ticket t ${join}
        WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT :limit`,
      params: { ...where.params, limit },
    };
  }

  private where(actor: Actor, f: TicketFilter): Sql {
    const access = ticketAccessSql(actor, 't');
    const conditions = [access.sql];
    const params: Record<string, unknown> = { ...access.params };
    const add = (sql: string, values: Record<string, unknown> = {}) => {
      conditions.push(sql);
      Object.assign(params, values);
    };
    // a one-element list becomes `=`: PostgreSQL (before 17) cannot keep index order under `= ANY` on a later column
    const oneOf = (column: string, name: string, values: string[]) =>
      values.length === 1
        ? add(`${column} = :${name}`, { [name]: values[0] })
        : add(`${column} = ANY(:${name})`, { [name]: values });
    if (f.status?.length) oneOf('t.status', 'status', f.status);
    else add(`t.status <> 'merged'`);
    if (f.priority?.length) oneOf('t.priority', 'priority', f.priority);
    if (f.assigneeId) add('t.assignee_id = :assigneeId', { assigneeId: f.assigneeId });
    if (f.unassigned) add('t.assignee_id IS NULL');
    if (f.groupId) add('t.group_id = :groupId', { groupId: f.groupId });
    if (f.groupIds) {
      if (f.groupIds.length) oneOf('t.group_id', 'groupIds', f.groupIds);
      else add('FALSE');
    }
    if (f.requesterId) add('t.requester_id = :requesterId', { requesterId: f.requesterId });
    if (f.channel) add('t.channel = :channel', { channel: f.channel });
    if (f.tags?.length) add('t.tags @> CAST(:tags AS text[])', { tags: f.tags });
    if (f.customFields) {
      add('t.custom_fields @> CAST(:customFields AS jsonb)', { customFields: JSON.stringify(f.customFields) });
    }
    if (f.text) add(this.textCondition(f.text), { tsQuery: f.text.tsQuery, like: f.text.like });
    return { sql: conditions.map((c) => `(${c})`).join(' AND '), params };
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

  /** `(k1, k2, …) after (c0, c1, …)` with per-key directions, plus a leading bound the index can use. */
  private keyset(keys: SortKey[]): string {
    const value = (i: number) => `CAST(:c${i} AS ${keys[i].cast})`;
    const after = (i: number): string => {
      const cmp = `${keys[i].column} ${keys[i].descending ? '<' : '>'} ${value(i)}`;
      return i === keys.length - 1 ? cmp : `(${cmp} OR (${keys[i].column} = ${value(i)} AND ${after(i + 1)}))`;
    };
    return `${keys[0].column} ${keys[0].descending ? '<=' : '>='} ${value(0)} AND ${after(0)}`;
  }
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
