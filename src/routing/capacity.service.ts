import { Injectable } from '@nestjs/common';
import { assertAdmin, assertCanRead, type Actor } from '../common/auth/actor';
import { ValidationError } from '../common/errors/domain-error';
import { AgentsService } from '../identity/agents.service';
import type { AgentStatus } from '../identity/entities';
import { PresenceService } from './presence.service';
import { RoutingRepository, type AgentLoadRow } from './routing.repository';

export interface AgentLoad extends AgentLoadRow {
  /** What routing acts on: the chosen status while present, `offline` otherwise. */
  effectiveStatus: AgentStatus;
  /** Below capacity and present with a status that takes new chats (`online`) or transfers. */
  acceptsChats: boolean;
  acceptsTransfers: boolean;
}

const MAX_CAPACITY = 50;

/** Per-agent chat capacity (admin-set, with a workspace default) and current load per channel. */
@Injectable()
export class CapacityService {
  constructor(
    private readonly repo: RoutingRepository,
    private readonly presence: PresenceService,
    private readonly agents: AgentsService,
  ) {}

  async loads(actor: Actor, agentIds: string[] | null = null): Promise<AgentLoad[]> {
    assertCanRead(actor);
    return (await this.repo.loads(agentIds, this.presence.graceSeconds)).map(withEffective);
  }

  async loadOf(actor: Actor, agentId: string): Promise<AgentLoad | null> {
    return (await this.loads(actor, [agentId]))[0] ?? null;
  }

  defaultCapacity(actor: Actor): Promise<number> {
    assertCanRead(actor);
    return this.repo.defaultCapacity();
  }

  async setDefaultCapacity(actor: Actor, n: number): Promise<number> {
    assertAdmin(actor);
    assertCapacity(n);
    await this.repo.setDefaultCapacity(n);
    return n;
  }

  /** null returns the agent to the workspace default. */
  async setAgentCapacity(actor: Actor, agentId: string, n: number | null): Promise<AgentLoad> {
    assertAdmin(actor);
    if (n !== null) assertCapacity(n);
    await this.agents.get(actor, agentId);
    await this.repo.setAgentCapacity(agentId, n);
    return (await this.loadOf(actor, agentId)) as AgentLoad;
  }
}

function assertCapacity(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CAPACITY) {
    throw new ValidationError(`Chat capacity must be a whole number from 1 to ${MAX_CAPACITY}.`);
  }
}

/** Routing's view of a load row: the effective status and whether new chats or transfers fit. */
export function withEffective(r: AgentLoadRow): AgentLoad {
  const effectiveStatus: AgentStatus = r.present ? r.status : 'offline';
  const room = r.chats + r.offers < r.capacity;
  return {
    ...r,
    present: !!r.present,
    effectiveStatus,
    acceptsChats: room && effectiveStatus === 'online',
    acceptsTransfers: room && (effectiveStatus === 'online' || effectiveStatus === 'transfer_only'),
  };
}
