import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { IdentityModule } from '../identity/identity.module';
import { TicketsRepository } from './tickets.repository';
import { TicketsResolver } from './tickets.resolver';
import { TicketsService } from './tickets.service';

@Module({
  imports: [ContactsModule, IdentityModule],
  providers: [TicketsRepository, TicketsService, TicketsResolver],
  exports: [TicketsService],
})
export class TicketsModule {}
