import { type Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationError } from '../errors/domain-error';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number;
}

/** Relay connection type for a node type: `TicketConnection { edges { cursor node } pageInfo }`. */
export function ConnectionType<T>(nodeType: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor: string;
    @Field(() => nodeType) node: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: false })
  class ConnectionClass {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { nullable: true, description: 'Total matching items, when cheap to count.' })
    totalCount?: number;
  }
  return ConnectionClass;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('The cursor is not valid. Use a cursor returned by this query.', { cursor });
}

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::[0-5]\d){0,2})$/;

/**
 * Whether a cursor value is a real instant written the way cursors carry timestamps: as
 * PostgreSQL prints `timestamptz` (`2026-11-23 11:27:12.123456+00`) or as ISO 8601 with `Z`.
 * Checked field by field (JavaScript's Date accepts 30 February), so that a forged cursor never
 * reaches PostgreSQL as an impossible date, which it would refuse with an error of its own.
 */
export function isTimestampText(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP_TEXT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const offsetHours = m[7] === undefined ? 0 : Number(m[7]);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 15
  );
}

/** Builds a connection from `limit + 1` fetched rows: the extra row tells whether a next page exists. */
export function toConnection<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => unknown[],
  map: (row: R) => T,
  hasPreviousPage: boolean,
  totalCount?: number,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: map(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}
