import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ContactReferenceInput,
  TicketPriorityEnum,
  TicketStatusEnum,
  TicketTypeEnum,
} from '../../tickets/dto/ticket.dto';
import { MAX_ATTACHMENTS, MAX_BODY_CHARS } from '../message-body';
import { BodyFormatEnum, ChannelKindEnum } from './conversation.dto';

export enum OpenTicketAuthorEnum {
  REQUESTER = 'REQUESTER',
  AGENT = 'AGENT',
}
registerEnumType(OpenTicketAuthorEnum, {
  name: 'OpenTicketAuthor',
  description: 'REQUESTER: the customer wrote the first message (web form, import); AGENT: you reach out first.',
});

const body = { description: 'At most 256 KB.' };

@InputType()
export class OpenTicketInput {
  @Field() @IsString() @MinLength(1) @MaxLength(250) subject: string;
  @Field(() => ContactReferenceInput)
  @ValidateNested()
  @Type(() => ContactReferenceInput)
  requester: ContactReferenceInput;
  @Field(body) @IsString() @MaxLength(MAX_BODY_CHARS) body: string;
  @Field(() => BodyFormatEnum, { defaultValue: BodyFormatEnum.TEXT })
  @IsEnum(BodyFormatEnum)
  bodyFormat: BodyFormatEnum;
  @Field(() => OpenTicketAuthorEnum, { defaultValue: OpenTicketAuthorEnum.REQUESTER })
  @IsEnum(OpenTicketAuthorEnum)
  author: OpenTicketAuthorEnum;
  @Field(() => ChannelKindEnum, { defaultValue: ChannelKindEnum.api })
  @IsEnum(ChannelKindEnum)
  channel: ChannelKindEnum;
  @Field(() => TicketPriorityEnum, { nullable: true })
  @IsOptional()
  @IsEnum(TicketPriorityEnum)
  priority?: TicketPriorityEnum;
  @Field(() => TicketTypeEnum, { nullable: true }) @IsOptional() @IsEnum(TicketTypeEnum) type?: TicketTypeEnum;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @IsString({ each: true }) tags?: string[];
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() assigneeId?: string;
  @Field(() => [ID], { nullable: true, description: 'Ids returned by POST /files.' })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

@InputType()
export class ReplyToTicketInput {
  @Field(() => ID) @IsUUID() ticketId: string;
  @Field(() => ID, { nullable: true, description: 'Defaults to the conversation with the latest message.' })
  @IsOptional()
  @IsUUID()
  conversationId?: string;
  @Field(body) @IsString() @MaxLength(MAX_BODY_CHARS) body: string;
  @Field(() => BodyFormatEnum, { defaultValue: BodyFormatEnum.TEXT })
  @IsEnum(BodyFormatEnum)
  bodyFormat: BodyFormatEnum;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
  @Field(() => TicketStatusEnum, { nullable: true, description: 'Send and set the status in one step.' })
  @IsOptional()
  @IsEnum(TicketStatusEnum)
  setStatus?: TicketStatusEnum;
}

@InputType()
export class AddNoteInput {
  @Field(() => ID) @IsUUID() ticketId: string;
  @Field({ description: 'Mention agents with @[Name](agent:<id>) or @their-email.' })
  @IsString()
  @MaxLength(MAX_BODY_CHARS)
  body: string;
  @Field(() => BodyFormatEnum, { defaultValue: BodyFormatEnum.TEXT })
  @IsEnum(BodyFormatEnum)
  bodyFormat: BodyFormatEnum;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

@InputType({ description: "A message from the conversation's contact, posted by an integration." })
export class ReceiveMessageInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(body) @IsString() @MaxLength(MAX_BODY_CHARS) body: string;
  @Field(() => BodyFormatEnum, { defaultValue: BodyFormatEnum.TEXT })
  @IsEnum(BodyFormatEnum)
  bodyFormat: BodyFormatEnum;
  @Field(() => String, {
    nullable: true,
    description: 'Your id for this message; sending the same one again returns the stored message.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  externalId?: string;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}
