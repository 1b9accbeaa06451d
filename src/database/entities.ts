// Every TypeORM entity, listed once. A new context adds its entities here.
import { identityEntities } from '../identity/entities';
import { contactEntities } from '../contacts/entities';
import { ticketEntities } from '../tickets/entities';
import { conversationEntities } from '../conversations/entities';
import { widgetEntities } from '../channels/widget/entities';
import { emailEntities } from '../channels/email/entities';
import { routingEntities } from '../routing/entities';
import { automationEntities } from '../automation/entities';

export const entities = [
  ...identityEntities,
  ...contactEntities,
  ...ticketEntities,
  ...conversationEntities,
  ...widgetEntities,
  ...emailEntities,
  ...routingEntities,
  ...automationEntities,
];
