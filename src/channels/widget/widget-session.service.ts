import { Injectable } from '@nestjs/common';
import type { VisitorPrincipal } from '../../common/auth/visitor';
import { DomainError, RateLimitedError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { ChatStateService } from './chat-state.service';
import { toAppearanceDto, toRuleDto } from './dto/mappers';
import { AvailabilityEnum, WidgetAvailabilityDto, WidgetConversationDto, WidgetSessionDto } from './dto/visitor.dto';
import { FollowUpService } from './follow-up.service';
import { LiveChatService } from './live-chat.service';
import { SlidingWindow } from './rate-limits';
import { RulesAndBlocksService } from './rules-blocks.service';
import { VisitorConversationsService } from './visitor-conversations.service';
import { VisitorsService } from './visitors.service';
import { WidgetsService } from './widgets.service';

/** What the widget loads after connecting, and the visitor's own chat actions. */
@Injectable()
export class WidgetSessionService {
  /** Transcripts go to any address the visitor types: a few an hour, so the widget is no spam relay. */
  private readonly transcripts = new SlidingWindow(3, 3600_000);

  constructor(
    private readonly visitors: VisitorsService,
    private readonly widgets: WidgetsService,
    private readonly rules: RulesAndBlocksService,
    private readonly conversations: VisitorConversationsService,
    private readonly state: ChatStateService,
    private readonly liveChat: LiveChatService,
    private readonly followUp: FollowUpService,
  ) {}

  async session(principal: VisitorPrincipal): Promise<WidgetSessionDto> {
    const visitor = await this.visitors.get(principal);
    const widget = await this.widgets.getActive(principal.widgetId);
    const locale = visitor.locale === 'ko' ? 'ko' : 'en';
    const [availability, ids, rules] = await Promise.all([
      this.widgets.availability(widget, locale, visitor.timezone),
      widget.requireIdentified && !visitor.identifiedAt
        ? Promise.resolve([])
        : this.conversations.list(principal, widget),
      this.rules.activeRules(widget.id),
    ]);
    const conversations = (await Promise.all(ids.map((id) => this.state.dto(id)))).filter(
      (c): c is WidgetConversationDto => !!c,
    );
    return Object.assign(new WidgetSessionDto(), {
      visitorId: visitor.id,
      identified: !!visitor.identifiedAt,
      name: visitor.name,
      email: visitor.email,
      widget: toAppearanceDto(widget),
      availability: Object.assign(new WidgetAvailabilityDto(), {
        ...availability,
        reason: availability.reason as AvailabilityEnum,
      }),
      conversations,
      proactiveRules: rules.map(toRuleDto),
      visitCount: visitor.visitCount,
    });
  }

  async conversation(principal: VisitorPrincipal, id: string): Promise<WidgetConversationDto> {
    await this.conversations.owned(principal, id);
    return (await this.state.dto(id)) as WidgetConversationDto;
  }

  async end(principal: VisitorPrincipal, id: string): Promise<WidgetConversationDto> {
    const { conversation } = await this.conversations.owned(principal, id);
    if (conversation.mode !== 'live_chat') throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Only live chats end.');
    await this.liveChat.end(id, 'visitor');
    return (await this.state.dto(id)) as WidgetConversationDto;
  }

  async emailTranscript(principal: VisitorPrincipal, id: string, email: string | undefined): Promise<boolean> {
    const { visitor } = await this.conversations.owned(principal, id);
    const to = email?.trim().toLowerCase() || visitor.email;
    if (!to) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Give an email address for the transcript.');
    const wait = this.transcripts.hit(visitor.id);
    if (wait) throw new RateLimitedError(wait);
    if (email) await this.visitors.update(principal, { email: to });
    await this.followUp.emailTranscript(id, to, visitor.locale === 'ko' ? 'ko' : 'en');
    return true;
  }
}
