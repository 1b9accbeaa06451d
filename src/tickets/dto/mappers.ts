import type { AuditEvent, Ticket } from '../entities';
import { AuditEventDto, TicketDto, TicketPriorityEnum, TicketStatusEnum, TicketTypeEnum } from './ticket.dto';

export function toTicketDto(t: Ticket): TicketDto {
  return Object.assign(new TicketDto(), {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status as TicketStatusEnum,
    priority: t.priority as TicketPriorityEnum,
    type: t.type as TicketTypeEnum | null,
    channel: t.channel,
    tags: t.tags,
    customFields: t.customFields,
    version: t.version,
    requesterId: t.requesterId,
    assigneeId: t.assigneeId,
    groupId: t.groupId,
    formId: t.formId,
    mergedIntoId: t.mergedIntoId,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    solvedAt: t.solvedAt,
    closedAt: t.closedAt,
  });
}

export function toAuditEventDto(e: AuditEvent): AuditEventDto {
  return Object.assign(new AuditEventDto(), {
    id: String(e.id),
    action: e.action,
    actorKind: e.actorKind,
    actorAgentId: e.actorAgentId,
    changes: e.changes,
    createdAt: e.createdAt,
  });
}
