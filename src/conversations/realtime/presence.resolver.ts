import { Args, ID, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { PresenceStateEnum, TicketPresenceDto } from './presence.dto';
import { TicketPresenceService } from './presence.service';

/** Collision detection: agents announce that they view or reply to a ticket and see who else does. */
@Resolver()
export class TicketPresenceResolver {
  constructor(private readonly presence: TicketPresenceService) {}

  @Mutation(() => TicketPresenceDto, {
    description:
      'Heartbeat: you view (or reply to) this ticket. Send every 20 s while it is open; `left` when you leave.',
  })
  updateTicketPresence(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('state', { type: () => PresenceStateEnum }) state: PresenceStateEnum,
  ): Promise<TicketPresenceDto> {
    return this.presence.update(actor, ticketId, state);
  }

  @Subscription(() => TicketPresenceDto, {
    resolve: (payload: TicketPresenceDto) => payload,
    description: 'Who has the ticket open: the current list at once, then after every change.',
  })
  async ticketPresence(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }) ticketId: string,
  ): Promise<AsyncIterableIterator<TicketPresenceDto>> {
    try {
      return await this.presence.watch(actor, ticketId);
    } catch (err) {
      if (err instanceof DomainError)
        throw new GraphQLError(err.message, { extensions: { ...err.details, code: err.code } });
      throw err;
    }
  }
}
