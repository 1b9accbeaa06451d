import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { IdentityModule } from '../identity/identity.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AutomationRepository } from './automation.repository';
import { CannedResponsesResolver, MacrosResolver, SavedViewsResolver } from './automation.resolver';
import { CannedResponsesService } from './canned-responses.service';
import { MacrosService } from './macros.service';
import { SavedViewsService } from './saved-views.service';
import { TemplateContextService } from './template-context.service';

/** Agent productivity: macros, canned responses with variables, saved inbox views. */
@Module({
  imports: [IdentityModule, ContactsModule, TicketsModule],
  providers: [
    AutomationRepository,
    TemplateContextService,
    MacrosService,
    CannedResponsesService,
    SavedViewsService,
    MacrosResolver,
    CannedResponsesResolver,
    SavedViewsResolver,
  ],
  exports: [MacrosService, CannedResponsesService, SavedViewsService],
})
export class AutomationModule {}
