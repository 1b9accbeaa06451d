import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { TicketDto } from './ticket.dto';

export enum TicketLinkKindEnum {
  follow_up = 'follow_up',
  related = 'related',
}
export enum TicketLinkDirectionEnum {
  outgoing = 'outgoing',
  incoming = 'incoming',
}
registerEnumType(TicketLinkKindEnum, {
  name: 'TicketLinkKind',
  description: 'follow_up: the outgoing side is a follow-up of a closed ticket. related: a plain link.',
});
registerEnumType(TicketLinkDirectionEnum, {
  name: 'TicketLinkDirection',
  description: 'outgoing: this ticket is the link source (e.g. the follow-up); incoming: the other ticket is.',
});

@ObjectType('TicketLink')
export class TicketLinkDto {
  @Field(() => ID) id: string;
  @Field(() => TicketLinkKindEnum) kind: TicketLinkKindEnum;
  @Field(() => TicketLinkDirectionEnum) direction: TicketLinkDirectionEnum;
  @Field(() => ID, { description: 'The ticket at the other end.' }) ticketId: string;
  @Field() createdAt: Date;
}

@InputType()
export class MergeTicketsInput {
  @Field(() => [ID], { description: 'Tickets that become merged (1 to 20).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  sourceIds: string[];
  @Field(() => ID, { description: 'The ticket that receives their conversations, notes, tags and followers.' })
  @IsUUID()
  targetId: string;
}

@ObjectType()
export class MergeTicketsPayload {
  @Field(() => TicketDto) target: TicketDto;
  @Field(() => [TicketDto]) sources: TicketDto[];
  @Field(() => Int) movedConversations: number;
  @Field(() => Int) movedMessages: number;
  @Field(() => Int) movedNotes: number;
}

@InputType()
export class CreateFollowUpInput {
  @Field(() => ID, { description: 'A closed ticket.' }) @IsUUID() ticketId: string;
  @Field({ nullable: true, description: 'Defaults to the closed ticket’s subject.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(250)
  subject?: string;
}
