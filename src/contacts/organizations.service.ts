import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertAdmin, assertCanRead, type Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import { toConnection, type Connection } from '../common/graphql/pagination';
import { cleanName, cleanNotes } from './contact-fields';
import { contactSearchTerms } from './contact-search';
import { DomainTakenError } from './contacts.errors';
import { organizationCursor, pageSize } from './cursors';
import type { Organization } from './entities';
import { normalizeDomain } from './identity-values';
import { OrganizationsRepository } from './organizations.repository';

export interface OrganizationData {
  name?: string;
  domains?: string[];
  notes?: string;
}

/** Organizations: reading for everyone who may read, changes for admins; contacts join by email domain. */
@Injectable()
export class OrganizationsService {
  constructor(private readonly repo: OrganizationsRepository) {}

  async get(actor: Actor, id: string): Promise<Organization> {
    assertCanRead(actor);
    const org = await this.repo.findOrganization(id);
    if (!org) throw new NotFoundError('Organization', id);
    return org;
  }

  getMany(ids: readonly string[]): Promise<Organization[]> {
    return this.repo.findOrganizations(ids);
  }

  async list(actor: Actor, args: { first?: number | null; after?: string | null; search?: string | null }) {
    assertCanRead(actor);
    const limit = pageSize(args.first);
    const after = organizationCursor(args.after);
    const rows = await this.repo.list({ terms: contactSearchTerms(args.search), after, limit });
    const connection: Connection<Organization> = toConnection(
      rows,
      limit,
      (o) => [o.name, o.id],
      (o) => o,
      after !== null,
    );
    return connection;
  }

  /** Creates an organization and links the existing contacts at its domains that have none. */
  async create(actor: Actor, data: OrganizationData): Promise<Organization> {
    assertAdmin(actor);
    const name = requiredName(data.name);
    const domains = normalizeDomains(data.domains ?? []);
    const notes = cleanNotes(data.notes ?? '');
    return this.repo.transaction(async (m) => {
      await this.claimDomains(domains, null, m);
      const org = await this.repo.save({ name, domains, notes }, m);
      await this.repo.linkContactsByDomains(org.id, domains, m);
      return org;
    });
  }

  /** Updates fields; `domains` replaces the list, and contacts at newly added domains join. */
  async update(actor: Actor, id: string, data: OrganizationData): Promise<Organization> {
    assertAdmin(actor);
    const patch: Partial<Organization> = {};
    if (data.name !== undefined) patch.name = requiredName(data.name);
    if (data.notes !== undefined) patch.notes = cleanNotes(data.notes);
    if (data.domains !== undefined) patch.domains = normalizeDomains(data.domains);
    return this.repo.transaction(async (m) => {
      if (patch.domains) await this.claimDomains(patch.domains, id, m);
      const current = await this.repo.lockOrganization(id, m);
      if (!current) throw new NotFoundError('Organization', id);
      const org = await this.repo.update(id, patch, m);
      const added = (patch.domains ?? []).filter((d) => !current.domains.includes(d));
      await this.repo.linkContactsByDomains(id, added, m);
      return org;
    });
  }

  /** Deletes the organization; its contacts stay, without an organization. Returns the id. */
  async delete(actor: Actor, id: string): Promise<string> {
    assertAdmin(actor);
    return this.repo.transaction(async (m) => {
      if (!(await this.repo.lockOrganization(id, m))) throw new NotFoundError('Organization', id);
      await this.repo.delete(id, m);
      return id;
    });
  }

  /** ALREADY_EXISTS when another organization has one of the domains; holds the domain lock until commit. */
  private async claimDomains(domains: string[], self: string | null, m: EntityManager): Promise<void> {
    if (!domains.length) return;
    await this.repo.lockDomains(m);
    const [taken] = await this.repo.domainOwners(domains, self, m);
    if (taken) throw new DomainTakenError(taken.domain, taken.organizationId);
  }
}

function requiredName(raw: string | undefined): string {
  const name = cleanName(raw ?? '');
  if (!name) throw new ValidationError('The organization needs a name.');
  return name;
}

function normalizeDomains(raw: string[]): string[] {
  if (raw.length > 100) throw new ValidationError('An organization can have at most 100 domains.');
  return [...new Set(raw.map(normalizeDomain))].sort();
}
