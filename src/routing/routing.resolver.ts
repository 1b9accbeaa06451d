import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { AGENT_PRESENCE_TOPIC } from '../common/auth/connections';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import { eventStream } from '../common/pubsub/event-stream';
import { CapacityService } from './capacity.service';
import { AgentPresenceDto, toAgentPresenceDto } from './dto/presence.dto';

const uuid = new ParseUUIDPipe();
const passThrough = <T>(payload: T): T => payload;

/** Agent presence, chat capacity and load. */
@Resolver(() => AgentPresenceDto)
export class RoutingResolver {
  constructor(
    private readonly capacity: CapacityService,
    private readonly bus: RealtimeBus,
  ) {}

  @Query(() => [AgentPresenceDto], {
    description: 'Status as routing sees it, capacity and load of active agents (all, or the ones asked for).',
  })
  async agentPresence(
    @CurrentActor() actor: Actor,
    @Args('agentIds', { type: () => [ID], nullable: true }) agentIds?: string[],
  ): Promise<AgentPresenceDto[]> {
    for (const id of agentIds ?? []) await uuid.transform(id, { type: 'query' });
    return (await this.capacity.loads(actor, agentIds ?? null)).map(toAgentPresenceDto);
  }

  @Query(() => Int, { description: 'Chat capacity of agents without their own setting.' })
  defaultChatCapacity(@CurrentActor() actor: Actor): Promise<number> {
    return this.capacity.defaultCapacity(actor);
  }

  @Mutation(() => Int, { description: 'Admins: the chat capacity of agents without their own setting (1–50).' })
  setDefaultChatCapacity(@CurrentActor() actor: Actor, @Args('capacity', { type: () => Int }) n: number) {
    return this.capacity.setDefaultCapacity(actor, n);
  }

  @Mutation(() => AgentPresenceDto, { description: 'Admins: an agent’s chat capacity (1–50); null uses the default.' })
  async setAgentChatCapacity(
    @CurrentActor() actor: Actor,
    @Args('agentId', { type: () => ID }, uuid) agentId: string,
    @Args('capacity', { type: () => Int, nullable: true }) n: number | null,
  ): Promise<AgentPresenceDto> {
    return toAgentPresenceDto(await this.capacity.setAgentCapacity(actor, agentId, n ?? null));
  }

  @Subscription(() => AgentPresenceDto, {
    resolve: passThrough,
    description: 'An agent’s status, connection or load changed.',
  })
  agentPresenceChanged(@CurrentActor() actor: Actor): AsyncIterableIterator<AgentPresenceDto> {
    return eventStream<AgentPresenceDto>((push) =>
      this.bus.on(AGENT_PRESENCE_TOPIC, (e) => {
        void this.capacity
          .loadOf(actor, String(e.id))
          .then((l) => l && push(toAgentPresenceDto(l)))
          .catch(() => undefined);
      }),
    );
  }
}
