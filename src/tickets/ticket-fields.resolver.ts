import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { toTicketFieldDto, toTicketFormDto } from './dto/mappers';
import {
  CreateTicketFieldInput,
  CreateTicketFormInput,
  TicketFieldDto,
  TicketFormDto,
  UpdateTicketFieldInput,
  UpdateTicketFormInput,
} from './dto/ticket-field.dto';
import { TicketFieldsService } from './ticket-fields.service';
import type { ParentOf } from './dto/parent';

/** Custom ticket fields and forms: everyone reads them, admins change them. */
@Resolver(() => TicketFormDto)
export class TicketFieldsResolver {
  constructor(private readonly service: TicketFieldsService) {}

  @Query(() => [TicketFieldDto], { description: 'Custom ticket fields in display order.' })
  async ticketFields(
    @CurrentActor() actor: Actor,
    @Args('includeInactive', { nullable: true, defaultValue: false }) includeInactive: boolean,
  ): Promise<TicketFieldDto[]> {
    return (await this.service.list(actor, includeInactive)).map(toTicketFieldDto);
  }

  @Mutation(() => TicketFieldDto, { description: 'Admins only.' })
  async createTicketField(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateTicketFieldInput,
  ): Promise<TicketFieldDto> {
    return toTicketFieldDto(await this.service.create(actor, { ...input }));
  }

  @Mutation(() => TicketFieldDto, { description: 'Admins only. Key and type cannot change.' })
  async updateTicketField(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateTicketFieldInput,
  ): Promise<TicketFieldDto> {
    const { id, ...data } = input;
    return toTicketFieldDto(await this.service.update(actor, id, data));
  }

  @Mutation(() => TicketFieldDto, {
    description: 'Admins only. The field takes no new values; values already on tickets are kept.',
  })
  async deactivateTicketField(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<TicketFieldDto> {
    return toTicketFieldDto(await this.service.deactivate(actor, id));
  }

  @Query(() => [TicketFormDto])
  async ticketForms(
    @CurrentActor() actor: Actor,
    @Args('includeInactive', { nullable: true, defaultValue: false }) includeInactive: boolean,
  ): Promise<TicketFormDto[]> {
    return (await this.service.listForms(actor, includeInactive)).map(toTicketFormDto);
  }

  @Mutation(() => TicketFormDto, { description: 'Admins only.' })
  async createTicketForm(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateTicketFormInput,
  ): Promise<TicketFormDto> {
    return toTicketFormDto(await this.service.createForm(actor, input));
  }

  @Mutation(() => TicketFormDto, { description: 'Admins only.' })
  async updateTicketForm(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateTicketFormInput,
  ): Promise<TicketFormDto> {
    const { id, ...data } = input;
    return toTicketFormDto(await this.service.updateForm(actor, id, data));
  }

  @ResolveField(() => [TicketFieldDto], { description: 'The form’s fields in its order (inactive ones included).' })
  async fields(@Parent() form: ParentOf<TicketFormDto>): Promise<TicketFieldDto[]> {
    const byId = new Map((await this.service.fieldsByIds(form.fieldIds)).map((f) => [f.id, f]));
    return form.fieldIds.flatMap((id) => {
      const f = byId.get(id);
      return f ? [toTicketFieldDto(f)] : [];
    });
  }
}
