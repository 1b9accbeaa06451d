// Every migration, in order. `npm run migration:generate` appends new ones here.
import { Initial1763900000000 } from './1763900000000-Initial';
import { ContactsListAndMerge1763900100000 } from './1763900100000-ContactsListAndMerge';
import { ConversationsRealtime1763900300000 } from './1763900300000-ConversationsRealtime';
import { TicketListIndexes1763900400000 } from './1763900400000-TicketListIndexes';
import { EmailChannel1763901100000 } from './1763901100000-EmailChannel';
import { Widget1763902100000 } from './1763902100000-Widget';
import { MacrosCannedViews1763904100000 } from './1763904100000-MacrosCannedViews';

export const migrations = [
  Initial1763900000000,
  ContactsListAndMerge1763900100000,
  ConversationsRealtime1763900300000,
  TicketListIndexes1763900400000,
  EmailChannel1763901100000,
  Widget1763902100000,
  MacrosCannedViews1763904100000,
];
