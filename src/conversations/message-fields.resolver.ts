import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../common/auth/current-actor.decorator';
import { byKeys, loader } from '../common/graphql/loaders';
import { ContactDto } from '../contacts/dto/contact.dto';
import { toContactDto } from '../contacts/dto/mappers';
import { ContactsService } from '../contacts/contacts.service';
import { AgentDto } from '../identity/dto/agent.dto';
import { toAgentDto } from '../identity/dto/mappers';
import { AgentsService } from '../identity/agents.service';
import { MessageDto } from './dto/conversation.dto';

export function agentLoader(ctx: GraphQLContext, agents: AgentsService) {
  return loader<string, AgentDto | null>(ctx, 'conversations.agent', async (ids) =>
    byKeys(ids, (await agents.agentsByIds([...ids])).map(toAgentDto), (a) => a.id),
  );
}

@Resolver(() => MessageDto)
export class MessageFieldsResolver {
  constructor(
    private readonly agents: AgentsService,
    private readonly contacts: ContactsService,
  ) {}

  @ResolveField(() => AgentDto, { nullable: true, description: 'The agent who wrote it (agent messages).' })
  async authorAgent(@Parent() m: MessageDto, @Context() ctx: GraphQLContext): Promise<AgentDto | null> {
    return m.authorAgentId ? agentLoader(ctx, this.agents).load(m.authorAgentId) : null;
  }

  @ResolveField(() => ContactDto, { nullable: true, description: 'The customer who wrote it (contact messages).' })
  async authorContact(@Parent() m: MessageDto, @Context() ctx: GraphQLContext): Promise<ContactDto | null> {
    if (!m.authorContactId) return null;
    return loader<string, ContactDto | null>(ctx, 'conversations.contact', async (ids) =>
      byKeys(ids, (await this.contacts.getMany(ids)).map(toContactDto), (c) => c.id),
    ).load(m.authorContactId);
  }
}
