import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../../common/auth/current-actor.decorator';
import { DomainError, ValidationError } from '../../common/errors/domain-error';
import { MessageAddedEvent, TicketUpdatedEvent } from '../dto/events.dto';
import { MessageStreamsService } from './message-streams.service';

const cursorArg = {
  type: () => ID,
  nullable: true,
  description: 'The cursor of the last event you received: everything after it is sent first, then live events.',
};

/**
 * graphql-ws does not run Apollo's error formatting, so errors of a refused subscription carry
 * their code in `extensions` here (TICKET_NOT_FOUND, VALIDATION_FAILED, …).
 */
async function subscribe<T>(open: () => Promise<AsyncIterableIterator<T>>): Promise<AsyncIterableIterator<T>> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof DomainError) {
      throw new GraphQLError(err.message, { extensions: { ...err.details, code: err.code } });
    }
    throw err;
  }
}

/**
 * A subscription keeps one context for all its events, so the per-request DataLoaders on it
 * would cache requesters, agents, links… from the first event for its whole life (stale data,
 * and a cache that only grows). Each event starts with empty loaders instead.
 */
const freshEvent = <T>(payload: T, _args: unknown, ctx: GraphQLContext): T => {
  ctx.loaders?.clear();
  return payload;
};

@Resolver()
export class ConversationSubscriptionsResolver {
  constructor(private readonly streams: MessageStreamsService) {}

  @Subscription(() => MessageAddedEvent, {
    resolve: freshEvent,
    description: 'New messages of a ticket (all its conversations) or of one conversation. Resumable with `after`.',
  })
  messageAdded(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID, nullable: true }) ticketId?: string,
    @Args('conversationId', { type: () => ID, nullable: true }) conversationId?: string,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<MessageAddedEvent>> {
    return subscribe(() => {
      if (!ticketId === !conversationId) throw new ValidationError('Pass either ticketId or conversationId.');
      return ticketId
        ? this.streams.messagesOfTicket(actor, ticketId, after)
        : this.streams.messagesOfConversation(actor, conversationId as string, after);
    });
  }

  @Subscription(() => MessageAddedEvent, {
    resolve: freshEvent,
    description: 'New messages on tickets assigned to you. Resumable with `after`.',
  })
  inboxMessageAdded(
    @CurrentActor() actor: Actor,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<MessageAddedEvent>> {
    return subscribe(() => this.streams.inboxMessages(actor, after));
  }

  @Subscription(() => TicketUpdatedEvent, {
    resolve: freshEvent,
    description: 'Every change to a ticket (its audit events). Resumable with `after`.',
  })
  ticketUpdated(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<TicketUpdatedEvent>> {
    return subscribe(() => this.streams.ticketUpdates(actor, ticketId, after));
  }

  @Subscription(() => TicketUpdatedEvent, {
    resolve: freshEvent,
    description: 'Changes to tickets assigned to you, and reassignments away from you of tickets you can still see.',
  })
  inboxTicketUpdated(
    @CurrentActor() actor: Actor,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<TicketUpdatedEvent>> {
    return subscribe(() => this.streams.inboxTicketUpdates(actor, after));
  }

  @Subscription(() => TicketUpdatedEvent, {
    resolve: freshEvent,
    description:
      'Changes to every ticket you may see, new tickets included (a queue view), or only those of one group. ' +
      'Resumable with `after`.',
  })
  ticketsUpdated(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID, nullable: true }) groupId?: string,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<TicketUpdatedEvent>> {
    return subscribe(() => this.streams.ticketsUpdates(actor, groupId, after));
  }

  @Subscription(() => MessageAddedEvent, {
    resolve: freshEvent,
    description: 'New messages on every ticket you can see (live lists). Resumable with `after`.',
  })
  visibleMessageAdded(
    @CurrentActor() actor: Actor,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<MessageAddedEvent>> {
    return subscribe(() => this.streams.visibleMessages(actor, after));
  }

  @Subscription(() => TicketUpdatedEvent, {
    resolve: freshEvent,
    description: 'Changes to every ticket you can see. The same stream as `ticketsUpdated` without `groupId`.',
    deprecationReason: 'Use ticketsUpdated (without groupId): the same events.',
  })
  visibleTicketUpdated(
    @CurrentActor() actor: Actor,
    @Args('after', cursorArg) after?: string,
  ): Promise<AsyncIterableIterator<TicketUpdatedEvent>> {
    return subscribe(() => this.streams.ticketsUpdates(actor, undefined, after));
  }
}
