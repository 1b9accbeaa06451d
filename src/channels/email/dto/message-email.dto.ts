import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RejectedAttachmentDto } from './inbound-mail.dto';

@ObjectType('MessageEmail', { description: 'Email details of a message that came or went by email.' })
export class MessageEmailDto {
  @Field({ description: 'inbound or outbound.' }) direction: string;
  @Field({ description: 'The Message-ID, without angle brackets.' }) messageIdHeader: string;
  @Field(() => ID, { nullable: true, description: 'The raw received mail (admins: inboundMail).' })
  inboundMailId: string | null;
  @Field(() => String, { nullable: true }) from: string | null;
  @Field(() => [String]) to: string[];
  @Field(() => [String]) cc: string[];
  @Field(() => String, { nullable: true }) subject: string | null;
  @Field(() => String, { nullable: true, description: 'Why no automatic answer was sent (auto-reply, list…).' })
  autoReply: string | null;
  @Field(() => [RejectedAttachmentDto], { description: 'Files of the mail that were not accepted.' })
  rejectedAttachments: RejectedAttachmentDto[];
  @Field(() => Int, {
    nullable: true,
    description: 'Where quoted history or the signature starts in bodyText; show it collapsed.',
  })
  collapsedTextStart: number | null;
  @Field(() => String, { nullable: true, description: 'bodyHtml without quoted history and signature.' })
  visibleHtml: string | null;
  @Field(() => String, { nullable: true, description: 'Outbound: queued, sent or failed.' }) sendState: string | null;
  @Field(() => String, { nullable: true }) sendError: string | null;
  @Field(() => Date, { nullable: true }) sentAt: Date | null;
}
