import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { AgentDto } from '../identity/dto/agent.dto';
import { AgentsService } from '../identity/agents.service';
import { NoteDto } from './dto/conversation.dto';
import { AddNoteInput } from './dto/inputs';
import { toNoteDto } from './dto/mappers';
import { agentLoader } from './message-fields.resolver';
import { NotesService } from './notes.service';

@Resolver(() => NoteDto)
export class NotesResolver {
  constructor(
    private readonly notes: NotesService,
    private readonly agents: AgentsService,
  ) {}

  @Mutation(() => NoteDto, { description: 'Adds an internal note (agents only) to a ticket.' })
  async addNote(@CurrentActor() actor: Actor, @Args('input') input: AddNoteInput): Promise<NoteDto> {
    const { note, attachments } = await this.notes.addNote(actor, input);
    return toNoteDto(note, attachments);
  }

  @ResolveField(() => AgentDto, { nullable: true })
  async author(@Parent() n: NoteDto, @Context() ctx: GraphQLContext): Promise<AgentDto | null> {
    return n.authorAgentId ? agentLoader(ctx, this.agents).load(n.authorAgentId) : null;
  }

  @ResolveField(() => [AgentDto], { description: 'The mentioned agents.' })
  async mentions(@Parent() n: NoteDto, @Context() ctx: GraphQLContext): Promise<AgentDto[]> {
    const found = await agentLoader(ctx, this.agents).loadMany(n.mentionIds);
    return found.filter((a): a is AgentDto => !!a && !(a instanceof Error));
  }
}
