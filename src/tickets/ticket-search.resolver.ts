import { Args, Context, Info, Query, Resolver } from '@nestjs/graphql';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { preload } from '../common/graphql/preloaded';
import { toContactDto } from '../contacts/dto/mappers';
import { ContactsService } from '../contacts/contacts.service';
import type { TicketPriority, TicketStatus } from './entities';
import { toTicketDto } from './dto/mappers';
import { TagCountDto, TagsArgs, TicketConnection, TicketsArgs } from './dto/ticket-search.dto';
import { requesterLoader } from './ticket-loaders';
import { TicketSearchService } from './ticket-search.service';
import { TicketTagsService } from './ticket-tags.service';

/** Whether the query selects this path of fields below the current one (through fragments too). */
function selects(info: GraphQLResolveInfo, ...path: string[]): boolean {
  const visit = (set: SelectionSetNode | undefined, depth: number): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== path[depth]) return false;
        return depth === path.length - 1 || visit(s.selectionSet, depth + 1);
      }
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet, depth);
      return visit(info.fragments[s.name.value]?.selectionSet, depth);
    });
  return info.fieldNodes.some((n) => visit(n.selectionSet, 0));
}

@Resolver()
export class TicketSearchResolver {
  constructor(
    private readonly search: TicketSearchService,
    private readonly tagService: TicketTagsService,
    private readonly contacts: ContactsService,
  ) {}

  @Query(() => TicketConnection, {
    description:
      'Tickets you can see, filtered and sorted, with cursor pagination. totalCount is computed only when selected.',
  })
  async tickets(
    @CurrentActor() actor: Actor,
    @Args() args: TicketsArgs,
    @Info() info: GraphQLResolveInfo,
    @Context() ctx: GraphQLContext,
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
      withRequesters: selects(info, 'edges', 'node', 'requester'),
    });
    const requesters = new Map(connection.requesters.map((c) => [c.id, toContactDto(c)]));
    if (requesters.size) {
      const loader = requesterLoader(ctx, this.contacts);
      for (const [id, dto] of requesters) loader.prime(id, dto);
    }
    return {
      pageInfo: connection.pageInfo,
      totalCount: connection.totalCount,
      edges: connection.edges.map((e) => {
        const node = toTicketDto(e.node);
        const requester = requesters.get(e.node.requesterId);
        return { cursor: e.cursor, node: requester ? preload(node, 'requester', requester) : node };
      }),
    };
  }

  @Query(() => [TagCountDto], { description: 'Tags in use on tickets you can see, most used first.' })
  async tags(@CurrentActor() actor: Actor, @Args() args: TagsArgs): Promise<TagCountDto[]> {
    return this.tagService.list(actor, args.search, args.first ?? 50);
  }
}
