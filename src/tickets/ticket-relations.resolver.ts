import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { actorFrom, CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { ValidationError } from '../common/errors/domain-error';
import { byKeys, loader } from '../common/graphql/loaders';
import { AgentDto } from '../identity/dto/agent.dto';
import { toAgentDto } from '../identity/dto/mappers';
import { AgentsService } from '../identity/agents.service';
import { toTicketDto, toTicketFormDto, toTicketLinkDto } from './dto/mappers';
import { TicketFormDto } from './dto/ticket-field.dto';
import {
  CreateFollowUpInput,
  MergeTicketsInput,
  MergeTicketsPayload,
  TicketLinkDto,
  TicketLinkKindEnum,
} from './dto/ticket-relations.dto';
import { TicketDto } from './dto/ticket.dto';
import { TicketFieldsService } from './ticket-fields.service';
import { TicketFollowersService } from './ticket-followers.service';
import { TicketMergeService } from './ticket-merge.service';
import { TicketTagsService } from './ticket-tags.service';
import { TicketsService } from './tickets.service';
import type { ParentOf } from './dto/parent';

/** Tags, followers, merge, links and follow-ups. */
@Resolver(() => TicketDto)
export class TicketRelationsResolver {
  constructor(
    private readonly tickets: TicketsService,
    private readonly tagService: TicketTagsService,
    private readonly followersService: TicketFollowersService,
    private readonly merges: TicketMergeService,
    private readonly fields: TicketFieldsService,
    private readonly agents: AgentsService,
  ) {}

  @Mutation(() => TicketDto, { description: 'Adds tags, keeping the others.' })
  async addTicketTags(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
    @Args('tags', { type: () => [String] }) tags: string[],
  ): Promise<TicketDto> {
    return toTicketDto(await this.tagService.add(actor, id, checkTags(tags)));
  }

  @Mutation(() => TicketDto, { description: 'Removes these tags, keeping the others.' })
  async removeTicketTags(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
    @Args('tags', { type: () => [String] }) tags: string[],
  ): Promise<TicketDto> {
    return toTicketDto(await this.tagService.remove(actor, id, checkTags(tags)));
  }

  @Mutation(() => TicketDto, { description: 'You follow the ticket.' })
  async followTicket(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string) {
    return toTicketDto(await this.followersService.follow(actor, id));
  }

  @Mutation(() => TicketDto, { description: 'You stop following the ticket.' })
  async unfollowTicket(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string) {
    return toTicketDto(await this.followersService.unfollow(actor, id));
  }

  @Mutation(() => TicketDto, { description: 'Adds an agent (who can see the ticket) as a follower.' })
  async addTicketFollower(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('agentId', { type: () => ID }, ParseUUIDPipe) agentId: string,
  ): Promise<TicketDto> {
    return toTicketDto(await this.followersService.add(actor, ticketId, agentId));
  }

  @Mutation(() => TicketDto)
  async removeTicketFollower(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('agentId', { type: () => ID }, ParseUUIDPipe) agentId: string,
  ): Promise<TicketDto> {
    return toTicketDto(await this.followersService.remove(actor, ticketId, agentId));
  }

  @Mutation(() => MergeTicketsPayload, {
    description: 'Merges tickets into a target: conversations, notes, tags and followers move; sources become merged.',
  })
  async mergeTickets(@CurrentActor() actor: Actor, @Args('input') input: MergeTicketsInput) {
    const r = await this.merges.merge(actor, input.sourceIds, input.targetId);
    return Object.assign(new MergeTicketsPayload(), {
      target: toTicketDto(r.target),
      sources: r.sources.map(toTicketDto),
      movedConversations: r.moved.conversations,
      movedMessages: r.moved.messages,
      movedNotes: r.moved.notes,
    });
  }

  @Mutation(() => TicketLinkDto, { description: 'Links two tickets; only `related` links are made here.' })
  async linkTickets(
    @CurrentActor() actor: Actor,
    @Args('sourceId', { type: () => ID }, ParseUUIDPipe) sourceId: string,
    @Args('targetId', { type: () => ID }, ParseUUIDPipe) targetId: string,
    @Args('kind', { type: () => TicketLinkKindEnum, defaultValue: TicketLinkKindEnum.related })
    kind: TicketLinkKindEnum,
  ): Promise<TicketLinkDto> {
    if (kind !== TicketLinkKindEnum.related) {
      throw new ValidationError('Follow-up links are made by createFollowUp.');
    }
    const link = await this.merges.link(actor, sourceId, targetId);
    const outgoing = link.sourceTicketId === sourceId;
    return toTicketLinkDto({
      link,
      direction: outgoing ? 'outgoing' : 'incoming',
      otherTicketId: outgoing ? link.targetTicketId : link.sourceTicketId,
    });
  }

  @Mutation(() => Boolean, { description: 'Removes a related link; false when there was none.' })
  async unlinkTickets(
    @CurrentActor() actor: Actor,
    @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('otherTicketId', { type: () => ID }, ParseUUIDPipe) otherTicketId: string,
  ): Promise<boolean> {
    return this.merges.unlink(actor, ticketId, otherTicketId);
  }

  @Mutation(() => TicketDto, { description: 'A new ticket for the requester of a closed ticket, linked to it.' })
  async createFollowUp(@CurrentActor() actor: Actor, @Args('input') input: CreateFollowUpInput): Promise<TicketDto> {
    const { ticket } = await this.tickets.createFollowUp(actor, input.ticketId, { subject: input.subject });
    return toTicketDto(ticket);
  }

  @ResolveField(() => [AgentDto], { description: 'Agents following the ticket.' })
  async followers(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<AgentDto[]> {
    actorFrom(ctx);
    const ids = await loader<string, string[]>(ctx, 'tickets:followers', async (ticketIds) => {
      const rows = await this.followersService.followersOf(ticketIds);
      return ticketIds.map((id) => rows.filter((r) => r.ticketId === id).map((r) => r.agentId));
    }).load(t.id);
    const agents = loader<string, AgentDto>(ctx, 'agent', async (agentIds) =>
      byKeys(agentIds, (await this.agents.agentsByIds([...agentIds])).map(toAgentDto), (a) => a.id),
    );
    return (await agents.loadMany(ids)).filter((a): a is AgentDto => !!a && !(a instanceof Error));
  }

  @ResolveField(() => [TicketLinkDto], { description: 'Follow-ups and related tickets, both directions.' })
  async links(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<TicketLinkDto[]> {
    const actor = actorFrom(ctx);
    const views = await loader<string, TicketLinkDto[]>(ctx, 'tickets:links', async (ticketIds) => {
      const byTicket = await this.merges.linksOf(actor, ticketIds);
      return ticketIds.map((id) => (byTicket.get(id) ?? []).map(toTicketLinkDto));
    }).load(t.id);
    return views;
  }

  @ResolveField(() => TicketFormDto, { nullable: true })
  async form(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<TicketFormDto | null> {
    if (!t.formId) return null;
    const actor = actorFrom(ctx);
    return loader<string, TicketFormDto | null>(ctx, 'tickets:forms', async (ids) =>
      byKeys(ids, (await this.fields.listForms(actor, true)).map(toTicketFormDto), (f) => f.id),
    ).load(t.formId);
  }
}

function checkTags(tags: string[]): string[] {
  if (tags.length > 50) throw new ValidationError('Give at most 50 tags at once.');
  return tags;
}

/** The other end of a link, when you can see it. */
@Resolver(() => TicketLinkDto)
export class TicketLinkResolver {
  constructor(private readonly tickets: TicketsService) {}

  @ResolveField(() => TicketDto, { nullable: true, description: 'Null when you cannot see the other ticket.' })
  async ticket(@Parent() l: ParentOf<TicketLinkDto>, @Context() ctx: GraphQLContext): Promise<TicketDto | null> {
    const actor = actorFrom(ctx);
    return loader<string, TicketDto | null>(ctx, 'tickets:byId', async (ids) =>
      byKeys(ids, (await this.tickets.getMany(actor, ids)).map(toTicketDto), (t) => t.id),
    ).load(l.ticketId);
  }
}
