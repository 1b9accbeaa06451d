import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import { toConnection, type Connection } from '../common/graphql/pagination';
import { cleanLocale, cleanName, cleanNotes, cleanTimezone } from './contact-fields';
import { contactSearchTerms } from './contact-search';
import { IdentityTakenError } from './contacts.errors';
import { ContactsRepository, type IdentityValue } from './contacts.repository';
import { contactCursor, pageSize } from './cursors';
import type { Contact, ContactIdentity, IdentityKind } from './entities';
import { emailDomain, normalizeIdentity } from './identity-values';
import { OrganizationsRepository } from './organizations.repository';

export interface ContactReference {
  contactId?: string;
  email?: string;
  phone?: string;
  externalId?: string;
  name?: string;
  identities?: Array<{ kind: IdentityKind; value: string }>;
}

export interface ContactListArgs {
  first?: number | null;
  after?: string | null;
  search?: string | null;
  organizationId?: string | null;
}

export interface CreateContactData extends ContactReference {
  organizationId?: string | null;
  locale?: string | null;
  timezone?: string | null;
  notes?: string | null;
}

export interface UpdateContactData {
  name?: string;
  organizationId?: string | null;
  locale?: string | null;
  timezone?: string | null;
  notes?: string;
}

/** Contacts and their identities: lookup, search, find-or-create, edits. Merges live in ContactMergeService. */
@Injectable()
export class ContactsService {
  constructor(
    private readonly repo: ContactsRepository,
    private readonly orgs: OrganizationsRepository,
  ) {}

  /** A contact by id; the id of a merged-away contact gives the contact it was merged into. */
  async get(actor: Actor, id: string): Promise<Contact> {
    assertCanRead(actor);
    const contact = await this.repo.findContact(id);
    if (!contact) throw new NotFoundError('Contact', id);
    return this.survivor(contact);
  }

  /** Batch load for field resolvers, by exact id (merged contacts included as they are). */
  getMany(ids: readonly string[], manager?: EntityManager): Promise<Contact[]> {
    return this.repo.findContacts(ids, manager);
  }

  identitiesOf(contactIds: readonly string[], manager?: EntityManager): Promise<ContactIdentity[]> {
    return this.repo.identitiesOf(contactIds, manager);
  }

  /** Contacts newest-updated first, by partial name or identity (`민준`, `@acme.com`, `010-1234`). */
  async list(actor: Actor, args: ContactListArgs): Promise<Connection<Contact>> {
    assertCanRead(actor);
    const limit = pageSize(args.first);
    const after = contactCursor(args.after);
    const rows = await this.repo.listContacts({
      terms: contactSearchTerms(args.search),
      organizationId: args.organizationId,
      after,
      limit,
    });
    return toConnection(
      rows,
      limit,
      (r) => r.cursor,
      (r) => r.contact,
      after !== null,
    );
  }

  /** Creates a contact from scratch; ALREADY_EXISTS when one of its identities belongs to someone else. */
  async create(actor: Actor, data: CreateContactData): Promise<Contact> {
    assertCanWrite(actor);
    const identities = identitiesOf(data);
    if (!identities.length) {
      throw new ValidationError('A contact needs at least one identity: an email, phone, external id or another.');
    }
    const fields = {
      name: cleanName(data.name ?? ''),
      locale: cleanLocale(data.locale ?? null),
      timezone: cleanTimezone(data.timezone ?? null),
      notes: cleanNotes(data.notes ?? ''),
    };
    return this.repo.transaction(async (m) => {
      await this.assertIdentitiesFree(identities, null, m);
      const organizationId = data.organizationId
        ? await this.existingOrganization(data.organizationId, m)
        : await this.organizationByEmail(identities, m);
      const created = await this.insertContact({ ...fields, organizationId }, identities, m);
      const inserted = await this.repo.addIdentities(created.id, identities, m);
      if (inserted < identities.length) await this.assertIdentitiesFree(identities, created.id, m);
      return created;
    });
  }

  async update(actor: Actor, id: string, data: UpdateContactData): Promise<Contact> {
    assertCanWrite(actor);
    const patch: Partial<Contact> = {};
    if (data.name !== undefined) patch.name = cleanName(data.name);
    if (data.locale !== undefined) patch.locale = cleanLocale(data.locale);
    if (data.timezone !== undefined) patch.timezone = cleanTimezone(data.timezone);
    if (data.notes !== undefined) patch.notes = cleanNotes(data.notes);
    return this.repo.transaction(async (m) => {
      const contact = await this.lockSurvivor(id, m);
      if (data.organizationId !== undefined) {
        patch.organizationId = data.organizationId && (await this.existingOrganization(data.organizationId, m));
      }
      return this.repo.updateContact(contact.id, patch, m);
    });
  }

  /** Adds an identity; a no-op when the contact already has it, ALREADY_EXISTS when another contact does. */
  async addIdentity(actor: Actor, contactId: string, kind: IdentityKind, rawValue: string): Promise<Contact> {
    assertCanWrite(actor);
    const identity = { kind, value: normalizeIdentity(kind, rawValue) };
    return this.repo.transaction(async (m) => {
      const contact = await this.lockSurvivor(contactId, m);
      if (!(await this.repo.addIdentities(contact.id, [identity], m))) {
        await this.assertIdentitiesFree([identity], contact.id, m);
        return contact;
      }
      const organizationId = contact.organizationId ?? (await this.organizationByEmail([identity], m));
      return this.repo.updateContact(contact.id, { organizationId }, m);
    });
  }

