import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AGENT_PRESENCE_TOPIC, AgentConnectionRegistry } from '../common/auth/connections';
import { logger } from '../common/logging/logger';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { AgentStatus } from '../identity/entities';
import { RoutingRepository } from './routing.repository';

const log = logger('routing');

/**
 * Connection-based presence. While an agent has a WebSocket open to this process, their
 * `presence_at` is refreshed every third of the grace period and once more when the last one
 * closes; a sweep marks them gone once the grace period has passed after that (a reload or a
 * short network drop does not take an agent out of routing). Choosing a status counts as a sign
 * of life too. Both transitions are published on the bus (`agent-presence`).
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly open = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly repo: RoutingRepository,
    private readonly bus: RealtimeBus,
    private readonly connections: AgentConnectionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get graceSeconds(): number {
    return this.config.presenceGraceSeconds;
  }

  onModuleInit(): void {
    this.connections.use({ connected: (id) => this.connected(id), disconnected: (id) => this.disconnected(id) });
    const grace = this.graceSeconds * 1000;
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => void fn().catch((err: Error) => log.warn({ err: err.message }, 'presence tick')), ms);
      t.unref();
      this.timers.push(t);
    };
    every(Math.max(500, Math.floor(grace / 3)), () => this.heartbeat());
    every(Math.max(500, Math.floor(grace / 4)), () => this.sweep());
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Active agents with one of the statuses, present now, optionally in a group. */
  countPresent(statuses: AgentStatus[], groupId: string | null): Promise<number> {
    return this.repo.countPresent(statuses, groupId, this.graceSeconds);
  }

  private connected(agentId: string): void {
    this.open.set(agentId, (this.open.get(agentId) ?? 0) + 1);
    void this.touch([agentId]);
  }

  private disconnected(agentId: string): void {
    const n = (this.open.get(agentId) ?? 1) - 1;
    if (n > 0) return void this.open.set(agentId, n);
    this.open.delete(agentId);
    // the grace period counts from the moment the last connection closed, not the last heartbeat
    void this.touch([agentId]);
  }

  private heartbeat(): Promise<void> {
    return this.touch([...this.open.keys()]);
  }

  private async touch(agentIds: string[]): Promise<void> {
    try {
      for (const id of await this.repo.touch(agentIds)) await this.announce(id);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'presence not recorded');
    }
  }

  /** Marks agents gone whose grace period passed (any process may do it; the update decides once). */
  async sweep(): Promise<void> {
    for (const id of await this.repo.lapse(this.graceSeconds)) await this.announce(id);
  }

  private announce(agentId: string): Promise<void> {
    return this.bus.publish({ kind: AGENT_PRESENCE_TOPIC, id: agentId, topics: [AGENT_PRESENCE_TOPIC] });
  }
}
