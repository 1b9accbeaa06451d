import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { CapacityService } from './capacity.service';
import { PresenceService } from './presence.service';
import { RoutingRepository } from './routing.repository';
import { RoutingResolver } from './routing.resolver';

/** Who gets work: agent presence, chat capacity and load. */
@Module({
  imports: [IdentityModule],
  providers: [RoutingRepository, PresenceService, CapacityService, RoutingResolver],
  exports: [RoutingRepository, PresenceService, CapacityService],
})
export class RoutingModule {}
