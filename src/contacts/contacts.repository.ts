import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Contact, ContactIdentity, Organization, type IdentityKind } from './entities';

/** Every query of the contacts context. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findContact(id: string, manager?: EntityManager): Promise<Contact | null> {
    return this.m(manager).getRepository(Contact).findOneBy({ id });
  }

  findContacts(ids: readonly string[]): Promise<Contact[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(Contact).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
  }

  /** The contact owning any of these identities (merged contacts resolve to their survivor). */
  async findByIdentities(
    identities: Array<{ kind: IdentityKind; value: string }>,
    manager?: EntityManager,
  ): Promise<Contact | null> {
    if (!identities.length) return null;
    const rows: Array<{ contact_id: string }> = await this.m(manager).query(
      `SELECT ci.contact_id FROM contact_identity ci
        JOIN unnest($1::text[], $2::text[]) AS wanted(kind, value) ON wanted.kind = ci.kind AND wanted.value = ci.value
        ORDER BY ci.created_at LIMIT 1`,
      [identities.map((i) => i.kind), identities.map((i) => i.value)],
    );
    return rows[0] ? this.findContact(rows[0].contact_id, manager) : null;
  }

  saveContact(c: Partial<Contact>, manager?: EntityManager): Promise<Contact> {
    return this.m(manager)
      .getRepository(Contact)
      .save(c as Contact);
  }

  /** Adds identities, ignoring ones that already exist (on any contact). Returns those inserted. */
  async addIdentities(
    contactId: string,
    identities: Array<{ kind: IdentityKind; value: string; verified?: boolean }>,
    manager?: EntityManager,
  ): Promise<number> {
    if (!identities.length) return 0;
    const rows: unknown[] = await this.m(manager).query(
      `INSERT INTO contact_identity (contact_id, kind, value, verified)
       SELECT $1, k, v, ver FROM unnest($2::text[], $3::text[], $4::boolean[]) AS t(k, v, ver)
       ON CONFLICT (kind, value) DO NOTHING RETURNING id`,
      [contactId, identities.map((i) => i.kind), identities.map((i) => i.value), identities.map((i) => !!i.verified)],
    );
    return rows.length;
  }

  identitiesOf(contactIds: readonly string[]): Promise<ContactIdentity[]> {
    if (!contactIds.length) return Promise.resolve([]);
    return this.ds
      .getRepository(ContactIdentity)
      .createQueryBuilder('i')
      .where('i.contactId = ANY(:ids)', { ids: contactIds })
      .orderBy('i.createdAt', 'ASC')
      .getMany();
  }

  organizationForDomain(domain: string, manager?: EntityManager): Promise<Organization | null> {
    return this.m(manager)
      .getRepository(Organization)
      .createQueryBuilder('o')
      .where(':domain = ANY(o.domains)', { domain })
      .orderBy('o.createdAt', 'ASC')
      .getOne();
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}
