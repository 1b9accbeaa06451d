import { TicketPriorityEnum, TicketStatusEnum } from '../../tickets/dto/ticket.dto';
import type { CannedResponse, Macro, SavedView } from '../entities';
import { CannedResponseDto, MacroDto, SavedViewDto, SavedViewSortEnum } from './automation.dto';

export function toMacroDto(m: Macro): MacroDto {
  return Object.assign(new MacroDto(), {
    id: m.id,
    name: m.name,
    description: m.description,
    personal: m.ownerAgentId !== null,
    actions: m.actions,
    position: m.position,
    isActive: m.isActive,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  });
}

export function toCannedResponseDto(c: CannedResponse): CannedResponseDto {
  return Object.assign(new CannedResponseDto(), {
    id: c.id,
    shortcut: c.shortcut,
    title: c.title,
    body: c.body,
    personal: c.ownerAgentId !== null,
    groupId: c.groupId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  });
}

export function toSavedViewDto(v: SavedView): SavedViewDto {
  return Object.assign(new SavedViewDto(), {
    id: v.id,
    name: v.name,
    personal: v.ownerAgentId !== null,
    filters: {
      ...v.filters,
      status: v.filters.status as TicketStatusEnum[] | undefined,
      priority: v.filters.priority as TicketPriorityEnum[] | undefined,
    },
    sort: v.sort as SavedViewSortEnum,
    position: v.position,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  });
}
