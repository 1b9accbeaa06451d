// Every migration, in order. `npm run migration:generate` appends new ones here.
import { Initial1763900000000 } from './1763900000000-Initial';
import { ContactsListAndMerge1763900100000 } from './1763900100000-ContactsListAndMerge';
import { ConversationsRealtime1763900300000 } from './1763900300000-ConversationsRealtime';
import { TicketListIndexes1763900400000 } from './1763900400000-TicketListIndexes';
import { EmailChannel1763901100000 } from './1763901100000-EmailChannel';
import { Widget1763902100000 } from './1763902100000-Widget';
import { MacrosCannedViews1763904100000 } from './1763904100000-MacrosCannedViews';
import { WidgetGreetingKo1763905100000 } from './1763905100000-WidgetGreetingKo';
import { ChatRouting1763906100000 } from './1763906100000-ChatRouting';
import { InboxViewIndexes1763907100000 } from './1763907100000-InboxViewIndexes';
import { WidgetPrechatAnswers1763908600000 } from './1763908600000-WidgetPrechatAnswers';

export const migrations = [
  Initial1763900000000,
  ContactsListAndMerge1763900100000,
  ConversationsRealtime1763900300000,
  TicketListIndexes1763900400000,
  EmailChannel1763901100000,
  Widget1763902100000,
  MacrosCannedViews1763904100000,
  WidgetGreetingKo1763905100000,
  ChatRouting1763906100000,
  InboxViewIndexes1763907100000,
  WidgetPrechatAnswers1763908600000,
];
