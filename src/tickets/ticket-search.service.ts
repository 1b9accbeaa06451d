import { Injectable } from '@nestjs/common';
import { assertCanRead, type Actor } from '../common/auth/actor';
import { ValidationError } from '../common/errors/domain-error';
import { decodeCursor, isTimestampText, toConnection, type Connection } from '../common/graphql/pagination';
import { toTsQuery } from '../common/text/search-terms';
import type { Contact } from '../contacts/entities';
import type { Ticket, TicketPriority, TicketStatus } from './entities';
import { normalizeTags } from './ticket-changes';
import {
  escapeLike,
  sortKeys,
  TicketSearchRepository,
  type LoadedProperties,
  type TicketFilter,
  type TicketSort,
} from './ticket-search.repository';

export interface TicketSearchInput {
  status?: TicketStatus[];
  assigneeId?: string;
  unassigned?: boolean;
  groupId?: string;
  /** Any of these groups (an agent's "my groups" view); an empty list matches nothing. */
  groupIds?: string[];
  tags?: string[];
  requesterId?: string;
  text?: string;
  priority?: TicketPriority[];
  channel?: string;
  /** Tickets whose custom fields hold all of these values (saved views). */
  customFields?: Record<string, string | number | boolean>;
}

export interface TicketListOptions {
  filter?: TicketSearchInput;
  sort?: TicketSort;
  first?: number;
  after?: string;
  /** Counting every match costs a scan of the matches; only done when the client asks. */
  withCount?: boolean;
  /** Loads the requesters in the same query (for lists that show them). */
  withRequesters?: boolean;
  /** Only these properties of the tickets (and requesters) are loaded; the others stay unset. */
  load?: LoadedProperties;
}

export interface TicketPage extends Connection<Ticket> {
  /** The page's requesters, when `withRequesters` was set. */
  requesters: Contact[];
}

export const DEFAULT_SORT: TicketSort = { field: 'UPDATED_AT', direction: 'DESC' };
/** Substring search (pg_trgm) needs three characters to use its index. */
const MIN_SUBSTRING_LENGTH = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ticket lists and search for views, inboxes and the API. */
@Injectable()
export class TicketSearchService {
  constructor(private readonly repo: TicketSearchRepository) {}

  async list(actor: Actor, opts: TicketListOptions = {}): Promise<TicketPage> {
    assertCanRead(actor);
    const sort = opts.sort ?? DEFAULT_SORT;
    const first = opts.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new ValidationError('first must be 1 to 100.');
    const filter = this.toFilter(opts.filter ?? {});
    const after = opts.after ? this.decode(opts.after, sort) : null;
    const tag = `${sort.field}:${sort.direction}`;
    const [rows, total] = await Promise.all([
      this.repo.search(actor, filter, sort, first + 1, after, opts.withRequesters, opts.load),
      opts.withCount ? this.repo.count(actor, filter) : Promise.resolve(undefined),
    ]);
    const connection = toConnection(
      rows,
      first,
      (r) => [tag, ...r.keys],
      (r) => r.ticket,
      after !== null,
      total,
    );
    const requesters = rows.slice(0, first).flatMap((r) => (r.requester ? [r.requester] : []));
    return { ...connection, requesters };
  }

  /**
   * How many tickets match each filter, counting at most `cap` per filter (views show "999+"):
   * cheap enough to render on every inbox page, whatever the number of tickets.
   */
  async countMany(actor: Actor, filters: TicketSearchInput[], cap = 1000): Promise<number[]> {
    assertCanRead(actor);
    if (!Number.isInteger(cap) || cap < 1 || cap > 100_000) throw new ValidationError('cap must be 1 to 100000.');
    return this.repo.countCapped(
      actor,
      filters.map((f) => this.toFilter(f)),
      cap,
    );
  }

  /** EXPLAIN ANALYZE of the list query, for the benchmark. */
  explain(actor: Actor, opts: TicketListOptions = {}): Promise<string> {
    const filter = this.toFilter(opts.filter ?? {});
    return this.repo.explain(
      actor,
      filter,
      opts.sort ?? DEFAULT_SORT,
      opts.first ?? 20,
      opts.withRequesters,
      opts.load,
    );
  }

  toFilter(input: TicketSearchInput): TicketFilter {
    if (input.unassigned && input.assigneeId) {
      throw new ValidationError('Filter by assigneeId or unassigned, not both.');
    }
    const filter: TicketFilter = {
      status: input.status?.length ? [...new Set(input.status)] : undefined,
      priority: input.priority?.length ? [...new Set(input.priority)] : undefined,
      assigneeId: input.assigneeId,
      unassigned: input.unassigned || undefined,
      groupId: input.groupId,
      groupIds: input.groupIds ? [...new Set(input.groupIds)] : undefined,
      requesterId: input.requesterId,
      channel: input.channel?.trim() || undefined,
      tags: input.tags?.length ? normalizeTags(input.tags) : undefined,
      customFields: input.customFields && Object.keys(input.customFields).length ? input.customFields : undefined,
    };
    const text = input.text?.trim();
    if (text) {
      filter.text = {
        tsQuery: toTsQuery(text),
        like: [...text].length >= MIN_SUBSTRING_LENGTH ? `%${escapeLike(text)}%` : null,
      };
    }
    return filter;
  }

  /** Cursor = [sort, ...sort key values]; a cursor from another sort or a tampered one is refused. */
  private decode(cursor: string, sort: TicketSort): unknown[] {
    const keys = sortKeys(sort);
    const [tag, ...values] = decodeCursor(cursor, keys.length + 1);
    const valid =
      tag === `${sort.field}:${sort.direction}` &&
      keys.every((k, i) => {
        const v = values[i];
        switch (k.cast) {
          case 'int':
            return Number.isInteger(v) && Math.abs(v as number) < 2 ** 15;
          case 'bigint':
            return typeof v === 'string' && /^-?\d{1,18}$/.test(v);
          case 'timestamptz':
            return isTimestampText(v);
          case 'uuid':
            return typeof v === 'string' && UUID.test(v);
        }
      });
    if (!valid) {
      throw new ValidationError('The cursor is not valid for this sort. Use a cursor returned by this query.', {
        cursor,
      });
    }
    return values;
  }
}
