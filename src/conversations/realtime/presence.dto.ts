import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PresenceStateEnum {
  viewing = 'viewing',
  replying = 'replying',
  left = 'left',
}
registerEnumType(PresenceStateEnum, {
  name: 'TicketPresenceState',
  description: 'viewing: the ticket is open; replying: writing in the composer; left: closed the ticket.',
});

@ObjectType('TicketViewer')
export class TicketViewerDto {
  @Field(() => ID) agentId: string;
  @Field() name: string;
  @Field(() => PresenceStateEnum, { description: 'viewing or replying.' }) state: PresenceStateEnum;
}

@ObjectType('TicketPresence', { description: 'Who has a ticket open right now (collision detection).' })
export class TicketPresenceDto {
  @Field(() => ID) ticketId: string;
  @Field(() => [TicketViewerDto]) viewers: TicketViewerDto[];
}
