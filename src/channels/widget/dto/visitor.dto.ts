import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../../common/graphql/json.scalar';
import {
  AuthorKindEnum,
  ConversationModeEnum,
  ConversationStateEnum,
} from '../../../conversations/dto/conversation.dto';
import {
  PreChatAnswerDto,
  PreChatFieldDto,
  ProactiveRuleDto,
  WidgetLocaleEnum,
  WidgetModeEnum,
  WidgetPositionEnum,
} from './widget.dto';

export enum AvailabilityEnum {
  OPEN = 'OPEN',
  OFF_HOURS = 'OFF_HOURS',
  NO_AGENTS = 'NO_AGENTS',
}
export enum SignalTypeEnum {
  TYPING = 'TYPING',
  RECEIPT = 'RECEIPT',
  STATE = 'STATE',
}
export enum ReceiptStateEnum {
  delivered = 'delivered',
  read = 'read',
}
registerEnumType(AvailabilityEnum, { name: 'WidgetAvailabilityReason' });
registerEnumType(SignalTypeEnum, { name: 'ConversationSignalType' });
registerEnumType(ReceiptStateEnum, { name: 'ReceiptState' });

@ObjectType('WidgetAppearance')
export class WidgetAppearanceDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => WidgetModeEnum) mode: WidgetModeEnum;
  @Field() color: string;
  @Field() onColor: string;
  @Field(() => String, { nullable: true }) logoUrl: string | null;
  @Field(() => WidgetPositionEnum) position: WidgetPositionEnum;
  @Field() launcherText: string;
  @Field() greeting: string;
  @Field({ description: 'For visitors reading Korean; empty uses greeting.' }) greetingKo: string;
  @Field(() => [PreChatFieldDto]) preChatFields: PreChatFieldDto[];
  @Field(() => WidgetLocaleEnum) locale: WidgetLocaleEnum;
  @Field() requireIdentified: boolean;
}

@ObjectType('WidgetAvailability')
export class WidgetAvailabilityDto {
  @Field({ description: 'Someone can answer now (live chat: open and an agent online).' }) online: boolean;
  @Field(() => AvailabilityEnum) reason: AvailabilityEnum;
  @Field(() => Date, { nullable: true }) nextOpenAt: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'When the team is back, in the visitor’s timezone and language: "Monday 09:00".',
  })
  backText: string | null;
}

@ObjectType('WidgetAgent')
export class WidgetAgentDto {
  @Field(() => ID) id: string;
  @Field() name: string;
}

@ObjectType('WidgetAttachment')
export class WidgetAttachmentDto {
  @Field(() => ID) id: string;
  @Field() filename: string;
  @Field() contentType: string;
  @Field(() => Int) size: number;
  @Field({ description: 'Signed download URL, valid for a day.' }) url: string;
}

@ObjectType('WidgetMessage', { description: 'A message as the visitor sees it.' })
export class WidgetMessageDto {
  @Field(() => ID, { description: 'Increasing; the cursor of widgetMessageAdded.' }) id: string;
  @Field(() => ID) conversationId: string;
  @Field(() => AuthorKindEnum) authorKind: AuthorKindEnum;
  @Field(() => WidgetAgentDto, { nullable: true }) agent: WidgetAgentDto | null;
  @Field() bodyHtml: string;
  @Field() bodyText: string;
  @Field(() => JSONObjectScalar, { nullable: true }) content: Record<string, unknown> | null;
  @Field(() => [WidgetAttachmentDto]) attachments: WidgetAttachmentDto[];
  @Field({ description: 'The other side received it.' }) delivered: boolean;
  @Field({ description: 'The other side read it.' }) read: boolean;
  @Field() createdAt: Date;
}

@ObjectType('WidgetMessageEvent')
export class WidgetMessageEventDto {
  @Field(() => ID, { description: 'Pass as `after` when resubscribing.' }) cursor: string;
  @Field(() => WidgetMessageDto) message: WidgetMessageDto;
}

@ObjectType('WidgetMessagePage')
export class WidgetMessagePageDto {
  @Field(() => [WidgetMessageDto], { description: 'Oldest first.' }) messages: WidgetMessageDto[];
  @Field() hasOlder: boolean;
}

