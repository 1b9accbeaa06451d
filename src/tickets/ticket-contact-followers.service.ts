import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import { ContactsService, type ContactReference } from '../contacts/contacts.service';
import type { Ticket, TicketContactFollower } from './entities';
import { canSeeTicket } from './ticket-access';
import { assertChangeable } from './ticket-patch';
import { TicketRelationsRepository } from './ticket-relations.repository';
import { TicketsRepository } from './tickets.repository';
import { TicketsService, type TicketChange } from './tickets.service';

export const MAX_CONTACT_FOLLOWERS = 50;

/**
 * Customers copied on a ticket (Zendesk calls them CCs): besides the requester, they receive the
 * public replies. An email reply from someone copied on the thread makes them one.
 */
@Injectable()
export class TicketContactFollowersService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly relations: TicketRelationsRepository,
    private readonly tickets: TicketsService,
    private readonly contacts: ContactsService,
  ) {}

  contactFollowersOf(ticketIds: readonly string[], manager?: EntityManager): Promise<TicketContactFollower[]> {
    return this.relations.contactFollowersOf(ticketIds, manager);
  }

  /**
   * For channels, inside their transaction with the ticket row already locked: adds the contacts
   * (up to the limit; the requester never), audited. Returns the change to publish after commit,
   * or null when nobody was new.
   */
  async addLocked(actor: Actor, ticket: Ticket, contactIds: string[], m: EntityManager): Promise<TicketChange | null> {
    if (ticket.status === 'closed' || ticket.status === 'merged') return null;
    if (!contactIds.some((id) => id !== ticket.requesterId)) return null;
    const before = (await this.relations.contactFollowersOf([ticket.id], m)).map((f) => f.contactId);
    const fresh = [...new Set(contactIds)].filter((id) => id !== ticket.requesterId && !before.includes(id));
    const added = fresh.slice(0, Math.max(0, MAX_CONTACT_FOLLOWERS - before.length));
    if (!added.length) return null;
    await this.relations.addContactFollowers(ticket.id, added, m);
    return this.tickets.applyChanges(actor, ticket, {}, m, 'updated', {
      contactFollowers: { from: before, to: [...before, ...added] },
    });
  }

  /** An agent copies a customer on the ticket (found or created by email, phone or id). */
  async add(actor: Actor, ticketId: string, ref: ContactReference): Promise<Ticket> {
    assertCanWrite(actor);
    const change = await this.repo.transaction(async (m) => {
      const ticket = await this.lockVisible(actor, ticketId, m);
      const contact = await this.contacts.resolve(ref, m);
      if (contact.id === ticket.requesterId) throw new ValidationError('The requester already gets every reply.');
      const count = (await this.relations.contactFollowersOf([ticket.id], m)).length;
      if (count >= MAX_CONTACT_FOLLOWERS) {
        throw new ValidationError(`A ticket can copy at most ${MAX_CONTACT_FOLLOWERS} customers.`);
      }
      return (await this.addLocked(actor, ticket, [contact.id], m)) ?? { ticket, audit: null };
    });
    await this.tickets.publishChange(change);
    return change.ticket;
  }

  async remove(actor: Actor, ticketId: string, contactId: string): Promise<Ticket> {
    assertCanWrite(actor);
    const change = await this.repo.transaction(async (m) => {
      const ticket = await this.lockVisible(actor, ticketId, m);
      const before = (await this.relations.contactFollowersOf([ticket.id], m)).map((f) => f.contactId);
      if (!before.includes(contactId)) return { ticket, audit: null };
      await this.relations.removeContactFollower(ticket.id, contactId, m);
      return this.tickets.applyChanges(actor, ticket, {}, m, 'updated', {
        contactFollowers: { from: before, to: before.filter((id) => id !== contactId) },
      });
    });
    await this.tickets.publishChange(change);
    return change.ticket;
  }

  private async lockVisible(actor: Actor, ticketId: string, m: EntityManager): Promise<Ticket> {
    assertCanRead(actor);
    const ticket = await this.repo.lockById(ticketId, m);
    if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundError('Ticket', ticketId);
    assertChangeable(ticket);
    return ticket;
  }
}
