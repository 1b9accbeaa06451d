import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/graphql/json.scalar';
import { ConnectionType, type Connection } from '../../common/graphql/pagination';

export enum ChannelKindEnum {
  email = 'email',
  widget = 'widget',
  whatsapp = 'whatsapp',
  messenger = 'messenger',
  instagram = 'instagram',
  telegram = 'telegram',
  line = 'line',
  sms = 'sms',
  api = 'api',
}
export enum ConversationModeEnum {
  messaging = 'messaging',
  live_chat = 'live_chat',
}
export enum ConversationStateEnum {
  open = 'open',
  waiting = 'waiting',
  active = 'active',
  ended = 'ended',
  closed = 'closed',
}
export enum AuthorKindEnum {
  contact = 'contact',
  agent = 'agent',
  bot = 'bot',
  system = 'system',
}
export enum DeliveryStateEnum {
  received = 'received',
  queued = 'queued',
  sent = 'sent',
  delivered = 'delivered',
  read = 'read',
  failed = 'failed',
}
export enum BodyFormatEnum {
  TEXT = 'TEXT',
  HTML = 'HTML',
}
registerEnumType(ChannelKindEnum, { name: 'ChannelKind' });
registerEnumType(ConversationModeEnum, {
  name: 'ConversationMode',
  description: 'messaging: persistent thread the customer resumes; live_chat: a session that ends with a transcript.',
});
registerEnumType(ConversationStateEnum, { name: 'ConversationState' });
registerEnumType(AuthorKindEnum, { name: 'MessageAuthorKind' });
registerEnumType(DeliveryStateEnum, { name: 'DeliveryState' });
registerEnumType(BodyFormatEnum, {
  name: 'BodyFormat',
  description: 'TEXT is escaped and linkified; HTML is sanitised (scripts, styles and remote content removed).',
});

@ObjectType('Attachment')
export class AttachmentDto {
  @Field(() => ID) id: string;
  @Field() filename: string;
  @Field() contentType: string;
  @Field(() => Int, { description: 'Size in bytes.' }) size: number;
  @Field({ description: 'Hex SHA-256 of the content.' }) sha256: string;
  @Field({ description: 'Download path (GET, same credentials as the API).' }) url: string;
  @Field() createdAt: Date;
}

@ObjectType('Message', {
  description: 'One message of a conversation, from the customer, an agent, a bot or the system.',
})
export class MessageDto {
  @Field(() => ID, { description: 'Increasing; also the cursor of message subscriptions.' }) id: string;
  @Field(() => ID) conversationId: string;
  @Field(() => ID, { nullable: true }) ticketId: string | null;
  @Field(() => AuthorKindEnum) authorKind: AuthorKindEnum;
  @Field(() => ID, { nullable: true }) authorAgentId: string | null;
  @Field(() => ID, { nullable: true }) authorContactId: string | null;
  @Field({ description: 'Sanitised HTML, safe to render.' }) bodyHtml: string;
  @Field() bodyText: string;
  @Field(() => DeliveryStateEnum) deliveryState: DeliveryStateEnum;
  @Field(() => String, { nullable: true }) deliveryError: string | null;
  @Field(() => String, { nullable: true, description: 'Id on the channel (email Message-ID, provider id).' })
  externalId: string | null;
  @Field(() => [AttachmentDto]) attachments: AttachmentDto[];
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Rich content: quick replies, link buttons, a carousel of cards or a simple form.',
  })
  content: Record<string, unknown> | null;
  @Field() createdAt: Date;
}

export const MessageConnection = ConnectionType(MessageDto, 'Message');
export type MessageConnection = Connection<MessageDto>;

@ObjectType('Conversation', { description: 'The customer-visible thread on one channel; a ticket spans one or more.' })
export class ConversationDto {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true }) ticketId: string | null;
  @Field(() => ID) contactId: string;
  @Field(() => ChannelKindEnum) channelKind: ChannelKindEnum;
  @Field(() => ID, { nullable: true }) channelId: string | null;
  @Field(() => ConversationModeEnum) mode: ConversationModeEnum;
  @Field(() => ConversationStateEnum) state: ConversationStateEnum;
  @Field(() => String, { nullable: true }) subject: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) lastMessageAt: Date | null;
}

@ObjectType('InternalNote', { description: 'A note on a ticket for agents only; never sent to the customer.' })
export class NoteDto {
  @Field(() => ID) id: string;
  @Field(() => ID) ticketId: string;
  @Field(() => ID, { nullable: true }) authorAgentId: string | null;
  @Field() bodyHtml: string;
  @Field() bodyText: string;
  @Field(() => [ID], { description: 'Agents mentioned with @[Name](agent:<id>) or @email.' }) mentionIds: string[];
  @Field(() => [AttachmentDto]) attachments: AttachmentDto[];
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}
