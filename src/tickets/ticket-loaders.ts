import type DataLoader from 'dataloader';
import type { GraphQLContext } from '../common/auth/current-actor.decorator';
import { byKeys, loader } from '../common/graphql/loaders';
import type { ContactDto } from '../contacts/dto/contact.dto';
import { toContactDto } from '../contacts/dto/mappers';
import type { ContactsService } from '../contacts/contacts.service';

/**
 * Requesters by contact id, one batch per request. Ticket lists prime it with the requesters
 * they loaded in their own query, so `requester` costs no extra round trip there.
 */
export function requesterLoader(ctx: GraphQLContext, contacts: ContactsService): DataLoader<string, ContactDto> {
  return loader<string, ContactDto>(ctx, 'contact', async (ids) =>
    byKeys(ids, (await contacts.getMany(ids)).map(toContactDto), (c) => c.id),
  );
}