@ObjectType('WidgetConversation')
export class WidgetConversationDto {
  @Field(() => ID) id: string;
  @Field(() => ConversationModeEnum) mode: ConversationModeEnum;
  @Field(() => ConversationStateEnum) state: ConversationStateEnum;
  @Field({ description: 'Started while nobody could answer: replies come by email.' }) offline: boolean;
  @Field(() => Int, { nullable: true, description: 'Place in the queue while waiting (1 = next).' })
  queuePosition: number | null;
  @Field(() => Int, { nullable: true }) estimatedWaitSeconds: number | null;
  @Field(() => [WidgetAgentDto]) agents: WidgetAgentDto[];
  @Field(() => WidgetMessageDto, { nullable: true }) lastMessage: WidgetMessageDto | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastMessageAt: Date | null;
}

@ObjectType('WidgetSession', { description: 'Everything the widget needs after connecting.' })
export class WidgetSessionDto {
  @Field(() => ID) visitorId: string;
  @Field() identified: boolean;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => WidgetAppearanceDto) widget: WidgetAppearanceDto;
  @Field(() => WidgetAvailabilityDto) availability: WidgetAvailabilityDto;
  @Field(() => [WidgetConversationDto]) conversations: WidgetConversationDto[];
  @Field(() => [ProactiveRuleDto]) proactiveRules: ProactiveRuleDto[];
  @Field(() => Int) visitCount: number;
}

@ObjectType('ConversationSignal', { description: 'Ephemeral: typing, receipts, chat state and queue moves.' })
export class ConversationSignalDto {
  @Field(() => SignalTypeEnum) type: SignalTypeEnum;
  @Field(() => ID) conversationId: string;
  @Field(() => AuthorKindEnum, { nullable: true, description: 'TYPING: who types.' }) authorKind: AuthorKindEnum | null;
  @Field(() => WidgetAgentDto, { nullable: true }) agent: WidgetAgentDto | null;
  @Field(() => Boolean, { nullable: true }) typing: boolean | null;
  @Field(() => ReceiptStateEnum, { nullable: true }) receipt: ReceiptStateEnum | null;
  @Field(() => ID, { nullable: true, description: 'RECEIPT: every message of the other side up to this id.' })
  upTo: string | null;
  @Field(() => ConversationStateEnum, { nullable: true }) state: ConversationStateEnum | null;
  @Field(() => Int, { nullable: true }) queuePosition: number | null;
  @Field(() => Int, { nullable: true }) estimatedWaitSeconds: number | null;
}

@ObjectType('VisitorPageView')
export class VisitorPageViewDto {
  @Field() url: string;
  @Field() title: string;
  @Field(() => String, { nullable: true }) referrer: string | null;
  @Field() viewedAt: Date;
}

@ObjectType('VisitorEvent')
export class VisitorEventDto {
  @Field() name: string;
  @Field(() => JSONObjectScalar) properties: Record<string, unknown>;
  @Field() occurredAt: Date;
}

@ObjectType('VisitorContext', { description: 'What the widget saw of the visitor, for agents.' })
export class VisitorContextDto {
  @Field(() => ID) visitorId: string;
  @Field(() => ID) widgetId: string;
  @Field(() => ID) contactId: string;
  @Field() identified: boolean;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) browser: string | null;
  @Field(() => String, { nullable: true }) os: string | null;
  @Field(() => String, { nullable: true }) deviceType: string | null;
  @Field(() => String, { nullable: true }) locale: string | null;
  @Field(() => String, { nullable: true }) timezone: string | null;
  @Field(() => String, { nullable: true }) referrer: string | null;
  @Field(() => String, { nullable: true }) currentUrl: string | null;
  @Field(() => String, { nullable: true }) currentTitle: string | null;
  @Field(() => String, { nullable: true }) ip: string | null;
  @Field(() => Int) visitCount: number;
  @Field() lastSeenAt: Date;
  @Field(() => [VisitorPageViewDto]) pages: VisitorPageViewDto[];
  @Field(() => [VisitorEventDto]) events: VisitorEventDto[];
  @Field(() => [PreChatAnswerDto], { description: 'Answers to custom pre-chat fields given when this chat started.' })
  preChatAnswers: PreChatAnswerDto[];
}