  /** Removes an identity; a contact keeps at least one so it can still be recognised. */
  async removeIdentity(actor: Actor, identityId: string): Promise<Contact> {
    assertCanWrite(actor);
    return this.repo.transaction(async (m) => {
      const found = await this.repo.findIdentity(identityId, m);
      if (!found) throw new NotFoundError('ContactIdentity', identityId);
      const [contact] = await this.repo.lockContacts([found.contactId], m);
      // re-read under the lock: a merge may have moved it meanwhile
      const identity = await this.repo.findIdentity(identityId, m);
      if (!contact || identity?.contactId !== contact.id) throw new NotFoundError('ContactIdentity', identityId);
      if ((await this.repo.countIdentities(contact.id, m)) <= 1) {
        throw new ValidationError('This is the contact’s last identity; add another one before removing it.', {
          contactId: contact.id,
        });
      }
      await this.repo.deleteIdentity(identityId, m);
      return this.repo.updateContact(contact.id, {}, m);
    });
  }

  /** The contact behind an identity (merges followed), without creating one; null when unknown. */
  async findByIdentity(kind: IdentityKind, rawValue: string, manager?: EntityManager): Promise<Contact | null> {
    const found = await this.repo.findByIdentities([{ kind, value: normalizeIdentity(kind, rawValue) }], manager);
    return found ? this.survivor(found, manager) : null;
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
    const identities = identitiesOf(ref);
    if (!identities.length) throw new ValidationError('Give the requester an email, phone, external id or contact id.');
    const { contact: existing, held } = await this.repo.ownerOf(identities, manager);
    if (existing) {
      const survivor = await this.survivor(existing, manager);
      if (held < identities.length) await this.repo.addIdentities(survivor.id, identities, manager);
      return survivor;
    }
    const create = (m: EntityManager) => this.createResolved(ref, identities, m);
    return manager ? create(manager) : this.repo.transaction(create);
  }

  private async createResolved(ref: ContactReference, identities: IdentityValue[], m: EntityManager) {
    const email = identities.find((i) => i.kind === 'email')?.value;
    const fields = {
      name: defaultName(cleanName((ref.name ?? '').slice(0, 200)), identities),
      locale: null,
      timezone: null,
      notes: '',
    };
    const domain = email ? emailDomain(email) : null;
    const { contact: created, inserted } = await this.repo.insertWithIdentities(fields, domain, identities, m);
    if (inserted === identities.length) return created;
    // someone registered one of these identities at the same moment: their contact wins
    const winner = (await this.repo.ownersOf(identities, m)).find((o) => o.contactId !== created.id);
    const winnerContact = winner && (await this.repo.findContact(winner.contactId, m));
    if (!winnerContact) return created;
    const survivor = await this.survivor(winnerContact, m);
    await this.repo.moveIdentities(created.id, survivor.id, m);
    await this.repo.deleteContact(created.id, m);
    return survivor;
  }

  private insertContact(
    fields: Pick<Contact, 'name' | 'locale' | 'timezone' | 'notes' | 'organizationId'>,
    identities: IdentityValue[],
    m: EntityManager,
  ): Promise<Contact> {
    return this.repo.saveContact({ ...fields, name: defaultName(fields.name, identities), mergedIntoId: null }, m);
  }

  private async assertIdentitiesFree(identities: IdentityValue[], self: string | null, m: EntityManager) {
    const taken = (await this.repo.ownersOf(identities, m)).find((o) => o.contactId !== self);
    if (taken) throw new IdentityTakenError(taken.kind, taken.value, taken.contactId);
  }

  private async existingOrganization(id: string, m: EntityManager): Promise<string> {
    if (!(await this.orgs.findOrganization(id, m))) throw new NotFoundError('Organization', id);
    return id;
  }

  private async organizationByEmail(identities: IdentityValue[], m: EntityManager): Promise<string | null> {
    const email = identities.find((i) => i.kind === 'email')?.value;
    return email ? ((await this.repo.organizationForDomain(emailDomain(email), m))?.id ?? null) : null;
  }

  /** Locks the contact (or, for a merged-away id, the contact it was merged into) for an edit. */
  private async lockSurvivor(id: string, m: EntityManager): Promise<Contact> {
    const found = await this.repo.findContact(id, m);
    if (!found) throw new NotFoundError('Contact', id);
    const survivor = await this.survivor(found, m);
    const [locked] = await this.repo.lockContacts([survivor.id], m);
    if (!locked || locked.mergedIntoId) return this.lockSurvivor(survivor.id, m);
    return locked;
  }

  /** Follows merges to the contact that absorbed this one. */
  async survivor(contact: Contact, manager?: EntityManager): Promise<Contact> {
    let current = contact;
    for (let hops = 0; current.mergedIntoId && hops < 10; hops++) {
      const next = await this.repo.findContact(current.mergedIntoId, manager);
      if (!next) break;
      current = next;
    }
    return current;
  }
}

/** The identities of a reference, normalised and without duplicates. */
function identitiesOf(ref: ContactReference): IdentityValue[] {
  const all = [
    ...(ref.email ? [{ kind: 'email' as const, value: ref.email }] : []),
    ...(ref.phone ? [{ kind: 'phone' as const, value: ref.phone }] : []),
    ...(ref.externalId ? [{ kind: 'external_id' as const, value: ref.externalId }] : []),
    ...(ref.identities ?? []),
  ].map((i) => ({ kind: i.kind, value: normalizeIdentity(i.kind, i.value) }));
  const seen = new Set<string>();
  return all.filter((i) => !seen.has(`${i.kind}:${i.value}`) && !!seen.add(`${i.kind}:${i.value}`));
}

/** A contact without a name is called by the part of its email address before the `@`. */
function defaultName(name: string, identities: IdentityValue[]): string {
  const email = identities.find((i) => i.kind === 'email')?.value;
  return name || (email ? email.slice(0, email.lastIndexOf('@')).slice(0, 200) : '');
}
