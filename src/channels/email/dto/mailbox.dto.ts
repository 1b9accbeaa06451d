import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum MailboxLocaleEnum {
  en = 'en',
  ko = 'ko',
}
export enum SmtpSecurityEnum {
  tls = 'tls',
  starttls = 'starttls',
  none = 'none',
}
export enum ImapAfterFetchEnum {
  seen = 'seen',
  move = 'move',
}
registerEnumType(MailboxLocaleEnum, { name: 'MailboxLocale', description: 'Language of mail to customers.' });
registerEnumType(SmtpSecurityEnum, {
  name: 'SmtpSecurity',
  description: 'tls: implicit TLS (465); starttls: upgrade a plain connection (587); none: plain (tests only).',
});
registerEnumType(ImapAfterFetchEnum, {
  name: 'ImapAfterFetch',
  description: 'What happens to a mail on the IMAP server once it is stored: marked seen, or moved to a folder.',
});

@ObjectType('MailboxSmtp', { description: 'The SMTP server replies of this mailbox go out through.' })
export class MailboxSmtpDto {
  @Field() host: string;
  @Field(() => Int) port: number;
  @Field(() => SmtpSecurityEnum) security: SmtpSecurityEnum;
  @Field(() => String, { nullable: true }) user: string | null;
  @Field({ description: 'Passwords are stored encrypted and never returned.' }) hasPassword: boolean;
}

@ObjectType('MailboxImap', { description: 'IMAP polling of this mailbox.' })
export class MailboxImapDto {
  @Field() enabled: boolean;
  @Field() host: string;
  @Field(() => Int) port: number;
  @Field() tls: boolean;
  @Field() user: string;
  @Field() hasPassword: boolean;
  @Field() folder: string;
  @Field(() => ImapAfterFetchEnum) afterFetch: ImapAfterFetchEnum;
  @Field(() => String, { nullable: true }) moveTo: string | null;
  @Field({ description: 'UID of the last mail stored; polling resumes after it.' }) lastUid: string;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Date, { nullable: true }) checkedAt: Date | null;
}

@ObjectType('Mailbox', { description: 'A support address (email channel): where its mail comes from and goes out.' })
export class MailboxDto {
  @Field(() => ID) id: string;
  @Field() address: string;
  @Field() name: string;
  @Field(() => String, { nullable: true, description: 'Display name in From; defaults to the name.' })
  senderName: string | null;
  @Field(() => ID, { nullable: true, description: 'Group new tickets from this mailbox go to.' })
  groupId: string | null;
  @Field() signature: string;
  @Field(() => MailboxLocaleEnum) locale: MailboxLocaleEnum;
  @Field({ description: 'Ticket number tag added to subjects, e.g. [#{number}]; empty: none.' }) subjectTag: string;
  @Field({ description: 'Acknowledge new tickets with an automatic reply.' }) ackEnabled: boolean;
  @Field({ description: 'Quote the previous message below agent replies.' }) quoteHistory: boolean;
  @Field({ description: 'Reply-To carries the ticket token as a plus address (support+sori-…@).' })
  replyToToken: boolean;
  @Field() brandColor: string;
  @Field() isActive: boolean;
  @Field() isDefault: boolean;
  @Field(() => MailboxSmtpDto, { nullable: true, description: 'null: replies use the system SMTP server.' })
  smtp: MailboxSmtpDto | null;
  @Field(() => MailboxImapDto, { nullable: true }) imap: MailboxImapDto | null;
  @Field({ description: 'POST raw MIME here (message/rfc822) with the webhook secret.' }) webhookUrl: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('MailboxPayload')
export class MailboxPayload {
  @Field(() => MailboxDto) mailbox: MailboxDto;
  @Field(() => String, { nullable: true, description: 'The inbound webhook secret; shown only now.' })
  webhookSecret: string | null;
}
