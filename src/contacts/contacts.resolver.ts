import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { byKeys, loader } from '../common/graphql/loaders';
import { ContactMergeService } from './contact-merge.service';
import { ContactsService } from './contacts.service';
import { ContactConnection, ContactDto, ContactIdentityDto, IdentityKindEnum } from './dto/contact.dto';
import { ContactsArgs, CreateContactInput, UpdateContactInput } from './dto/contact.input';
import { mapConnection, toContactDto, toIdentityDto, toOrganizationDto } from './dto/mappers';
import { OrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

const uuid = new ParseUUIDPipe();

@Resolver(() => ContactDto)
export class ContactsResolver {
  constructor(
    private readonly contactsService: ContactsService,
    private readonly merges: ContactMergeService,
    private readonly organizationsService: OrganizationsService,
  ) {}

  @Query(() => ContactConnection, { description: 'Contacts, most recently updated first; merged contacts left out.' })
  async contacts(@CurrentActor() actor: Actor, @Args() args: ContactsArgs): Promise<ContactConnection> {
    return mapConnection(await this.contactsService.list(actor, args), toContactDto);
  }

  @Query(() => ContactDto, { description: 'The id of a merged-away contact gives the contact it was merged into.' })
  async contact(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string): Promise<ContactDto> {
    return toContactDto(await this.contactsService.get(actor, id));
  }

  @Mutation(() => ContactDto, { description: 'ALREADY_EXISTS (with the owner’s contactId) if an identity is taken.' })
  async createContact(@CurrentActor() actor: Actor, @Args('input') input: CreateContactInput): Promise<ContactDto> {
    return toContactDto(await this.contactsService.create(actor, input));
  }

  @Mutation(() => ContactDto)
  async updateContact(@CurrentActor() actor: Actor, @Args('input') input: UpdateContactInput): Promise<ContactDto> {
    const { id, ...data } = input;
    return toContactDto(await this.contactsService.update(actor, id, data));
  }

  @Mutation(() => ContactDto, { description: 'Adds a normalised identity; ALREADY_EXISTS if another contact has it.' })
  async addContactIdentity(
    @CurrentActor() actor: Actor,
    @Args('contactId', { type: () => ID }, uuid) contactId: string,
    @Args('kind', { type: () => IdentityKindEnum }) kind: IdentityKindEnum,
    @Args('value') value: string,
  ): Promise<ContactDto> {
    return toContactDto(await this.contactsService.addIdentity(actor, contactId, kind, value));
  }

  @Mutation(() => ContactDto, { description: 'Removes an identity; the last one cannot be removed.' })
  async removeContactIdentity(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
  ): Promise<ContactDto> {
    return toContactDto(await this.contactsService.removeIdentity(actor, id));
  }

  @Mutation(() => ContactDto, {
    description:
      'Moves every identity, conversation, message and ticket of the source to the target and returns the target. ' +
      'The source id keeps resolving to the target. Needs access to all tickets.',
  })
  async mergeContacts(
    @CurrentActor() actor: Actor,
    @Args('sourceId', { type: () => ID }, uuid) sourceId: string,
    @Args('targetId', { type: () => ID }, uuid) targetId: string,
  ): Promise<ContactDto> {
    return toContactDto(await this.merges.merge(actor, sourceId, targetId));
  }

  @ResolveField(() => [ContactIdentityDto], { description: 'Oldest first.' })
  async identities(@Parent() c: ContactDto, @Context() ctx: GraphQLContext): Promise<ContactIdentityDto[]> {
    return loader<string, ContactIdentityDto[]>(ctx, 'contacts.identities', async (ids) => {
      const byContact = new Map<string, ContactIdentityDto[]>(ids.map((id) => [id, []]));
      for (const i of await this.contactsService.identitiesOf(ids)) byContact.get(i.contactId)?.push(toIdentityDto(i));
      return ids.map((id) => byContact.get(id) ?? []);
    }).load(c.id);
  }

  @ResolveField(() => OrganizationDto, { nullable: true })
  async organization(@Parent() c: ContactDto, @Context() ctx: GraphQLContext): Promise<OrganizationDto | null> {
    if (!c.organizationId) return null;
    return loader<string, OrganizationDto | null>(ctx, 'contacts.organization', async (ids) =>
      byKeys(ids, (await this.organizationsService.getMany(ids)).map(toOrganizationDto), (o) => o.id),
    ).load(c.organizationId);
  }
}
