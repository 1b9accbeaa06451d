import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { actorFrom, CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { byKeys, loader } from '../common/graphql/loaders';
import { ContactDto } from '../contacts/dto/contact.dto';
import { toContactDto } from '../contacts/dto/mappers';
import { ContactsService } from '../contacts/contacts.service';
import { toTicketDto } from './dto/mappers';
import { ContactReferenceInput, TicketDto } from './dto/ticket.dto';
import type { ParentOf } from './dto/parent';
import { TicketContactFollowersService } from './ticket-contact-followers.service';

const uuid = new ParseUUIDPipe();

/** Customers copied on tickets (CCs). */
@Resolver(() => TicketDto)
export class TicketContactFollowersResolver {
  constructor(
    private readonly followers: TicketContactFollowersService,
    private readonly contacts: ContactsService,
  ) {}

  @ResolveField(() => [ContactDto], { description: 'Customers copied on the ticket: they get the replies too.' })
  async contactFollowers(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<ContactDto[]> {
    actorFrom(ctx);
    const ids = await loader<string, string[]>(ctx, 'tickets.contactFollowers', async (ticketIds) => {
      const rows = await this.followers.contactFollowersOf(ticketIds);
      return ticketIds.map((id) => rows.filter((r) => r.ticketId === id).map((r) => r.contactId));
    }).load(t.id);
    const contacts = await loader<string, ContactDto | null>(ctx, 'tickets.contactFollower', async (contactIds) =>
      byKeys(contactIds, (await this.contacts.getMany(contactIds)).map(toContactDto), (c) => c.id),
    ).loadMany(ids);
    return contacts.filter((c): c is ContactDto => !!c && !(c instanceof Error));
  }

  @Mutation(() => TicketDto, { description: 'Copies a customer on the ticket (found or created by email or phone).' })
  async addTicketContactFollower(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, uuid) ticketId: string,
    @Args('contact', { type: () => ContactReferenceInput }) contact: ContactReferenceInput,
  ): Promise<TicketDto> {
    return toTicketDto(await this.followers.add(actor, ticketId, contact));
  }

  @Mutation(() => TicketDto)
  async removeTicketContactFollower(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, uuid) ticketId: string,
    @Args('contactId', { type: () => ID }, uuid) contactId: string,
  ): Promise<TicketDto> {
    return toTicketDto(await this.followers.remove(actor, ticketId, contactId));
  }
}
