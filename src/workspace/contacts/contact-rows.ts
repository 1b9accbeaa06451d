import { Injectable } from '@nestjs/common';
import { ContactsService } from '../../contacts/contacts.service';
import { OrganizationsService } from '../../contacts/organizations.service';
import type { Contact } from '../../contacts/entities';
import { initials } from '../core/render';

export interface ContactRow {
  id: string;
  name: string;
  initials: string;
  primary: string;
  more: number;
  organization: { id: string; name: string } | null;
  updatedAt: Date;
}

/** Contact list rows with their first identity and organization: one query per kind for a page. */
@Injectable()
export class ContactRowsPresenter {
  constructor(
    private readonly contacts: ContactsService,
    private readonly orgs: OrganizationsService,
  ) {}

  async rows(list: Contact[]): Promise<ContactRow[]> {
    const orgIds = [...new Set(list.map((c) => c.organizationId).filter((id): id is string => !!id))];
    const [identities, orgs] = await Promise.all([
      this.contacts.identitiesOf(list.map((c) => c.id)),
      this.orgs.getMany(orgIds),
    ]);
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    return list.map((c) => {
      const own = identities.filter((i) => i.contactId === c.id);
      const primary = own.find((i) => i.kind === 'email') ?? own[0];
      const name = c.name || primary?.value || '—';
      return {
        id: c.id,
        name,
        initials: initials(name),
        primary: primary?.value ?? '',
        more: Math.max(0, own.length - 1),
        organization: c.organizationId ? { id: c.organizationId, name: orgName.get(c.organizationId) ?? '—' } : null,
        updatedAt: c.updatedAt,
      };
    });
  }
}
