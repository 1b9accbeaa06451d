import type { Connection } from '../../common/graphql/pagination';
import type { Contact, ContactIdentity, Organization } from '../entities';
import { ContactDto, ContactIdentityDto, IdentityKindEnum } from './contact.dto';
import { OrganizationDto } from './organization.dto';

export function toContactDto(c: Contact): ContactDto {
  return Object.assign(new ContactDto(), {
    id: c.id,
    name: c.name,
    organizationId: c.organizationId,
    locale: c.locale,
    timezone: c.timezone,
    notes: c.notes,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  });
}

export function toIdentityDto(i: ContactIdentity): ContactIdentityDto {
  return Object.assign(new ContactIdentityDto(), {
    id: i.id,
    kind: i.kind as IdentityKindEnum,
    value: i.value,
    verified: i.verified,
    createdAt: i.createdAt,
  });
}

export function toOrganizationDto(o: Organization): OrganizationDto {
  return Object.assign(new OrganizationDto(), {
    id: o.id,
    name: o.name,
    domains: o.domains,
    notes: o.notes,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  });
}

/** Maps the nodes of a connection, keeping cursors and page info. */
export function mapConnection<A, B>(c: Connection<A>, map: (node: A) => B): Connection<B> {
  return { ...c, edges: c.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })) };
}
