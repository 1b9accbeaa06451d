import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEmail, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { JSONObjectScalar } from '../../../common/graphql/json.scalar';

/** A visitor's message text: generous for chat, far below the agent limit. */
export const MAX_VISITOR_TEXT = 10_000;
export const MAX_VISITOR_ATTACHMENTS = 5;

@InputType()
export class WidgetMessageInput {
  @Field(() => ID, { nullable: true, description: 'Omit to start a new conversation with this message.' })
  @IsOptional()
  @IsUUID()
  conversationId?: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(MAX_VISITOR_TEXT) body: string;
  @Field({ description: 'Your id for this message (retries with it are not stored twice).' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/)
  clientId: string;
  @Field(() => [ID], { nullable: true, description: 'Ids from POST /widget/files.' })
  @IsOptional()
  @ArrayMaxSize(MAX_VISITOR_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
  @Field(() => JSONObjectScalar, { nullable: true, description: 'quick_reply_answer or form_response.' })
  @IsOptional()
  content?: Record<string, unknown>;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description:
      'When starting a conversation: answers to the widget’s custom pre-chat fields by key ' +
      '({"custom:topic": "Billing", "custom:size": 12, "custom:agree": true}). Name, email and phone go through widgetUpdateVisitor.',
  })
  @IsOptional()
  preChatAnswers?: Record<string, unknown>;
}

@InputType()
export class WidgetVisitorInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @Field({ nullable: true, description: 'With its country code, e.g. +82 10-1234-5678 (pre-chat form).' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^(en|ko)$/) locale?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) timezone?: string;
}

@InputType()
export class WidgetPageViewInput {
  @Field() @IsString() @MinLength(1) @MaxLength(2000) url: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(300) title: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) referrer?: string | null;
}

@InputType()
export class WidgetTrackInput {
  @Field() @IsString() @Matches(/^[\w.:-]{1,64}$/) name: string;
  @Field(() => JSONObjectScalar, { nullable: true }) @IsOptional() properties?: Record<string, unknown>;
}

@InputType({ description: 'An agent or bot message in a widget conversation, with optional rich content.' })
export class ChatReplyInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(MAX_VISITOR_TEXT * 10) body: string;
  @Field(() => JSONObjectScalar, { nullable: true }) @IsOptional() content?: Record<string, unknown>;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}
