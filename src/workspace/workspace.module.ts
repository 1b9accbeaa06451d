import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { AuthPagesController } from './auth-pages.controller';
import { HomeController } from './home.controller';

/** Server-rendered agent pages. Controllers are thin and call the same services as GraphQL. */
@Module({
  imports: [IdentityModule],
  controllers: [AuthPagesController, HomeController],
})
export class WorkspaceModule {}
