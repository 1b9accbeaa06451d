import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ParseUUIDPipe } from '@nestjs/common';
import { assertCanRead, type Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { loader } from '../common/graphql/loaders';
import { AgentsService } from './agents.service';
import {
  AgentDto,
  CreateGroupInput,
  GroupDto,
  InvitationDto,
  InviteAgentInput,
  UpdateAgentInput,
  UpdateGroupInput,
} from './dto/agent.dto';
import { toAgentDto, toGroupDto, toInvitationDto } from './dto/mappers';

@Resolver(() => AgentDto)
export class AgentsResolver {
  constructor(private readonly agents: AgentsService) {}

  private async list(actor: Actor, includeInactive: boolean): Promise<AgentDto[]> {
    assertCanRead(actor);
    return (await this.agents.list(actor, includeInactive)).map(toAgentDto);
  }

  @Query(() => [AgentDto], { name: 'agents', description: 'Agents; admins may include deactivated ones.' })
  async agentList(
    @CurrentActor() actor: Actor,
    @Args('includeInactive', { nullable: true, defaultValue: false }) includeInactive: boolean,
  ): Promise<AgentDto[]> {
    return this.list(actor, includeInactive);
  }

  @Query(() => AgentDto)
  async agent(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<AgentDto> {
    assertCanRead(actor);
    return toAgentDto(await this.agents.get(actor, id));
  }

  @ResolveField(() => [GroupDto])
  async groups(@Parent() agent: AgentDto, @Context() ctx: GraphQLContext): Promise<GroupDto[]> {
    const groups = await loader<string, GroupDto[]>(ctx, 'agentGroups', async (ids) => {
      const map = await this.agents.groupsByAgent([...ids]);
      return ids.map((id) => (map.get(id) ?? []).map(toGroupDto));
    }).load(agent.id);
    return groups;
  }

  @Mutation(() => InvitationDto, { description: 'Mails an invitation link valid for 7 days.' })
  async inviteAgent(@CurrentActor() actor: Actor, @Args('input') input: InviteAgentInput): Promise<InvitationDto> {
    return toInvitationDto((await this.agents.invite(actor, input)).invitation);
  }

  @Query(() => [InvitationDto])
  async invitations(@CurrentActor() actor: Actor): Promise<InvitationDto[]> {
    return (await this.agents.listInvitations(actor)).map(toInvitationDto);
  }

  @Mutation(() => AgentDto)
  async updateAgent(@CurrentActor() actor: Actor, @Args('input') input: UpdateAgentInput): Promise<AgentDto> {
    return toAgentDto(await this.agents.update(actor, input));
  }

  @Mutation(() => AgentDto, { description: 'Signs the agent out everywhere and revokes their API tokens at once.' })
  async deactivateAgent(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<AgentDto> {
    return toAgentDto(await this.agents.deactivate(actor, id));
  }

  @Mutation(() => AgentDto)
  async reactivateAgent(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<AgentDto> {
    return toAgentDto(await this.agents.reactivate(actor, id));
  }
}

@Resolver(() => GroupDto)
export class GroupsResolver {
  constructor(private readonly agents: AgentsService) {}

  @Query(() => [GroupDto])
  async groups(@CurrentActor() actor: Actor): Promise<GroupDto[]> {
    assertCanRead(actor);
    return (await this.agents.listGroups()).map(toGroupDto);
  }

  @Query(() => GroupDto)
  async group(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<GroupDto> {
    assertCanRead(actor);
    return toGroupDto(await this.agents.getGroup(id));
  }

  @ResolveField(() => [AgentDto])
  async members(@Parent() group: GroupDto): Promise<AgentDto[]> {
    return (await this.agents.membersOfGroup(group.id)).map(toAgentDto);
  }

  @Mutation(() => GroupDto)
  async createGroup(@CurrentActor() actor: Actor, @Args('input') input: CreateGroupInput): Promise<GroupDto> {
    return toGroupDto(await this.agents.createGroup(actor, input));
  }

  @Mutation(() => GroupDto)
  async updateGroup(@CurrentActor() actor: Actor, @Args('input') input: UpdateGroupInput): Promise<GroupDto> {
    return toGroupDto(await this.agents.updateGroup(actor, input));
  }

  @Mutation(() => Boolean)
  async deleteGroup(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<boolean> {
    await this.agents.deleteGroup(actor, id);
    return true;
  }

  @Mutation(() => GroupDto)
  async addGroupMember(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }, ParseUUIDPipe) groupId: string,
    @Args('agentId', { type: () => ID }, ParseUUIDPipe) agentId: string,
  ): Promise<GroupDto> {
    return toGroupDto(await this.agents.setMembership(actor, groupId, agentId, true));
  }

  @Mutation(() => GroupDto)
  async removeGroupMember(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }, ParseUUIDPipe) groupId: string,
    @Args('agentId', { type: () => ID }, ParseUUIDPipe) agentId: string,
  ): Promise<GroupDto> {
    return toGroupDto(await this.agents.setMembership(actor, groupId, agentId, false));
  }
}
