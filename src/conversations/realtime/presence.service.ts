import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { assertCanRead, type Actor } from '../../common/auth/actor';
import { ForbiddenError, NotFoundError } from '../../common/errors/domain-error';
import { RealtimeBus } from '../../common/pubsub/realtime-bus';
import { AgentsService } from '../../identity/agents.service';
import { TicketsService } from '../../tickets/tickets.service';
import { PresenceStateEnum, TicketPresenceDto, TicketViewerDto } from './presence.dto';

/** A heartbeat keeps an agent present this long; clients beat every 20 s. */
export const PRESENCE_TTL_MS = 45_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Entry {
  state: PresenceStateEnum;
  expiresAt: number;
}

/**
 * Who has a ticket open (collision detection). Presence is ephemeral, so it lives in memory:
 * each heartbeat is published on the realtime bus as `{ kind: 'presence', id: '<agent>:<state>' }`
 * and every process applies it to its own map, so all processes converge within a heartbeat.
 */
@Injectable()
export class TicketPresenceService implements OnModuleDestroy {
  private readonly byTicket = new Map<string, Map<string, Entry>>();
  private readonly names = new Map<string, string>();
  /** Local watchers per ticket, told when the sweep drops someone. */
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly bus: RealtimeBus,
    private readonly tickets: TicketsService,
    private readonly agents: AgentsService,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 5_000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private async check(actor: Actor, ticketId: string): Promise<string> {
    assertCanRead(actor);
    if (!actor.agentId) throw new ForbiddenError('Only agents have a presence.');
    if (!UUID.test(ticketId)) throw new NotFoundError('Ticket', ticketId);
    await this.tickets.get(actor, ticketId);
    return actor.agentId;
  }

  /** Records the actor's heartbeat on a ticket and tells every process; returns who is there now. */
  async update(actor: Actor, ticketId: string, state: PresenceStateEnum): Promise<TicketPresenceDto> {
    const agentId = await this.check(actor, ticketId);
    this.apply(ticketId, agentId, state);
    await this.bus.publish({ kind: 'presence', id: `${agentId}:${state}`, topics: [`presence:${ticketId}`] });
    return this.snapshot(ticketId);
  }

  /** Snapshots of a ticket's presence: one at once, then one after every change. */
  async watch(actor: Actor, ticketId: string): Promise<AsyncIterableIterator<TicketPresenceDto>> {
    await this.check(actor, ticketId);
    const queue: TicketPresenceDto[] = [];
    const waiters: Array<(r: IteratorResult<TicketPresenceDto>) => void> = [];
    let done = false;
    const push = () => {
      void this.snapshot(ticketId).then((s) => {
        if (done) return;
        const waiter = waiters.shift();
        if (waiter) waiter({ value: s, done: false });
        else queue.splice(0, queue.length, s); // only the newest snapshot matters
      });
    };
    const off = this.bus.on(`presence:${ticketId}`, (e) => {
      if (e.kind !== 'presence' || typeof e.id !== 'string') return;
      const [agentId, state] = e.id.split(':');
      if (UUID.test(agentId) && Object.values(PresenceStateEnum).includes(state as PresenceStateEnum)) {
        this.apply(ticketId, agentId, state as PresenceStateEnum);
      }
      push();
    });
    let local = this.watchers.get(ticketId);
    if (!local) this.watchers.set(ticketId, (local = new Set()));
    local.add(push);
    const offSweep = () => {
      local.delete(push);
      if (!local.size) this.watchers.delete(ticketId);
    };
    push();
    const finish = async (): Promise<IteratorResult<TicketPresenceDto>> => {
      if (!done) {
        done = true;
        off();
        offSweep();
        for (const w of waiters.splice(0)) w({ value: undefined, done: true });
      }
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<TicketPresenceDto> = {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        const item = queue.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        return new Promise((resolve) => waiters.push(resolve));
      },
      return: finish,
      throw: async (err?: unknown) => {
        await finish();
        throw err instanceof Error ? err : new Error(String(err));
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private apply(ticketId: string, agentId: string, state: PresenceStateEnum): void {
    let entries = this.byTicket.get(ticketId);
    if (state === PresenceStateEnum.left) {
      entries?.delete(agentId);
      if (entries && !entries.size) this.byTicket.delete(ticketId);
      return;
    }
    if (!entries) this.byTicket.set(ticketId, (entries = new Map<string, Entry>()));
    entries.set(agentId, { state, expiresAt: Date.now() + PRESENCE_TTL_MS });
  }

  /** Drops agents whose heartbeats stopped, and tells local watchers of those tickets. */
  private sweep(): void {
    const now = Date.now();
    for (const [ticketId, entries] of this.byTicket) {
      let changed = false;
      for (const [agentId, entry] of entries) {
        if (entry.expiresAt > now) continue;
        entries.delete(agentId);
        changed = true;
      }
      if (!entries.size) this.byTicket.delete(ticketId);
      if (changed) for (const fn of this.watchers.get(ticketId) ?? []) fn();
    }
  }

  private async snapshot(ticketId: string): Promise<TicketPresenceDto> {
    const now = Date.now();
    const entries = [...(this.byTicket.get(ticketId)?.entries() ?? [])].filter(([, e]) => e.expiresAt > now);
    const missing = entries.map(([id]) => id).filter((id) => !this.names.has(id));
    if (missing.length) for (const a of await this.agents.agentsByIds(missing)) this.names.set(a.id, a.name);
    const viewers = entries.map(([agentId, e]) =>
      Object.assign(new TicketViewerDto(), { agentId, name: this.names.get(agentId) ?? '', state: e.state }),
    );
    return Object.assign(new TicketPresenceDto(), { ticketId, viewers });
  }
}
