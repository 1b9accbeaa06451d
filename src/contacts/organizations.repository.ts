import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SearchTerm } from './contact-search';
import { Organization } from './entities';

/** Position in the organization list: name and id. */
export type OrganizationCursor = [name: string, id: string];

/** Every query of the contacts context about organizations. */
@Injectable()
export class OrganizationsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findOrganization(id: string, manager?: EntityManager): Promise<Organization | null> {
    return this.m(manager).getRepository(Organization).findOneBy({ id });
  }

  findOrganizations(ids: readonly string[]): Promise<Organization[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(Organization).createQueryBuilder('o').where('o.id = ANY(:ids)', { ids }).getMany();
  }

  lockOrganization(id: string, manager: EntityManager): Promise<Organization | null> {
    return manager
      .getRepository(Organization)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.id = :id', { id })
      .getOne();
  }

  /** Organizations by name; each search word must match the name or one of the domains. */
  list(q: { terms: SearchTerm[]; after: OrganizationCursor | null; limit: number }): Promise<Organization[]> {
    const qb = this.ds.getRepository(Organization).createQueryBuilder('o');
    q.terms.forEach((t, i) => {
      qb.andWhere(`(o.name ILIKE :like${i} OR array_to_string(o.domains, ' ') ILIKE :like${i})`, {
        [`like${i}`]: t.like,
      });
    });
    if (q.after) qb.andWhere('(o.name, o.id) > (:name, CAST(:oid AS uuid))', { name: q.after[0], oid: q.after[1] });
    return qb
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(q.limit + 1)
      .getMany();
  }

  /**
   * Serialises changes to organization domains (rare, admin-only): there is no unique index
   * across array elements, so "one domain, one organization" is checked under this lock.
   */
  async lockDomains(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('sori.organization.domains'))`);
  }

  /** Which other organization already claims each of these domains. */
  async domainOwners(
    domains: string[],
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<Array<{ domain: string; organizationId: string }>> {
    if (!domains.length) return [];
    const rows: Array<{ domain: string; id: string }> = await manager.query(
      `SELECT d AS domain, o.id FROM organization o, unnest(o.domains) AS d
        WHERE d = ANY($1::text[]) AND ($2::uuid IS NULL OR o.id <> $2::uuid)
        ORDER BY d`,
      [domains, exceptId],
    );
    return rows.map((r) => ({ domain: r.domain, organizationId: r.id }));
  }

  save(o: Partial<Organization>, manager: EntityManager): Promise<Organization> {
    return manager.getRepository(Organization).save(o as Organization);
  }

  async update(id: string, patch: Partial<Organization>, manager: EntityManager): Promise<Organization> {
    await manager
      .createQueryBuilder()
      .update(Organization)
      .set({ ...patch, updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .execute();
    return (await this.findOrganization(id, manager)) as Organization;
  }

  /** Deletes the organization; its contacts stay, unlinked (the foreign key sets null). */
  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE contact SET updated_at = now() WHERE organization_id = $1`, [id]);
    await manager.getRepository(Organization).delete({ id });
  }

  /**
   * Links contacts without an organization whose email is at one of these domains. Returns how
   * many were linked.
   */
  async linkContactsByDomains(organizationId: string, domains: string[], manager: EntityManager): Promise<number> {
    if (!domains.length) return 0;
    const [rows] = await manager.query<[unknown[], number]>(
      `UPDATE contact c SET organization_id = $1, updated_at = now()
        WHERE c.organization_id IS NULL AND c.merged_into_id IS NULL
          AND c.id IN (SELECT ci.contact_id FROM contact_identity ci
                        WHERE ci.kind = 'email' AND split_part(ci.value, '@', 2) = ANY($2::text[]))
        RETURNING c.id`,
      [organizationId, domains],
    );
    return rows.length;
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}
