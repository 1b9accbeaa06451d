import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationError } from '../../common/errors/domain-error';

@ArgsType()
export class TwoWayPageArgs {
  @Field(() => Int, { nullable: true, description: 'Oldest first: page size, 1 to 100 (default 50).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  first?: number;

  @Field(() => String, { nullable: true, description: 'With first: cursor of the last item of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string;

  @Field(() => Int, { nullable: true, description: 'Newest first: the last N items (before `before`), 1 to 100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  last?: number;

  @Field(() => String, { nullable: true, description: 'With last: cursor of the first item of the next page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  before?: string;
}

export interface PageWindow {
  limit: number;
  /** Reading backwards from the end (last/before); rows come newest first and are reversed. */
  backwards: boolean;
}

export function pageWindow(args: TwoWayPageArgs): PageWindow {
  if (args.first !== undefined && args.last !== undefined) throw new ValidationError('Pass first or last, not both.');
  if (args.last !== undefined || (args.before !== undefined && args.first === undefined)) {
    return { limit: args.last ?? 50, backwards: true };
  }
  return { limit: args.first ?? 50, backwards: false };
}

/** Page info for a page read with `limit + 1` rows; `rows` is what was read, in reading order. */
export function pageInfoFor(
  rowsRead: number,
  window: PageWindow,
  args: TwoWayPageArgs,
  startCursor: string | null,
  endCursor: string | null,
) {
  const more = rowsRead > window.limit;
  return window.backwards
    ? { hasPreviousPage: more, hasNextPage: args.before !== undefined, startCursor, endCursor }
    : { hasNextPage: more, hasPreviousPage: args.after !== undefined, startCursor, endCursor };
}
