import type { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { assertCanRead, type Actor } from '../common/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { AgentsService } from '../identity/agents.service';
import type { Ticket, TicketFollower } from './entities';
import { canSeeTicket } from './ticket-access';
import { assertChangeable } from './ticket-patch';
import { TicketRelationsRepository } from './ticket-relations.repository';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

const MAX_FOLLOWERS = 100;

/**
 * Followers are agents kept informed about a ticket without owning it. Any agent (viewers
 * included, as light agents can be in Zendesk) may follow a ticket they can see; adding someone
 * else needs write access, and that agent must be able to see the ticket too.
 */
@Injectable()
export class TicketFollowersService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly relations: TicketRelationsRepository,
    private readonly agents: AgentsService,
    private readonly tickets: TicketsService,
  ) {}

  followersOf(ticketIds: readonly string[]): Promise<TicketFollower[]> {
    return this.relations.followersOf(ticketIds);
  }

  follow(actor: Actor, ticketId: string): Promise<Ticket> {
    return this.change(actor, ticketId, this.self(actor), true);
  }

  unfollow(actor: Actor, ticketId: string): Promise<Ticket> {
    return this.change(actor, ticketId, this.self(actor), false);
  }

  add(actor: Actor, ticketId: string, agentId: string): Promise<Ticket> {
    if (actor.role === 'viewer') throw new ForbiddenError('Viewers can follow tickets but not add other followers.');
    return this.change(actor, ticketId, agentId, true);
  }

  remove(actor: Actor, ticketId: string, agentId: string): Promise<Ticket> {
    if (actor.role === 'viewer' && agentId !== actor.agentId) {
      throw new ForbiddenError('Viewers can only unfollow tickets themselves.');
    }
    return this.change(actor, ticketId, agentId, false);
  }

  private self(actor: Actor): string {
    if (!actor.agentId) throw new ValidationError('Only agents can follow tickets.');
    return actor.agentId;
  }

  private async change(actor: Actor, ticketId: string, agentId: string, follow: boolean): Promise<Ticket> {
    assertCanRead(actor);
    if (!actor.scopes.includes('write')) throw new ForbiddenError('This API token is read-only.');
    const change = await this.repo.transaction(async (m) => {
      const current = await this.repo.lockById(ticketId, m);
      if (!current || !canSeeTicket(actor, current)) throw new NotFoundError('Ticket', ticketId);
      assertChangeable(current);
      const before = (await this.relations.followersOf([ticketId], m)).map((f) => f.agentId);
      if (before.includes(agentId) === follow) return { ticket: current, audit: null };
      if (follow) {
        await this.assertMayFollow(agentId, current, m);
        if (before.length >= MAX_FOLLOWERS) {
          throw new ValidationError(`A ticket can have at most ${MAX_FOLLOWERS} followers.`);
        }
        await this.relations.addFollowers(ticketId, [agentId], m);
      } else {
        await this.relations.removeFollower(ticketId, agentId, m);
      }
      const after = follow ? [...before, agentId] : before.filter((id) => id !== agentId);
      return this.tickets.applyChanges(actor, current, {}, m, 'updated', { followers: { from: before, to: after } });
    });
    await this.tickets.publishChange(change);
    return change.ticket;
  }

  /** A follower must be an active agent who can see the ticket; otherwise notifications would leak it. */
  private async assertMayFollow(agentId: string, ticket: Ticket, m: EntityManager): Promise<void> {
    const [agent] = await this.agents.agentsByIds([agentId], m);
    if (!agent?.isActive) throw new NotFoundError('Agent', agentId);
    if (!canSeeTicket(await this.agents.readerActor(agent, m), ticket)) {
      throw new ValidationError(`${agent.name} cannot see ticket #${ticket.number}, so they cannot follow it.`, {
        agentId,
      });
    }
  }
}
