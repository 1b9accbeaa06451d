import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { ConnectionType, PageArgs, type Connection } from '../../../common/graphql/pagination';

export enum InboundStatusEnum {
  received = 'received',
  parsed = 'parsed',
  failed = 'failed',
  ignored = 'ignored',
}
registerEnumType(InboundStatusEnum, {
  name: 'InboundMailStatus',
  description:
    'received: stored, waiting to be processed; parsed: a message on a ticket; failed: could not be ' +
    'processed (see error; retry it); ignored: deliberately not a message (duplicate, bounce, loop, rate limit).',
});

@ObjectType('RejectedAttachment', { description: 'A file of a received mail that was not stored.' })
export class RejectedAttachmentDto {
  @Field() filename: string;
  @Field() contentType: string;
  @Field(() => Int) size: number;
  @Field({ description: 'too_large, unsupported_type, empty or too_many.' }) reason: string;
}

@ObjectType('InboundMail', { description: 'A received mail in the raw store, as it arrived.' })
export class InboundMailDto {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true }) mailboxId: string | null;
  @Field({ description: 'smtp, imap, webhook or api.' }) source: string;
  @Field(() => InboundStatusEnum) status: InboundStatusEnum;
  @Field(() => String, { nullable: true, description: 'Why it was ignored.' }) reason: string | null;
  @Field(() => String, { nullable: true, description: 'Why processing failed.' }) error: string | null;
  @Field(() => Int) attempts: number;
  @Field(() => Int, { description: 'Size of the raw mail in bytes.' }) size: number;
  @Field() sha256: string;
  @Field() messageIdHeader: string;
  @Field({ description: 'The mail had no Message-ID; this one is derived from its content.' })
  messageIdGenerated: boolean;
  @Field(() => String, { nullable: true }) envelopeFrom: string | null;
  @Field(() => String, { nullable: true }) fromAddress: string | null;
  @Field(() => String, { nullable: true }) subject: string | null;
  @Field(() => ID, { nullable: true }) ticketId: string | null;
  @Field(() => ID, { nullable: true }) messageId: string | null;
  @Field(() => String, { nullable: true, description: 'Why no automatic answer was sent.' }) autoReply: string | null;
  @Field(() => [RejectedAttachmentDto]) rejectedAttachments: RejectedAttachmentDto[];
  @Field() receivedAt: Date;
  @Field(() => Date, { nullable: true }) processedAt: Date | null;
}

export const InboundMailConnection = ConnectionType(InboundMailDto, 'InboundMail');
export type InboundMailConnection = Connection<InboundMailDto>;

@ArgsType()
export class InboundMailsArgs extends PageArgs {
  @Field(() => InboundStatusEnum, { nullable: true, description: 'Defaults to failed.' })
  @IsOptional()
  @IsEnum(InboundStatusEnum)
  status?: InboundStatusEnum;
}
