import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AuthorKindEnum, ConversationDto } from '../../../conversations/dto/conversation.dto';

@ObjectType('AgentChat', { description: 'A chat in the agent’s panel: offered to them, or one they take part in.' })
export class AgentChatDto {
  @Field(() => ConversationDto) conversation: ConversationDto;
  @Field({ description: 'Offered to you and waiting for accept or decline.' }) offered: boolean;
  @Field(() => Int, { description: 'Visitor messages the team has not read yet.' }) unread: number;
  @Field(() => String, { nullable: true, description: 'The note of the last transfer.' }) transferNote: string | null;
  @Field({ description: 'Transferred to a group and waiting for one of its agents.' }) transferred: boolean;
  @Field({ description: 'Waiting in the queue, not offered to you; you can still accept it.' }) queued: boolean;
}

export enum LiveChatEventTypeEnum {
  OFFER = 'OFFER',
  CHAT = 'CHAT',
  MESSAGE = 'MESSAGE',
}
registerEnumType(LiveChatEventTypeEnum, { name: 'LiveChatEventType' });

@ObjectType('LiveChatEvent', { description: 'Something changed in your chat panel; read `myLiveChats` again.' })
export class LiveChatEventDto {
  @Field(() => LiveChatEventTypeEnum) type: LiveChatEventTypeEnum;
  @Field(() => ID) conversationId: string;
  @Field(() => AuthorKindEnum, { nullable: true, description: 'MESSAGE: who wrote it.' })
  authorKind: AuthorKindEnum | null;
}

@InputType({ description: 'Hands a live chat on: to an agent or a group (exactly one), with an internal note.' })
export class TransferChatInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() toAgentId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() toGroupId?: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(2000) note: string;
}
