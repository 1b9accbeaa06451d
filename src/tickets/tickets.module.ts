import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { IdentityModule } from '../identity/identity.module';
import { TicketContactFollowersResolver } from './ticket-contact-followers.resolver';
import { TicketContactFollowersService } from './ticket-contact-followers.service';
import { TicketFieldsRepository } from './ticket-fields.repository';
import { TicketFieldsResolver } from './ticket-fields.resolver';
import { TicketFieldsService } from './ticket-fields.service';
import { TicketFollowersService } from './ticket-followers.service';
import { TicketMergeService } from './ticket-merge.service';
import { TicketRelationsRepository } from './ticket-relations.repository';
import { TicketLinkResolver, TicketRelationsResolver } from './ticket-relations.resolver';
import { TicketSearchRepository } from './ticket-search.repository';
import { TicketSearchResolver } from './ticket-search.resolver';
import { TicketSearchService } from './ticket-search.service';
import { TicketTagsService } from './ticket-tags.service';
import { TicketsRepository } from './tickets.repository';
import { TicketsResolver } from './tickets.resolver';
import { TicketsService } from './tickets.service';

@Module({
  imports: [ContactsModule, IdentityModule],
  providers: [
    TicketsRepository,
    TicketFieldsRepository,
    TicketRelationsRepository,
    TicketSearchRepository,
    TicketsService,
    TicketFieldsService,
    TicketSearchService,
    TicketTagsService,
    TicketFollowersService,
    TicketContactFollowersService,
    TicketMergeService,
    TicketsResolver,
    TicketContactFollowersResolver,
    TicketFieldsResolver,
    TicketSearchResolver,
    TicketRelationsResolver,
    TicketLinkResolver,
  ],
  exports: [
    TicketsService,
    TicketSearchService,
    TicketFieldsService,
    TicketMergeService,
    TicketFollowersService,
    TicketContactFollowersService,
    TicketTagsService,
  ],
})
export class TicketsModule {}
