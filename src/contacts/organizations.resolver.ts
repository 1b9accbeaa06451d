import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { PageArgs } from '../common/graphql/pagination';
import { ContactsService } from './contacts.service';
import { ContactConnection } from './dto/contact.dto';
import { mapConnection, toContactDto, toOrganizationDto } from './dto/mappers';
import {
  CreateOrganizationInput,
  OrganizationConnection,
  OrganizationDto,
  OrganizationsArgs,
  UpdateOrganizationInput,
} from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

const uuid = new ParseUUIDPipe();

@Resolver(() => OrganizationDto)
export class OrganizationsResolver {
  constructor(
    private readonly organizationsService: OrganizationsService,
    private readonly contactsService: ContactsService,
  ) {}

  @Query(() => OrganizationConnection, { description: 'Organizations by name.' })
  async organizations(@CurrentActor() actor: Actor, @Args() args: OrganizationsArgs): Promise<OrganizationConnection> {
    return mapConnection(await this.organizationsService.list(actor, args), toOrganizationDto);
  }

  @Query(() => OrganizationDto)
  async organization(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
  ): Promise<OrganizationDto> {
    return toOrganizationDto(await this.organizationsService.get(actor, id));
  }

  @Mutation(() => OrganizationDto, {
    description: 'Admins only. Existing contacts with an email at its domains and no organization join it.',
  })
  async createOrganization(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateOrganizationInput,
  ): Promise<OrganizationDto> {
    return toOrganizationDto(await this.organizationsService.create(actor, input));
  }

  @Mutation(() => OrganizationDto, { description: 'Admins only.' })
  async updateOrganization(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateOrganizationInput,
  ): Promise<OrganizationDto> {
    const { id, ...data } = input;
    return toOrganizationDto(await this.organizationsService.update(actor, id, data));
  }

  @Mutation(() => ID, { description: 'Admins only. Its contacts stay, without an organization.' })
  async deleteOrganization(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string) {
    return this.organizationsService.delete(actor, id);
  }

  @ResolveField(() => ContactConnection, { description: 'Its contacts, most recently updated first.' })
  async contacts(
    @Parent() o: OrganizationDto,
    @CurrentActor() actor: Actor,
    @Args() page: PageArgs,
  ): Promise<ContactConnection> {
    const list = await this.contactsService.list(actor, { ...page, organizationId: o.id });
    return mapConnection(list, toContactDto);
  }
}
