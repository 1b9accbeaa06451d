import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AgentStatusEnum } from '../../identity/dto/agent.dto';
import type { AgentLoad } from '../capacity.service';

@ObjectType('AgentPresence', { description: 'An agent’s status as routing sees it, and their load per channel.' })
export class AgentPresenceDto {
  @Field(() => ID) agentId: string;
  @Field(() => AgentStatusEnum, { description: 'The status the agent chose.' }) status: AgentStatusEnum;
  @Field(() => AgentStatusEnum, {
    description: 'What routing acts on: the chosen status while connected (plus a grace period), offline otherwise.',
  })
  effectiveStatus: AgentStatusEnum;
  @Field({ description: 'Has a workspace page or GraphQL subscription open (within the grace period).' })
  connected: boolean;
  @Field(() => Int, { description: 'Live chats in progress.' }) chats: number;
  @Field(() => Int, { description: 'Chat offers waiting for an answer (they count against capacity).' })
  chatOffers: number;
  @Field(() => Int, { description: 'Unsolved tickets assigned to the agent.' }) tickets: number;
  @Field(() => Int, { description: 'Most live chats at once (own setting or the workspace default).' })
  chatCapacity: number;
  @Field(() => Int, { nullable: true, description: 'The agent’s own capacity; null uses the default.' })
  ownChatCapacity: number | null;
  @Field({ description: 'Gets new chat offers now.' }) acceptsChats: boolean;
  @Field({ description: 'Can be given chats by transfer now.' }) acceptsTransfers: boolean;
}

export function toAgentPresenceDto(l: AgentLoad): AgentPresenceDto {
  return Object.assign(new AgentPresenceDto(), {
    agentId: l.agentId,
    status: l.status as AgentStatusEnum,
    effectiveStatus: l.effectiveStatus as AgentStatusEnum,
    connected: l.present,
    chats: l.chats,
    chatOffers: l.offers,
    tickets: l.tickets,
    chatCapacity: l.capacity,
    ownChatCapacity: l.ownCapacity,
    acceptsChats: l.acceptsChats,
    acceptsTransfers: l.acceptsTransfers,
  });
}
