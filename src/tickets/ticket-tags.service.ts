import { Injectable } from '@nestjs/common';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { NotFoundError } from '../common/errors/domain-error';
import type { Ticket } from './entities';
import { canSeeTicket } from './ticket-access';
import { normalizeTags } from './ticket-changes';
import { assertChangeable } from './ticket-patch';
import { TicketSearchRepository, type TagCount } from './ticket-search.repository';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Adding and removing single tags (without replacing the whole list) and the tag catalogue. */
@Injectable()
export class TicketTagsService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly search: TicketSearchRepository,
    private readonly tickets: TicketsService,
  ) {}

  add(actor: Actor, ticketId: string, tags: string[]): Promise<Ticket> {
    const added = normalizeTags(tags);
    return this.change(actor, ticketId, (current) => normalizeTags([...current, ...added]));
  }

  remove(actor: Actor, ticketId: string, tags: string[]): Promise<Ticket> {
    const removed = new Set(normalizeTags(tags));
    return this.change(actor, ticketId, (current) => current.filter((t) => !removed.has(t)));
  }

  /** Tags on tickets the actor can see, most used first; `search` matches the start of a tag. */
  list(actor: Actor, search: string | undefined, limit: number): Promise<TagCount[]> {
    assertCanRead(actor);
    const prefix = search ? normalizeTags([search])[0] : undefined;
    return this.search.tagCounts(actor, prefix, limit);
  }

  private async change(actor: Actor, ticketId: string, next: (tags: string[]) => string[]): Promise<Ticket> {
    assertCanWrite(actor);
    const change = await this.repo.transaction(async (m) => {
      const current = await this.repo.lockById(ticketId, m);
      if (!current || !canSeeTicket(actor, current)) throw new NotFoundError('Ticket', ticketId);
      assertChangeable(current);
      return this.tickets.applyChanges(actor, current, { tags: next(current.tags) }, m);
    });
    await this.tickets.publishChange(change);
    return change.ticket;
  }
}
