import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { BodyFormatEnum } from '../../../conversations/dto/conversation.dto';
import { MAX_ATTACHMENTS, MAX_BODY_CHARS } from '../../../conversations/message-body';
import { ContactReferenceInput } from '../../../tickets/dto/ticket.dto';

@InputType({
  description:
    'A new email from a ticket (a new email conversation on it): how an agent continues a chat ticket by email.',
})
export class SendEmailInput {
  @Field(() => ID) @IsUUID() ticketId: string;
  @Field(() => ContactReferenceInput, { nullable: true, description: 'Defaults to the requester.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactReferenceInput)
  to?: ContactReferenceInput;
  @Field(() => [String], { nullable: true, description: 'Addresses copied on this email.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  cc?: string[];
  @Field(() => ID, { nullable: true, description: 'Send from this mailbox; defaults to the default one.' })
  @IsOptional()
  @IsUUID()
  mailboxId?: string;
  @Field({ nullable: true, description: "Defaults to the ticket's subject." })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(250)
  subject?: string;
  @Field() @IsString() @MaxLength(MAX_BODY_CHARS) body: string;
  @Field(() => BodyFormatEnum, { defaultValue: BodyFormatEnum.TEXT })
  @IsEnum(BodyFormatEnum)
  bodyFormat: BodyFormatEnum;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}
