import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import { ContactsRepository } from './contacts.repository';
import type { Contact, ContactIdentity, IdentityKind } from './entities';
import { emailDomain, normalizeIdentity } from './identity-values';

export interface ContactReference {
  contactId?: string;
  email?: string;
  phone?: string;
  externalId?: string;
  name?: string;
  identities?: Array<{ kind: IdentityKind; value: string }>;
}

/** Contacts, their identities and organizations. */
@Injectable()
export class ContactsService {
  constructor(private readonly repo: ContactsRepository) {}

  async get(actor: Actor, id: string): Promise<Contact> {
    void actor;
    const contact = await this.repo.findContact(id);
    if (!contact) throw new NotFoundError('Contact', id);
    return contact;
  }

  getMany(ids: readonly string[]): Promise<Contact[]> {
    return this.repo.findContacts(ids);
  }

  identitiesOf(contactIds: readonly string[]): Promise<ContactIdentity[]> {
    return this.repo.identitiesOf(contactIds);
  }

  /**
   * Finds the contact behind any of the given identities, or creates one with all of them
   * (and links it to the organization owning its email domain). Safe under concurrency:
   * two requests for the same new email end with one contact.
   */
  async resolve(ref: ContactReference, manager?: EntityManager): Promise<Contact> {
    if (ref.contactId) {
      const c = await this.repo.findContact(ref.contactId, manager);
      if (!c) throw new NotFoundError('Contact', ref.contactId);
      return this.survivor(c, manager);
    }
    const identities = [
      ...(ref.email ? [{ kind: 'email' as const, value: ref.email }] : []),
      ...(ref.phone ? [{ kind: 'phone' as const, value: ref.phone }] : []),
      ...(ref.externalId ? [{ kind: 'external_id' as const, value: ref.externalId }] : []),
      ...(ref.identities ?? []),
    ].map((i) => ({ kind: i.kind, value: normalizeIdentity(i.kind, i.value) }));
    if (!identities.length) throw new ValidationError('Give the requester an email, phone, external id or contact id.');

    const existing = await this.repo.findByIdentities(identities, manager);
    if (existing) {
      await this.repo.addIdentities(existing.id, identities, manager);
      return this.survivor(existing, manager);
    }
    const email = identities.find((i) => i.kind === 'email')?.value;
    const org = email ? await this.repo.organizationForDomain(emailDomain(email), manager) : null;
    const name = ref.name?.trim().slice(0, 200) || (email ? email.slice(0, email.indexOf('@')) : '');
    const created = await this.repo.saveContact({ name, organizationId: org?.id ?? null }, manager);
    const inserted = await this.repo.addIdentities(created.id, identities, manager);
    if (inserted < identities.length) {
      // someone else registered one of these identities at the same moment: use their contact
      const winner = await this.repo.findByIdentities(identities, manager);
      if (winner && winner.id !== created.id) return this.survivor(winner, manager);
    }
    return created;
  }

  /** Follows merges to the contact that absorbed this one. */
  private async survivor(contact: Contact, manager?: EntityManager): Promise<Contact> {
    let current = contact;
    for (let hops = 0; current.mergedIntoId && hops < 10; hops++) {
      const next = await this.repo.findContact(current.mergedIntoId, manager);
      if (!next) break;
      current = next;
    }
    return current;
  }
}
