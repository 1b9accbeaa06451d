import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { loader } from '../common/graphql/loaders';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { ConversationsService } from './conversations.service';
import { ConversationDto } from './dto/conversation.dto';
import { groupBy, toConversationDto } from './dto/mappers';
import { TwoWayPageArgs } from './dto/page-args';
import { TimelineConnection } from './dto/timeline.dto';
import { TimelineService } from './timeline.service';

/** What the conversations context adds to tickets: their conversations and the merged timeline. */
@Resolver(() => TicketDto)
export class TicketConversationsResolver {
  constructor(
    private readonly conversationService: ConversationsService,
    private readonly timeline: TimelineService,
  ) {}

  @ResolveField(() => [ConversationDto], { description: 'Conversations of this ticket, oldest first.' })
  async conversations(@Parent() t: TicketDto, @Context() ctx: GraphQLContext): Promise<ConversationDto[]> {
    // the parent ticket was already access-checked by whatever returned it
    return loader<string, ConversationDto[]>(ctx, 'conversations.ofTicket', async (ids) => {
      const byTicket = groupBy(await this.conversationService.ofTickets(ids), (c) => c.ticketId as string);
      return ids.map((id) => (byTicket.get(id) ?? []).map(toConversationDto));
    }).load(t.id);
  }

  @Query(() => TimelineConnection, {
    description: 'Messages of all conversations, internal notes and changes of a ticket, in order.',
  })
  async ticketTimeline(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args() args: TwoWayPageArgs,
  ): Promise<TimelineConnection> {
    return this.timeline.timeline(actor, ticketId, args);
  }
}
