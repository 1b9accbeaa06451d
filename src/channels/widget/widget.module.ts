import { Module, OnModuleInit } from '@nestjs/common';
import { VisitorAuthRegistry } from '../../common/auth/visitor';
import { ContactsModule } from '../../contacts/contacts.module';
import { ConversationsModule } from '../../conversations/conversations.module';
import { IdentityModule } from '../../identity/identity.module';
import { RoutingModule } from '../../routing/routing.module';
import { TicketsModule } from '../../tickets/tickets.module';
import { ChatOffersRepository } from './chat-offers.repository';
import { ChatPanelResolver } from './chat-panel.resolver';
import { ChatPanelService } from './chat-panel.service';
import { ChatRoutingService } from './chat-routing.service';
import { ChatStateService } from './chat-state.service';
import { ChatTransferService } from './chat-transfer.service';
import { ChatsRepository } from './chats.repository';
import { FollowUpService } from './follow-up.service';
import { LiveChatResolver } from './live-chat.resolver';
import { LiveChatService } from './live-chat.service';
import { RulesAndBlocksService } from './rules-blocks.service';
import { SignalsService } from './signals.service';
import { VisitorConversationsService } from './visitor-conversations.service';
import { WidgetSubscriptionsResolver } from './visitor-subscriptions.resolver';
import { VisitorResolver } from './visitor.resolver';
import { VisitorsRepository } from './visitors.repository';
import { VisitorsService } from './visitors.service';
import { WidgetAdminResolver } from './widget-admin.resolver';
import { WidgetFontsController } from './widget-fonts.controller';
import { WidgetHttpController } from './widget-http.controller';
import { WidgetMessagesMapper } from './widget-messages.mapper';
import { WidgetSessionService } from './widget-session.service';
import { WidgetStreamsService } from './widget-streams.service';
import { WidgetsRepository } from './widgets.repository';
import { WidgetsService } from './widgets.service';

/** The web widget channel: visitors, live chat and messaging, the embeddable client's endpoints. */
@Module({
  imports: [ContactsModule, IdentityModule, TicketsModule, ConversationsModule, RoutingModule],
  controllers: [WidgetHttpController, WidgetFontsController],
  providers: [
    WidgetsRepository,
    VisitorsRepository,
    ChatsRepository,
    ChatOffersRepository,
    ChatRoutingService,
    ChatTransferService,
    ChatPanelService,
    WidgetsService,
    RulesAndBlocksService,
    VisitorsService,
    WidgetMessagesMapper,
    SignalsService,
    ChatStateService,
    VisitorConversationsService,
    LiveChatService,
    FollowUpService,
    WidgetSessionService,
    WidgetStreamsService,
    WidgetAdminResolver,
    VisitorResolver,
    WidgetSubscriptionsResolver,
    LiveChatResolver,
    ChatPanelResolver,
  ],
  exports: [
    WidgetsService,
    RulesAndBlocksService,
    VisitorsService,
    LiveChatService,
    ChatPanelService,
    ChatRoutingService,
    ChatTransferService,
  ],
})
export class WidgetModule implements OnModuleInit {
  constructor(
    private readonly registry: VisitorAuthRegistry,
    private readonly visitors: VisitorsService,
  ) {}

  onModuleInit(): void {
    this.registry.use((c) => this.visitors.authenticate(c));
  }
}
