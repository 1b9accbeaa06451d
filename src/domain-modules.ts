// The bounded contexts beyond identity, in one list (also used by the schema printer).
import { ContactsModule } from './contacts/contacts.module';
import { ConversationsModule } from './conversations/conversations.module';
import { TicketsModule } from './tickets/tickets.module';
import { EmailModule } from './channels/email/email.module';
import { WidgetModule } from './channels/widget/widget.module';
import { RoutingModule } from './routing/routing.module';
import { AutomationModule } from './automation/automation.module';

export const domainModules = [
  ContactsModule,
  TicketsModule,
  ConversationsModule,
  RoutingModule,
  EmailModule,
  WidgetModule,
  AutomationModule,
];
