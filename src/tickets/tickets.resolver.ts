import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { actorFrom, CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { byKeys, loader } from '../common/graphql/loaders';
import { ContactDto } from '../contacts/dto/contact.dto';
import { ContactsService } from '../contacts/contacts.service';
import { AgentDto, GroupDto } from '../identity/dto/agent.dto';
import { toAgentDto, toGroupDto } from '../identity/dto/mappers';
import { AgentsService } from '../identity/agents.service';
import { AuditEventDto, CreateTicketInput, TicketDto, UpdateTicketInput } from './dto/ticket.dto';
import { toAuditEventDto, toTicketDto } from './dto/mappers';
import { requesterLoader } from './ticket-loaders';
import { TicketsService } from './tickets.service';
import type { ParentOf } from './dto/parent';

@Resolver(() => TicketDto)
export class TicketsResolver {
  constructor(
    private readonly tickets: TicketsService,
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
  ) {}

  @Query(() => TicketDto)
  async ticket(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<TicketDto> {
    return toTicketDto(await this.tickets.get(actor, id));
  }

  @Query(() => TicketDto)
  async ticketByNumber(
    @CurrentActor() actor: Actor,
    @Args('number', { type: () => Int }) number: number,
  ): Promise<TicketDto> {
    return toTicketDto(await this.tickets.getByNumber(actor, number));
  }

  @Mutation(() => TicketDto)
  async createTicket(@CurrentActor() actor: Actor, @Args('input') input: CreateTicketInput): Promise<TicketDto> {
    const { ticket } = await this.tickets.create(actor, input);
    return toTicketDto(ticket);
  }

  @Mutation(() => TicketDto, { description: 'Changes ticket properties; each change is audited.' })
  async updateTicket(@CurrentActor() actor: Actor, @Args('input') input: UpdateTicketInput): Promise<TicketDto> {
    const { id, ...data } = input;
    const { ticket } = await this.tickets.update(actor, id, data);
    return toTicketDto(ticket);
  }

  @ResolveField(() => ContactDto)
  async requester(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<ContactDto> {
    return requesterLoader(ctx, this.contacts).load(t.requesterId);
  }

  @ResolveField(() => AgentDto, { nullable: true })
  async assignee(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<AgentDto | null> {
    if (!t.assigneeId) return null;
    return loader<string, AgentDto>(ctx, 'agent', async (ids) =>
      byKeys(ids, (await this.agents.agentsByIds([...ids])).map(toAgentDto), (a) => a.id),
    ).load(t.assigneeId);
  }

  @ResolveField(() => GroupDto, { nullable: true })
  async group(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<GroupDto | null> {
    if (!t.groupId) return null;
    return loader<string, GroupDto | null>(ctx, 'group', async (ids) =>
      byKeys(ids, (await this.agents.groupsByIds(ids)).map(toGroupDto), (g) => g.id),
    ).load(t.groupId);
  }

  @ResolveField(() => [AuditEventDto], { description: 'Every change to the ticket, oldest first.' })
  async auditEvents(@Parent() t: ParentOf<TicketDto>, @Context() ctx: GraphQLContext): Promise<AuditEventDto[]> {
    actorFrom(ctx);
    return loader<string, AuditEventDto[]>(ctx, 'tickets:auditEvents', async (ids) => {
      const byTicket = await this.tickets.auditEventsOf(ids);
      return ids.map((id) => (byTicket.get(id) ?? []).map(toAuditEventDto));
    }).load(t.id);
  }
}
