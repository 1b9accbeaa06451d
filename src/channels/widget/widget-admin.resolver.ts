import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { ValidationError } from '../../common/errors/domain-error';
import { BlockVisitorInput, BusinessHoursInput, ProactiveRuleInput, WidgetInput } from './dto/admin.inputs';
import { toBlockDto, toBusinessHoursDto, toRuleDto, toWidgetDto } from './dto/mappers';
import { BusinessHoursDto, ProactiveRuleDto, WidgetBlockDto, WidgetDto, WidgetWithSecretDto } from './dto/widget.dto';
import { RulesAndBlocksService } from './rules-blocks.service';
import { WidgetsService } from './widgets.service';

const uuid = new ParseUUIDPipe();
const optionalUuid = new ParseUUIDPipe({ optional: true });

/** Admin settings of widgets: appearance, hours, proactive rules; agents block visitors. */
@Resolver()
export class WidgetAdminResolver {
  constructor(
    private readonly widgetService: WidgetsService,
    private readonly rulesAndBlocks: RulesAndBlocksService,
  ) {}

  @Query(() => [WidgetDto])
  async widgets(@CurrentActor() actor: Actor): Promise<WidgetDto[]> {
    return (await this.widgetService.list(actor)).map((w) => toWidgetDto(w, this.widgetService.baseUrl));
  }

  @Query(() => WidgetDto)
  async widget(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string): Promise<WidgetDto> {
    return toWidgetDto(await this.widgetService.get(actor, id), this.widgetService.baseUrl);
  }

  @Mutation(() => WidgetWithSecretDto, { description: 'Admins: a new widget and its identity secret (shown once).' })
  async createWidget(@CurrentActor() actor: Actor, @Args('input') input: WidgetInput): Promise<WidgetWithSecretDto> {
    if (!input.name) throw new ValidationError('A widget needs a name.');
    const { widget, secret } = await this.widgetService.create(actor, { ...input, name: input.name });
    return { widget: toWidgetDto(widget, this.widgetService.baseUrl), identitySecret: secret };
  }

  @Mutation(() => WidgetDto)
  async updateWidget(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
    @Args('input') input: WidgetInput,
  ): Promise<WidgetDto> {
    return toWidgetDto(await this.widgetService.update(actor, id, input), this.widgetService.baseUrl);
  }

  @Mutation(() => WidgetWithSecretDto, {
    description: 'Admins: a new identity secret; JWTs signed with the old one stop working.',
  })
  async rotateWidgetSecret(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
  ): Promise<WidgetWithSecretDto> {
    const { widget, secret } = await this.widgetService.rotateSecret(actor, id);
    return { widget: toWidgetDto(widget, this.widgetService.baseUrl), identitySecret: secret };
  }

  @Mutation(() => Boolean)
  deleteWidget(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string): Promise<boolean> {
    return this.widgetService.delete(actor, id);
  }

  @Query(() => [BusinessHoursDto])
  async businessHours(@CurrentActor() actor: Actor): Promise<BusinessHoursDto[]> {
    return (await this.widgetService.listBusinessHours(actor)).map((h) =>
      toBusinessHoursDto(h, this.widgetService.scheduleState(h)),
    );
  }

  @Mutation(() => BusinessHoursDto, {
    description: 'Admins: creates business hours, or updates them when id is given.',
  })
  async saveBusinessHours(
    @CurrentActor() actor: Actor,
    @Args('input') input: BusinessHoursInput,
    @Args('id', { type: () => ID, nullable: true }, optionalUuid) id?: string,
  ): Promise<BusinessHoursDto> {
    const h = await this.widgetService.saveBusinessHours(actor, id ?? null, input);
    return toBusinessHoursDto(h, this.widgetService.scheduleState(h));
  }

  @Mutation(() => Boolean)
  deleteBusinessHours(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
  ): Promise<boolean> {
    return this.widgetService.deleteBusinessHours(actor, id);
  }

  @Query(() => [ProactiveRuleDto])
  async proactiveRules(
    @CurrentActor() actor: Actor,
    @Args('widgetId', { type: () => ID }, uuid) widgetId: string,
  ): Promise<ProactiveRuleDto[]> {
    return (await this.rulesAndBlocks.rules(actor, widgetId)).map(toRuleDto);
  }

  @Mutation(() => ProactiveRuleDto, { description: 'Admins: creates a rule on widgetId, or updates rule id.' })
  async saveProactiveRule(
    @CurrentActor() actor: Actor,
    @Args('input') input: ProactiveRuleInput,
    @Args('id', { type: () => ID, nullable: true }, optionalUuid) id?: string,
    @Args('widgetId', { type: () => ID, nullable: true }, optionalUuid) widgetId?: string,
  ): Promise<ProactiveRuleDto> {
    return toRuleDto(await this.rulesAndBlocks.saveRule(actor, id ?? null, widgetId ?? null, input));
  }

  @Mutation(() => Boolean)
  deleteProactiveRule(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
  ): Promise<boolean> {
    return this.rulesAndBlocks.deleteRule(actor, id);
  }

  @Query(() => [WidgetBlockDto])
  async widgetBlocks(
    @CurrentActor() actor: Actor,
    @Args('widgetId', { type: () => ID, nullable: true }, optionalUuid) widgetId?: string,
  ): Promise<WidgetBlockDto[]> {
    return (await this.rulesAndBlocks.blocks(actor, widgetId ?? null)).map(toBlockDto);
  }

  @Mutation(() => WidgetBlockDto, {
    description: 'Blocks a visitor id, email or IP; their messages are dropped silently.',
  })
  async blockVisitor(@CurrentActor() actor: Actor, @Args('input') input: BlockVisitorInput): Promise<WidgetBlockDto> {
    return toBlockDto(await this.rulesAndBlocks.block(actor, input));
  }

  @Mutation(() => Boolean)
  unblockVisitor(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string): Promise<boolean> {
    return this.rulesAndBlocks.unblock(actor, id);
  }
}
