import { EmailModule } from '../channels/email/email.module';
import { EmailSettingsController } from './admin/email.controller';
import { Module } from '@nestjs/common';
import { WidgetModule } from '../channels/widget/widget.module';
import { AutomationModule } from '../automation/automation.module';
import { ContactsModule } from '../contacts/contacts.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { IdentityModule } from '../identity/identity.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AuthPagesController } from './auth-pages.controller';
import { CannedPageController } from './automation/canned.controller';
import { ComposerToolsController } from './automation/composer-tools.controller';
import { MacrosPageController } from './automation/macros.controller';
import { SavedViewsPageController } from './automation/saved-views.controller';
import { SignedInGuard } from './core/signed-in.guard';
import { BulkOptionsService } from './inbox/bulk-options.service';
import { BulkController } from './inbox/bulk.controller';
import { InboxDataService } from './inbox/inbox-data.service';
import { InboxController } from './inbox/inbox.controller';
import { TicketRowsPresenter } from './inbox/ticket-rows';
import { PreferencesController } from './preferences.controller';
import { ProfileController } from './profile.controller';
import { SearchController } from './search/search.controller';
import { ContactRowsPresenter } from './contacts/contact-rows';
import { ContactsController } from './contacts/contacts.controller';
import { OrganizationsController } from './contacts/organizations.controller';
import { AgentsSettingsController } from './admin/agents.controller';
import { BusinessHoursSettingsController } from './admin/business-hours.controller';
import { FieldsSettingsController } from './admin/fields.controller';
import { GroupsSettingsController } from './admin/groups.controller';
import { WidgetsSettingsController } from './admin/widgets.controller';
import { TicketComposerController } from './tickets/ticket-actions.controller';
import { TicketPageController } from './tickets/ticket-page.controller';
import { TicketPageService } from './tickets/ticket-page.service';
import { TicketPropertiesController } from './tickets/ticket-properties.controller';
import { TicketScreen } from './tickets/ticket-screen.service';
import { TimelinePresenter } from './tickets/timeline.presenter';

import { RoutingModule } from '../routing/routing.module';
import { ChatsController } from './chats/chats.controller';
import { ChatsPageService } from './chats/chats-page.service';
/** Server-rendered agent pages. Controllers are thin and call the same services as GraphQL. */
@Module({
  imports: [
    IdentityModule,
    ContactsModule,
    TicketsModule,
    ConversationsModule,
    WidgetModule,
    RoutingModule,
    AutomationModule,
    EmailModule,
  ],
  controllers: [
    EmailSettingsController,
    AuthPagesController,
    PreferencesController,
    ChatsController,
    InboxController,
    BulkController,
    TicketPageController,
    TicketComposerController,
    TicketPropertiesController,
    SearchController,
    ContactsController,
    OrganizationsController,
    ProfileController,
    AgentsSettingsController,
    GroupsSettingsController,
    FieldsSettingsController,
    WidgetsSettingsController,
    BusinessHoursSettingsController,
    MacrosPageController,
    CannedPageController,
    SavedViewsPageController,
    ComposerToolsController,
  ],
  providers: [
    SignedInGuard,
    ChatsPageService,
    TicketRowsPresenter,
    InboxDataService,
    BulkOptionsService,
    TimelinePresenter,
    TicketPageService,
    TicketScreen,
    ContactRowsPresenter,
  ],
})
export class WorkspaceModule {}
