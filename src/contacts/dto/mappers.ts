import type { Contact, ContactIdentity } from '../entities';
import { ContactDto, ContactIdentityDto, IdentityKindEnum } from './contact.dto';

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
