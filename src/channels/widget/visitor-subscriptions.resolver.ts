import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { CurrentVisitor } from '../../common/auth/current-visitor.decorator';
import type { VisitorPrincipal } from '../../common/auth/visitor';
import { DomainError } from '../../common/errors/domain-error';
import { ConversationSignalDto, WidgetMessageEventDto } from './dto/visitor.dto';
import { WidgetStreamsService } from './widget-streams.service';

async function open<T>(fn: () => Promise<AsyncIterableIterator<T>>): Promise<AsyncIterableIterator<T>> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError)
      throw new GraphQLError(err.message, { extensions: { ...err.details, code: err.code } });
    throw err;
  }
}

const passThrough = <T>(payload: T): T => payload;

@Resolver()
export class WidgetSubscriptionsResolver {
  constructor(private readonly streams: WidgetStreamsService) {}

  @Subscription(() => WidgetMessageEventDto, {
    resolve: passThrough,
    description: 'Widget: new messages of one of the visitor’s conversations. Resumable with `after`.',
  })
  widgetMessageAdded(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('after', { type: () => ID, nullable: true }) after?: string,
  ): Promise<AsyncIterableIterator<WidgetMessageEventDto>> {
    return open(() => this.streams.visitorMessages(v, conversationId, after));
  }

  @Subscription(() => ConversationSignalDto, {
    resolve: passThrough,
    description: 'Widget: agents typing, read receipts, chat state and queue position.',
  })
  widgetSignals(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ): Promise<AsyncIterableIterator<ConversationSignalDto>> {
    return open(() => this.streams.visitorSignals(v, conversationId));
  }

  @Subscription(() => ConversationSignalDto, {
    resolve: passThrough,
    description: 'Agents: the visitor typing, receipts and chat state of a widget conversation.',
  })
  conversationSignals(
    @CurrentActor() actor: Actor,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ): Promise<AsyncIterableIterator<ConversationSignalDto>> {
    return open(() => this.streams.agentSignals(actor, conversationId));
  }
}
