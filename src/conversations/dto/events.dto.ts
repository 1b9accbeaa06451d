import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AuditEventDto, TicketDto } from '../../tickets/dto/ticket.dto';
import { ConversationDto, MessageDto } from './conversation.dto';

@ObjectType('OpenTicketPayload')
export class OpenTicketPayload {
  @Field(() => TicketDto) ticket: TicketDto;
  @Field(() => ConversationDto) conversation: ConversationDto;
  @Field(() => MessageDto) message: MessageDto;
}

@ObjectType('ReplyPayload')
export class ReplyPayload {
  @Field(() => MessageDto) message: MessageDto;
  @Field(() => TicketDto, { description: 'The ticket after the reply (and the status change, if any).' })
  ticket: TicketDto;
}

@ObjectType('ReceiveMessagePayload')
export class ReceiveMessagePayload {
  @Field(() => MessageDto) message: MessageDto;
  @Field({ description: 'false when a message with this externalId already existed (nothing was added).' })
  created: boolean;
}

@ObjectType('MessageAddedEvent')
export class MessageAddedEvent {
  @Field(() => ID, { description: 'Pass as `after` when resubscribing to continue from here.' }) cursor: string;
  @Field(() => MessageDto) message: MessageDto;
  @Field(() => TicketDto, { nullable: true }) ticket: TicketDto | null;
}

@ObjectType('TicketUpdatedEvent')
export class TicketUpdatedEvent {
  @Field(() => ID, { description: 'Pass as `after` when resubscribing to continue from here.' }) cursor: string;
  @Field(() => TicketDto) ticket: TicketDto;
  @Field(() => AuditEventDto) event: AuditEventDto;
}
