import { createUnionType, Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../common/graphql/pagination';
import { AuditEventDto } from '../../tickets/dto/ticket.dto';
import { MessageDto, NoteDto } from './conversation.dto';

export const TimelineItem = createUnionType({
  name: 'TimelineItem',
  description: 'One entry of a ticket timeline: a message of any of its conversations, an internal note, or a change.',
  types: () => [MessageDto, NoteDto, AuditEventDto] as const,
  resolveType(value: MessageDto | NoteDto | AuditEventDto) {
    if (value instanceof MessageDto) return MessageDto;
    if (value instanceof NoteDto) return NoteDto;
    return AuditEventDto;
  },
});
export type TimelineNode = MessageDto | NoteDto | AuditEventDto;

@ObjectType('TimelineEdge')
export class TimelineEdge {
  @Field() cursor: string;
  @Field(() => TimelineItem) node: TimelineNode;
}

@ObjectType('TimelineConnection', {
  description: 'Oldest first, ordered by (createdAt, kind: audit < message < note, id).',
})
export class TimelineConnection {
  @Field(() => [TimelineEdge]) edges: TimelineEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
