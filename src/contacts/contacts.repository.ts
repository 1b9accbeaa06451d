import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared } from '../database/prepared';
import { fromRow, selectList } from '../database/entity-rows';
import type { SearchTerm } from './contact-search';
import { Contact, ContactIdentity, Organization, type IdentityKind } from './entities';

export interface IdentityValue {
  kind: IdentityKind;
  value: string;
}

/** Position in the contact list: `updated_at` as PostgreSQL text (microseconds kept) and id. */
export type ContactCursor = [updatedAt: string, id: string];

export interface ContactListQuery {
  terms: SearchTerm[];
  organizationId?: string | null;
  after: ContactCursor | null;
  limit: number;
}

/** Every query of the contacts context about contacts and identities. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findContact(id: string, manager?: EntityManager): Promise<Contact | null> {
    return this.m(manager).getRepository(Contact).findOneBy({ id });
  }

  findContacts(ids: readonly string[], manager?: EntityManager): Promise<Contact[]> {
    if (!ids.length) return Promise.resolve([]);
    return (manager ?? this.ds.manager)
      .getRepository(Contact)
      .createQueryBuilder('c')
      .where('c.id = ANY(:ids)', { ids })
      .getMany();
  }

  /** Row locks on contacts, taken in id order so that two merges never deadlock. */
  async lockContacts(ids: string[], manager: EntityManager): Promise<Contact[]> {
    return manager
      .getRepository(Contact)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = ANY(:ids)', { ids })
      .orderBy('c.id')
      .getMany();
  }

  /** Contacts newest-updated first; merged-away contacts are left out. Fetches `limit + 1` rows. */
  async listContacts(q: ContactListQuery): Promise<Array<{ contact: Contact; cursor: ContactCursor }>> {
    const qb = this.ds
      .getRepository(Contact)
      .createQueryBuilder('c')
      .addSelect('c.updated_at::text', 'cursor_ts')
      .where('c.merged_into_id IS NULL');
    if (q.organizationId) qb.andWhere('c.organization_id = :org', { org: q.organizationId });
    q.terms.forEach((t, i) => {
      const values = t.digits ? `(ci.value ILIKE :like${i} OR ci.value LIKE :digits${i})` : `ci.value ILIKE :like${i}`;
      qb.andWhere(
        `(c.name ILIKE :like${i} OR c.id IN (SELECT ci.contact_id FROM contact_identity ci WHERE ${values}))`,
        { [`like${i}`]: t.like, [`digits${i}`]: t.digits },
      );
    });
    if (q.after) {
      qb.andWhere('(c.updated_at, c.id) < (CAST(:ts AS timestamptz), CAST(:cid AS uuid))', {
        ts: q.after[0],
        cid: q.after[1],
      });
    }
    qb.orderBy('c.updated_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(q.limit + 1);
    const { raw, entities } = await qb.getRawAndEntities<{ c_id: string; cursor_ts: string }>();
    const cursors = new Map(raw.map((r) => [r.c_id, r.cursor_ts]));
    return entities.map((contact) => ({ contact, cursor: [cursors.get(contact.id) as string, contact.id] }));
  }

  /** The contact owning any of these identities (the caller follows merges to the survivor). */
  async findByIdentities(identities: IdentityValue[], manager?: EntityManager): Promise<Contact | null> {
    return (await this.ownerOf(identities, manager)).contact;
  }

  /**
   * The contact holding the oldest of these identities, and how many of them are held by anyone
   * (all of them: there is nothing to add) — one query.
   */
  async ownerOf(
    identities: IdentityValue[],
    manager?: EntityManager,
  ): Promise<{ contact: Contact | null; held: number }> {
    if (!identities.length) return { contact: null, held: 0 };
    const m = this.m(manager);
    const meta = m.connection.getMetadata(Contact);
    const rows: Array<Record<string, unknown>> = await m.query(
      prepared(`SELECT ${selectList(meta, 'c', 'c_')} FROM contact_identity ci
        JOIN unnest($1::text[], $2::text[]) AS wanted(kind, value) ON wanted.kind = ci.kind AND wanted.value = ci.value
        JOIN contact c ON c.id = ci.contact_id
        ORDER BY ci.created_at, ci.id`),
      [identities.map((i) => i.kind), identities.map((i) => i.value)],
    );
    return { contact: rows[0] ? fromRow<Contact>(meta, rows[0], 'c_') : null, held: rows.length };
  }

  /** Which contact holds each of these identities, oldest identity first. */
  async ownersOf(
    identities: IdentityValue[],
    manager?: EntityManager,
  ): Promise<Array<IdentityValue & { contactId: string }>> {
    if (!identities.length) return [];
    const rows: Array<{ kind: IdentityKind; value: string; contact_id: string }> = await this.m(manager).query(
      `SELECT ci.kind, ci.value, ci.contact_id FROM contact_identity ci
        JOIN unnest($1::text[], $2::text[]) AS wanted(kind, value) ON wanted.kind = ci.kind AND wanted.value = ci.value
        ORDER BY ci.created_at, ci.id`,
      [identities.map((i) => i.kind), identities.map((i) => i.value)],
    );
    return rows.map((r) => ({ kind: r.kind, value: r.value, contactId: r.contact_id }));
  }

  /**
   * A new contact with its identities, in one statement: the organization is the oldest one
   * claiming `domain` (none without); identities some other contact holds already are skipped
   * (`inserted` says how many went in, so the caller can tell it lost a race).
   */
  async insertWithIdentities(
    fields: Pick<Contact, 'name' | 'locale' | 'timezone' | 'notes'>,
    domain: string | null,
    identities: Array<IdentityValue & { verified?: boolean }>,
    m: EntityManager,
  ): Promise<{ contact: Contact; inserted: number }> {
    const meta = m.connection.getMetadata(Contact);
    const sorted = [...identities].sort((a, b) => (a.kind + a.value < b.kind + b.value ? -1 : 1));
    const rows: Array<Record<string, unknown>> = await m.query(
      prepared(`WITH c AS (
         INSERT INTO contact (name, organization_id, locale, timezone, notes)
         VALUES ($1, (SELECT o.id FROM organization o WHERE $2::text = ANY(o.domains) ORDER BY o.created_at LIMIT 1),
                 $3, $4, $5)
         RETURNING *
       ), i AS (
         INSERT INTO contact_identity (contact_id, kind, value, verified)
         SELECT c.id, k, v, ver FROM c, unnest($6::text[], $7::text[], $8::boolean[]) WITH ORDINALITY AS t(k, v, ver, n)
         ORDER BY n
         ON CONFLICT (kind, value) DO NOTHING RETURNING id
       )
       SELECT ${selectList(meta, 'c', '')}, (SELECT count(*) FROM i)::int AS inserted FROM c`),
      [
        fields.name,
        domain,
        fields.locale,
        fields.timezone,
        fields.notes,
        sorted.map((i) => i.kind),
        sorted.map((i) => i.value),
        sorted.map((i) => !!i.verified),
      ],
    );
    return { contact: fromRow<Contact>(meta, rows[0], ''), inserted: Number(rows[0].inserted) };
  }

  saveContact(c: Partial<Contact>, manager?: EntityManager): Promise<Contact> {
    return this.m(manager)
      .getRepository(Contact)
      .save(c as Contact);
  }

  async updateContact(id: string, patch: Partial<Contact>, manager?: EntityManager): Promise<Contact> {
    await this.m(manager)
      .createQueryBuilder()
      .update(Contact)
      .set({ ...patch, updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .execute();
    return (await this.findContact(id, manager)) as Contact;
  }

  async deleteContact(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM contact WHERE id = $1`, [id]);
  }

  /**
   * Adds identities, skipping ones that already exist (on any contact). Rows go in a fixed
   * order so that concurrent inserts of overlapping sets wait on each other instead of deadlocking.
   * Returns how many were inserted.
   */
  async addIdentities(
    contactId: string,
    identities: Array<IdentityValue & { verified?: boolean }>,
    manager?: EntityManager,
  ): Promise<number> {
    if (!identities.length) return 0;
    const sorted = [...identities].sort((a, b) => (a.kind + a.value < b.kind + b.value ? -1 : 1));
    const rows: unknown[] = await this.m(manager).query(
      `INSERT INTO contact_identity (contact_id, kind, value, verified)
       SELECT $1, k, v, ver FROM unnest($2::text[], $3::text[], $4::boolean[]) WITH ORDINALITY AS t(k, v, ver, n)
       ORDER BY n
       ON CONFLICT (kind, value) DO NOTHING RETURNING id`,
      [contactId, sorted.map((i) => i.kind), sorted.map((i) => i.value), sorted.map((i) => !!i.verified)],
    );
    return rows.length;
  }

  async moveIdentities(fromContactId: string, toContactId: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE contact_identity SET contact_id = $2 WHERE contact_id = $1`, [
      fromContactId,
      toContactId,
    ]);
  }

  identitiesOf(contactIds: readonly string[], manager?: EntityManager): Promise<ContactIdentity[]> {
    if (!contactIds.length) return Promise.resolve([]);
    return (manager ?? this.ds.manager)
      .getRepository(ContactIdentity)
      .createQueryBuilder('i')
      .where('i.contactId = ANY(:ids)', { ids: contactIds })
      .orderBy('i.createdAt', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
  }

  findIdentity(id: string, manager?: EntityManager): Promise<ContactIdentity | null> {
    return this.m(manager).getRepository(ContactIdentity).findOneBy({ id });
  }

  async countIdentities(contactId: string, manager: EntityManager): Promise<number> {
    return manager.getRepository(ContactIdentity).countBy({ contactId });
  }

  async deleteIdentity(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(ContactIdentity).delete({ id });
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
