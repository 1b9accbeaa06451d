import { Field, ID, InputType, Int, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ImapAfterFetchEnum, MailboxLocaleEnum, SmtpSecurityEnum } from './mailbox.dto';

@InputType()
export class MailboxSmtpInput {
  @Field() @IsString() @MaxLength(253) host: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(65535) port: number;
  @Field(() => SmtpSecurityEnum, { defaultValue: SmtpSecurityEnum.starttls })
  @IsEnum(SmtpSecurityEnum)
  security: SmtpSecurityEnum;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(320) user?: string | null;
  @Field(() => String, { nullable: true, description: 'Omit to keep the stored password; null or "" removes it.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  password?: string | null;
}

@InputType()
export class MailboxImapInput {
  @Field({ defaultValue: true }) @IsBoolean() enabled: boolean;
  @Field() @IsString() @MaxLength(253) host: string;
  @Field(() => Int, { defaultValue: 993 }) @IsInt() @Min(1) @Max(65535) port: number;
  @Field({ defaultValue: true }) @IsBoolean() tls: boolean;
  @Field() @IsString() @MaxLength(320) user: string;
  @Field(() => String, { nullable: true, description: 'Omit to keep the stored password.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  password?: string | null;
  @Field({ defaultValue: 'INBOX' }) @IsString() @MaxLength(200) folder: string;
  @Field(() => ImapAfterFetchEnum, { defaultValue: ImapAfterFetchEnum.seen })
  @IsEnum(ImapAfterFetchEnum)
  afterFetch: ImapAfterFetchEnum;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) moveTo?: string | null;
}

@InputType()
export class CreateMailboxInput {
  @Field() @IsString() @MaxLength(320) address: string;
  @Field() @IsString() @MaxLength(200) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) senderName?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string | null;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(5000) signature?: string;
  @Field(() => MailboxLocaleEnum, { nullable: true })
  @IsOptional()
  @IsEnum(MailboxLocaleEnum)
  locale?: MailboxLocaleEnum;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(40) subjectTag?: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() ackEnabled?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() quoteHistory?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() replyToToken?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(7) brandColor?: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isDefault?: boolean;
  @Field(() => MailboxSmtpInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MailboxSmtpInput)
  smtp?: MailboxSmtpInput | null;
  @Field(() => MailboxImapInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MailboxImapInput)
  imap?: MailboxImapInput | null;
}

@InputType({ description: 'Only the fields given change; smtp or imap null removes those settings.' })
export class UpdateMailboxInput extends PartialType(CreateMailboxInput) {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isActive?: boolean;
}
