import type { AuditEvent, Ticket, TicketField, TicketForm } from '../entities';
import type { TicketLinkView } from '../ticket-merge.service';
import { TicketFieldDto, TicketFieldTypeEnum, TicketFormDto } from './ticket-field.dto';
import { TicketLinkDirectionEnum, TicketLinkDto, TicketLinkKindEnum } from './ticket-relations.dto';
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

export function toTicketFieldDto(f: TicketField): TicketFieldDto {
  return Object.assign(new TicketFieldDto(), {
    id: f.id,
    key: f.key,
    label: f.label,
    labelKo: f.labelKo,
    type: f.type as TicketFieldTypeEnum,
    options: f.options,
    required: f.required,
    validation: { ...f.validation },
    position: f.position,
    active: f.active,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  });
}

export function toTicketFormDto(f: TicketForm): TicketFormDto {
  return Object.assign(new TicketFormDto(), {
    id: f.id,
    name: f.name,
    fieldIds: f.fieldIds,
    isDefault: f.isDefault,
    active: f.active,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  });
}

export function toTicketLinkDto(v: TicketLinkView): TicketLinkDto {
  return Object.assign(new TicketLinkDto(), {
    id: v.link.id,
    kind: v.link.kind as TicketLinkKindEnum,
    direction: v.direction as TicketLinkDirectionEnum,
    ticketId: v.otherTicketId,
    createdAt: v.link.createdAt,
  });
}
