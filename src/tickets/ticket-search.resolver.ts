import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { TicketPriority, TicketStatus } from './entities';
import { toTicketDto } from './dto/mappers';
import { TagCountDto, TagsArgs, TicketConnection, TicketsArgs } from './dto/ticket-search.dto';
import { TicketSearchService } from './ticket-search.service';
import { TicketTagsService } from './ticket-tags.service';

/** Whether the query selects `name` directly on this field (through fragments too). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet);
      return visit(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((n) => visit(n.selectionSet));
}

@Resolver()
export class TicketSearchResolver {
  constructor(
    private readonly search: TicketSearchService,
    private readonly tagService: TicketTagsService,
  ) {}

  @Query(() => TicketConnection, {
    description:
      'Tickets you can see, filtered and sorted, with cursor pagination. totalCount is computed only when selected.',
  })
  async tickets(
    @CurrentActor() actor: Actor,
    @Args() args: TicketsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TicketConnection> {
    const f = args.filter;
    const connection = await this.search.list(actor, {
      filter: f && {
        ...f,
        status: f.status as TicketStatus[] | undefined,
        priority: f.priority as TicketPriority[] | undefined,
      },
      sort: args.sort,
      first: args.first,
      after: args.after,
      withCount: selects(info, 'totalCount'),
    });
    return {
      ...connection,
      edges: connection.edges.map((e) => ({ cursor: e.cursor, node: toTicketDto(e.node) })),
    };
  }

  @Query(() => [TagCountDto], { description: 'Tags in use on tickets you can see, most used first.' })
  async tags(@CurrentActor() actor: Actor, @Args() args: TagsArgs): Promise<TagCountDto[]> {
    return this.tagService.list(actor, args.search, args.first ?? 50);
  }
}
