import { Args, Context, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { preload } from '../common/graphql/preloaded';
import { plainFieldsAt, selectionsAt } from '../common/graphql/selection';
import { toContactDto } from '../contacts/dto/mappers';
import { ContactsService } from '../contacts/contacts.service';
import type { TicketPriority, TicketStatus } from './entities';
import { toTicketDto } from './dto/mappers';
import { TagCountDto, TagsArgs, TicketConnection, TicketsArgs } from './dto/ticket-search.dto';
import { requesterLoader } from './ticket-loaders';
import { TicketSearchService } from './ticket-search.service';
import { TicketTagsService } from './ticket-tags.service';

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
    const withRequesters = selectionsAt(info, 'edges', 'node', 'requester').length > 0;
    // only what the query reads is loaded (parsing fewer columns is most of a page's database cost here)
    const ticketFields = plainFieldsAt(info, ['edges', 'node'], withRequesters ? ['requester'] : []);
    const requesterFields = withRequesters ? plainFieldsAt(info, ['edges', 'node', 'requester']) : null;
    const connection = await this.search.list(actor, {
      filter: f && {
        ...f,
        status: f.status as TicketStatus[] | undefined,
        priority: f.priority as TicketPriority[] | undefined,
      },
      sort: args.sort,
      first: args.first,
      after: args.after,
      withCount: selectionsAt(info, 'totalCount').length > 0,
      withRequesters,
      load: { ticket: ticketFields ?? undefined, requester: requesterFields ?? undefined },
    });
    const requesters = new Map(connection.requesters.map((c) => [c.id, toContactDto(c)]));
    // a partly loaded contact must not answer other fields of the request that load the same one
    if (requesters.size && !requesterFields) {
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
