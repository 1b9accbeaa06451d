import type { Agent, AgentGroup, AgentInvitation, ApiToken } from '../entities';
import {
  AgentDto,
  AgentRoleEnum,
  AgentStatusEnum,
  ApiTokenDto,
  GroupDto,
  InvitationDto,
  LocaleEnum,
  TicketAccessEnum,
  TokenScopeEnum,
} from './agent.dto';

export function toAgentDto(a: Agent): AgentDto {
  return Object.assign(new AgentDto(), {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role as AgentRoleEnum,
    ticketAccess: a.ticketAccess as TicketAccessEnum,
    locale: a.locale as LocaleEnum,
    timezone: a.timezone,
    signature: a.signature,
    status: a.status as AgentStatusEnum,
    isActive: a.isActive,
    lastLoginAt: a.lastLoginAt,
    createdAt: a.createdAt,
  });
}

export function toGroupDto(g: AgentGroup): GroupDto {
  return Object.assign(new GroupDto(), { id: g.id, name: g.name, description: g.description, createdAt: g.createdAt });
}

export function toApiTokenDto(t: ApiToken): ApiTokenDto {
  return Object.assign(new ApiTokenDto(), {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as TokenScopeEnum[],
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  });
}

export function toInvitationDto(i: AgentInvitation): InvitationDto {
  return Object.assign(new InvitationDto(), {
    id: i.id,
    email: i.email,
    role: i.role as AgentRoleEnum,
    expiresAt: i.expiresAt,
    acceptedAt: i.acceptedAt,
  });
}
