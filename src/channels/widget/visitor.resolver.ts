import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentVisitor } from '../../common/auth/current-visitor.decorator';
import type { VisitorPrincipal } from '../../common/auth/visitor';
import { parseCursor } from '../../conversations/realtime/message-streams.service';
import { WidgetConversationDto, WidgetMessageDto, WidgetMessagePageDto, WidgetSessionDto } from './dto/visitor.dto';
import { WidgetMessageInput, WidgetPageViewInput, WidgetTrackInput, WidgetVisitorInput } from './dto/visitor.inputs';
import { VisitorConversationsService } from './visitor-conversations.service';
import { VisitorsService } from './visitors.service';
import { WidgetSessionService } from './widget-session.service';

/**
 * The widget's own API, for a connection authenticated with a visitor token (`widget*` fields).
 * Every field that names a conversation checks that it belongs to the visitor.
 */
@Resolver()
export class VisitorResolver {
  constructor(
    private readonly sessions: WidgetSessionService,
    private readonly conversations: VisitorConversationsService,
    private readonly visitors: VisitorsService,
  ) {}

  @Query(() => WidgetSessionDto, { description: 'Widget: the visitor, the widget, availability, conversations.' })
  widgetSession(@CurrentVisitor() v: VisitorPrincipal): Promise<WidgetSessionDto> {
    return this.sessions.session(v);
  }

  @Query(() => WidgetConversationDto, { description: 'Widget: one of the visitor’s conversations.' })
  widgetConversation(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WidgetConversationDto> {
    return this.sessions.conversation(v, id);
  }

  @Query(() => WidgetMessagePageDto, { description: 'Widget: messages before a message id (newest page by default).' })
  widgetMessages(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('before', { type: () => ID, nullable: true }) before?: string,
    @Args('last', { type: () => Int, nullable: true, defaultValue: 50 }) last = 50,
  ): Promise<WidgetMessagePageDto> {
    return this.conversations.history(v, conversationId, parseCursor(before), Math.min(Math.max(last, 1), 100));
  }

  @Mutation(() => WidgetMessageDto, {
    description: 'Widget: sends a message; without conversationId it starts a conversation.',
  })
  widgetSendMessage(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('input') input: WidgetMessageInput,
  ): Promise<WidgetMessageDto> {
    return this.conversations.send(v, input);
  }

  @Mutation(() => WidgetSessionDto, { description: 'Widget: name, email, language and timezone of the visitor.' })
  async widgetUpdateVisitor(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('input') input: WidgetVisitorInput,
  ): Promise<WidgetSessionDto> {
    await this.visitors.update(v, input);
    return this.sessions.session(v);
  }

  @Mutation(() => WidgetSessionDto, {
    description: 'Widget: identity verification with a JWT (HS256, widget secret) signed by your server.',
  })
  async widgetIdentify(@CurrentVisitor() v: VisitorPrincipal, @Args('jwt') jwt: string): Promise<WidgetSessionDto> {
    await this.visitors.identify(v, jwt);
    return this.sessions.session(v);
  }

  @Mutation(() => Boolean, { description: 'Widget: the visitor opened a page.' })
  widgetTrackPage(@CurrentVisitor() v: VisitorPrincipal, @Args('input') input: WidgetPageViewInput): Promise<boolean> {
    return this.visitors.trackPage(v, input);
  }

  @Mutation(() => Boolean, { description: 'Widget: a conversion or other event from Sori("track", …).' })
  widgetTrack(@CurrentVisitor() v: VisitorPrincipal, @Args('input') input: WidgetTrackInput): Promise<boolean> {
    return this.visitors.track(v, input.name, input.properties);
  }

  @Mutation(() => Boolean, { description: 'Widget: the visitor is typing (or stopped).' })
  widgetTyping(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('typing') typing: boolean,
  ): Promise<boolean> {
    return this.conversations.typing(v, conversationId, typing);
  }

  @Mutation(() => Boolean, { description: 'Widget: team messages up to `upTo` were delivered (and, with read, seen).' })
  widgetAck(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('upTo', { type: () => ID }) upTo: string,
    @Args('read', { defaultValue: false }) read: boolean,
  ): Promise<boolean> {
    return this.conversations.ack(v, conversationId, parseCursor(upTo) as number, read);
  }

  @Mutation(() => WidgetConversationDto, { description: 'Widget: the visitor ends a live chat.' })
  widgetEndChat(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ): Promise<WidgetConversationDto> {
    return this.sessions.end(v, conversationId);
  }

  @Mutation(() => Boolean, { description: 'Widget: emails the transcript (to the given address or the known one).' })
  widgetEmailTranscript(
    @CurrentVisitor() v: VisitorPrincipal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('email', { nullable: true }) email?: string,
  ): Promise<boolean> {
    return this.sessions.emailTranscript(v, conversationId, email);
  }
}
