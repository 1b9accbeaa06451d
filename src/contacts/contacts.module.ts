import { Module } from '@nestjs/common';
import { ContactMergeRepository } from './contact-merge.repository';
import { ContactMergeService } from './contact-merge.service';
import { ContactsRepository } from './contacts.repository';
import { ContactsResolver } from './contacts.resolver';
import { ContactsService } from './contacts.service';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsResolver } from './organizations.resolver';
import { OrganizationsService } from './organizations.service';

@Module({
  providers: [
    ContactsRepository,
    OrganizationsRepository,
    ContactMergeRepository,
    ContactsService,
    OrganizationsService,
    ContactMergeService,
    ContactsResolver,
    OrganizationsResolver,
  ],
  exports: [ContactsService, OrganizationsService, ContactMergeService],
})
export class ContactsModule {}
