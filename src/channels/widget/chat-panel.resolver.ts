import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { eventStream } from '../../common/pubsub/event-stream';
import { RealtimeBus } from '../../common/pubsub/realtime-bus';
import { AuthorKindEnum, ConversationDto } from '../../conversations/dto/conversation.dto';
import { toConversationDto } from '../../conversations/dto/mappers';
import { ChatPanelService, transferTarget } from './chat-panel.service';
import { agentChatsTopic, ChatRoutingService } from './chat-routing.service';
import { ChatTransferService } from './chat-transfer.service';
import { AgentChatDto, LiveChatEventDto, LiveChatEventTypeEnum, TransferChatInput } from './dto/chat-panel.dto';

const uuid = new ParseUUIDPipe();
const passThrough = <T>(payload: T): T => payload;

/** The agent's chat panel: offers, decline, transfer, and its live events. */
@Resolver()
export class ChatPanelResolver {
  constructor(
    private readonly panel: ChatPanelService,
    private readonly routing: ChatRoutingService,
    private readonly transfers: ChatTransferService,
    private readonly bus: RealtimeBus,
  ) {}

  @Query(() => [AgentChatDto], {
    description: 'Chats offered to you (first), the live chats you are in, then the rest of the queue you can see.',
  })
  async myLiveChats(@CurrentActor() actor: Actor): Promise<AgentChatDto[]> {
    return (await this.panel.list(actor)).map((c) =>
      Object.assign(new AgentChatDto(), { ...c, conversation: toConversationDto(c.conversation) }),
    );
  }

  @Mutation(() => Boolean, { description: 'Passes on a chat offered to you: it goes to the next agent or the queue.' })
  declineChatOffer(@CurrentActor() actor: Actor, @Args('conversationId', { type: () => ID }, uuid) c: string) {
    return this.routing.decline(actor, c);
  }

  @Mutation(() => ConversationDto, {
    description: 'Hands an active chat to an agent (online or transfer-only, with room) or a group, with a note.',
  })
  async transferChat(@CurrentActor() actor: Actor, @Args('input') input: TransferChatInput): Promise<ConversationDto> {
    return toConversationDto(
      await this.transfers.transfer(actor, input.conversationId, transferTarget(input), input.note),
    );
  }

  @Subscription(() => LiveChatEventDto, {
    resolve: passThrough,
    description:
      'Your chat panel changed: an offer made or withdrawn, a chat accepted, transferred or ended, a message.',
  })
  myLiveChatEvents(@CurrentActor() actor: Actor): AsyncIterableIterator<LiveChatEventDto> {
    const agentId = actor.agentId ?? '';
    return eventStream<LiveChatEventDto>((push) =>
      this.bus.on(agentChatsTopic(agentId), (e) => {
        const [, type, author] = /^chat-(offer|chat|message)(?::(\w+))?$/.exec(e.kind) ?? [];
        if (!type) return;
        push(
          Object.assign(new LiveChatEventDto(), {
            type: type.toUpperCase() as LiveChatEventTypeEnum,
            conversationId: String(e.id),
            authorKind: (author as AuthorKindEnum | undefined) ?? null,
          }),
        );
      }),
    );
  }
}
