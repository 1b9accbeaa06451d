import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { toTicketDto } from '../tickets/dto/mappers';
import { TicketSearchService } from '../tickets/ticket-search.service';
import { CannedResponsesService } from './canned-responses.service';
import {
  CannedResponseDto,
  ComposerModeEnum,
  CreateCannedResponseInput,
  CreateMacroInput,
  CreateSavedViewInput,
  MacroApplicationDto,
  MacroDto,
  RenderedTextDto,
  SavedViewDto,
  UpdateCannedResponseInput,
  UpdateMacroInput,
  UpdateSavedViewInput,
} from './dto/automation.dto';
import { toCannedResponseDto, toMacroDto, toSavedViewDto } from './dto/mappers';
import type { SavedViewFilters } from './entities';
import { MacrosService } from './macros.service';
import { SavedViewsService } from './saved-views.service';

const COUNT_CAP = 1000;

/** Macros: list, manage, apply. */
@Resolver(() => MacroDto)
export class MacrosResolver {
  constructor(private readonly service: MacrosService) {}

  @Query(() => [MacroDto], { description: 'Shared macros, then your own, in their order.' })
  async macros(
    @CurrentActor() actor: Actor,
    @Args('includeInactive', { nullable: true }) includeInactive?: boolean,
  ): Promise<MacroDto[]> {
    return (await this.service.list(actor, includeInactive ?? false)).map(toMacroDto);
  }

  @Mutation(() => MacroDto)
  async createMacro(@CurrentActor() actor: Actor, @Args('input') input: CreateMacroInput): Promise<MacroDto> {
    return toMacroDto(await this.service.create(actor, input));
  }

  @Mutation(() => MacroDto)
  async updateMacro(@CurrentActor() actor: Actor, @Args('input') input: UpdateMacroInput): Promise<MacroDto> {
    const { id, ...data } = input;
    return toMacroDto(await this.service.update(actor, id, data));
  }

  @Mutation(() => Boolean)
  async deleteMacro(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<boolean> {
    await this.service.delete(actor, id);
    return true;
  }

  @Mutation(() => [MacroDto], { description: 'Orders shared macros (administrators) or your own.' })
  async reorderMacros(
    @CurrentActor() actor: Actor,
    @Args('ids', { type: () => [ID] }) ids: string[],
  ): Promise<MacroDto[]> {
    return (await this.service.reorder(actor, ids)).map(toMacroDto);
  }

  @Mutation(() => MacroApplicationDto, {
    description: 'Applies the macro’s field actions to the ticket (audited) and returns the text to insert.',
  })
  async applyMacro(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('macroId', { type: () => ID }, ParseUUIDPipe) macroId: string,
  ): Promise<MacroApplicationDto> {
    const applied = await this.service.apply(actor, ticketId, macroId);
    return {
      ticket: toTicketDto(applied.ticket),
      text: applied.text,
      mode: applied.mode as ComposerModeEnum | null,
      unknownVariables: applied.unknownVariables,
    };
  }
}

/** Canned responses: list, render with a ticket's variables, manage. */
@Resolver(() => CannedResponseDto)
export class CannedResponsesResolver {
  constructor(private readonly canned: CannedResponsesService) {}

  @Query(() => [CannedResponseDto], { description: 'Yours, your groups’ and everyone’s; search by shortcut or title.' })
  async cannedResponses(
    @CurrentActor() actor: Actor,
    @Args('search', { nullable: true }) search?: string,
  ): Promise<CannedResponseDto[]> {
    return (await this.canned.list(actor, search?.slice(0, 100))).map(toCannedResponseDto);
  }

  @Query(() => RenderedTextDto, { description: 'The response with variables filled from the ticket and you.' })
  async renderCannedResponse(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
    @Args('ticketId', { type: () => ID, nullable: true }, new ParseUUIDPipe({ optional: true })) ticketId?: string,
  ): Promise<RenderedTextDto> {
    const { text, unknown } = await this.canned.render(actor, id, ticketId ?? null);
    return { text, unknownVariables: unknown };
  }

  @Mutation(() => CannedResponseDto)
  async createCannedResponse(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateCannedResponseInput,
  ): Promise<CannedResponseDto> {
    return toCannedResponseDto(await this.canned.create(actor, input));
  }

  @Mutation(() => CannedResponseDto)
  async updateCannedResponse(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateCannedResponseInput,
  ): Promise<CannedResponseDto> {
    const { id, ...data } = input;
    return toCannedResponseDto(await this.canned.update(actor, id, data));
  }

  @Mutation(() => Boolean)
  async deleteCannedResponse(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<boolean> {
    await this.canned.delete(actor, id);
    return true;
  }
}

/** Saved inbox views. */
@Resolver(() => SavedViewDto)
export class SavedViewsResolver {
  constructor(
    private readonly views: SavedViewsService,
    private readonly search: TicketSearchService,
  ) {}

  @Query(() => [SavedViewDto], { description: 'Shared views, then yours.' })
  async savedViews(@CurrentActor() actor: Actor): Promise<SavedViewDto[]> {
    return (await this.views.list(actor)).map(toSavedViewDto);
  }

  @ResolveField(() => Int, { description: 'Matching tickets you can see, counted up to 1000.' })
  async ticketCount(@CurrentActor() actor: Actor, @Parent() view: SavedViewDto): Promise<number> {
    const filter = this.views.filterOf(actor, {
      ...view,
      ownerAgentId: null,
      filters: view.filters as SavedViewFilters,
    });
    return (await this.search.countMany(actor, [filter], COUNT_CAP))[0];
  }

  @Mutation(() => SavedViewDto)
  async createSavedView(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateSavedViewInput,
  ): Promise<SavedViewDto> {
    return toSavedViewDto(await this.views.create(actor, { ...input, filters: input.filters as SavedViewFilters }));
  }

  @Mutation(() => SavedViewDto)
  async updateSavedView(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateSavedViewInput,
  ): Promise<SavedViewDto> {
    const { id, filters, ...rest } = input;
    return toSavedViewDto(
      await this.views.update(actor, id, { ...rest, ...(filters && { filters: filters as SavedViewFilters }) }),
    );
  }

  @Mutation(() => Boolean)
  async deleteSavedView(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<boolean> {
    await this.views.delete(actor, id);
    return true;
  }
}
