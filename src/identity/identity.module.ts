import { Module } from '@nestjs/common';
import { AgentsResolver, GroupsResolver } from './agents.resolver';
import { AgentsService } from './agents.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { IdentityRepository } from './identity.repository';

@Module({
  providers: [IdentityRepository, AuthService, AgentsService, AuthResolver, AgentsResolver, GroupsResolver],
  exports: [AuthService, AgentsService],
})
export class IdentityModule {}
