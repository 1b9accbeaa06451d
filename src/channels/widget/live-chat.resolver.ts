import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import {
  ChannelKindEnum,
  ConversationDto,
  ConversationStateEnum,
  MessageDto,
} from '../../conversations/dto/conversation.dto';
import { toConversationDto, toMessageDto } from '../../conversations/dto/mappers';
import { parseCursor } from '../../conversations/realtime/message-streams.service';
import { toVisitorContextDto } from './dto/mappers';
import { VisitorContextDto } from './dto/visitor.dto';
import { ChatReplyInput } from './dto/visitor.inputs';
import { FollowUpService } from './follow-up.service';
import { LiveChatService } from './live-chat.service';
import { VisitorsService } from './visitors.service';

const uuid = new ParseUUIDPipe();
const optionalUuid = new ParseUUIDPipe({ optional: true });
const id = { type: () => ID };

/** Agents in widget conversations: the queue, accept/join/leave/end, replies with rich content, visitor context. */
@Resolver(() => ConversationDto)
export class LiveChatResolver {
  constructor(
    private readonly chats: LiveChatService,
    private readonly visitors: VisitorsService,
    private readonly followUp: FollowUpService,
  ) {}

  @Query(() => [ConversationDto], { description: 'Live chats waiting (oldest first) or active, that you can see.' })
  async liveChats(
    @CurrentActor() actor: Actor,
    @Args('states', { type: () => [ConversationStateEnum], defaultValue: [ConversationStateEnum.waiting] })
    states: ConversationStateEnum[],
    @Args('widgetId', { type: () => ID, nullable: true }, optionalUuid) widgetId?: string,
  ): Promise<ConversationDto[]> {
    return (await this.chats.list(actor, states, widgetId ?? null)).map(toConversationDto);
  }

  @Mutation(() => ConversationDto, {
    description: 'Takes a waiting chat; CHAT_ALREADY_ACCEPTED when someone was faster.',
  })
  async acceptChat(@CurrentActor() actor: Actor, @Args('conversationId', id, uuid) c: string) {
    return toConversationDto(await this.chats.accept(actor, c));
  }

  @Mutation(() => ConversationDto, { description: 'Joins an active chat; several agents can be in one.' })
  async joinChat(@CurrentActor() actor: Actor, @Args('conversationId', id, uuid) c: string) {
    return toConversationDto(await this.chats.join(actor, c));
  }

  @Mutation(() => ConversationDto)
  async leaveChat(@CurrentActor() actor: Actor, @Args('conversationId', id, uuid) c: string) {
    return toConversationDto(await this.chats.leave(actor, c));
  }

  @Mutation(() => ConversationDto, { description: 'Ends a live chat; the transcript stays on the ticket.' })
  async endChat(@CurrentActor() actor: Actor, @Args('conversationId', id, uuid) c: string) {
    return toConversationDto(await this.chats.endByAgent(actor, c));
  }

  @Mutation(() => MessageDto, { description: 'A message in a widget conversation, with optional rich content.' })
  async chatReply(@CurrentActor() actor: Actor, @Args('input') input: ChatReplyInput): Promise<MessageDto> {
    const written = await this.chats.reply(actor, input);
    return toMessageDto(written.message, written.attachments);
  }

  @Mutation(() => Boolean, { description: 'Shows (or hides) “typing…” to the visitor.' })
  chatTyping(
    @CurrentActor() actor: Actor,
    @Args('conversationId', id, uuid) c: string,
    @Args('typing') typing: boolean,
  ): Promise<boolean> {
    return this.chats.typing(actor, c, typing);
  }

  @Mutation(() => Boolean, { description: 'The visitor sees their messages up to `upTo` as read.' })
  markChatRead(
    @CurrentActor() actor: Actor,
    @Args('conversationId', id, uuid) c: string,
    @Args('upTo', id) upTo: string,
  ): Promise<boolean> {
    return this.chats.markRead(actor, c, parseCursor(upTo) as number);
  }

  @Mutation(() => Boolean, { description: 'Emails the transcript to the visitor’s known email address.' })
  async emailChatTranscript(@CurrentActor() actor: Actor, @Args('conversationId', id, uuid) c: string) {
    const { wc } = await this.chats.get(actor, c);
    const visitor = (await this.visitors.findVisitors([wc.visitorId]))[0];
    if (!visitor?.email) return false;
    await this.followUp.emailTranscript(c, visitor.email, visitor.locale === 'ko' ? 'ko' : 'en');
    return true;
  }

  @ResolveField(() => VisitorContextDto, {
    nullable: true,
    description:
      'Widget conversations: pages, device, locale, visits, tracked events and pre-chat answers of the visitor.',
  })
  async visitor(@Parent() c: ConversationDto, @CurrentActor() actor: Actor): Promise<VisitorContextDto | null> {
    if (c.channelKind !== ChannelKindEnum.widget || !c.channelId) return null;
    const { wc } = await this.chats.get(actor, c.id);
    const ctx = await this.visitors.context(c.contactId, c.channelId, wc.visitorId);
    return ctx && toVisitorContextDto(ctx.visitor, ctx.pages, ctx.events, wc.prechatAnswers);
  }
}
