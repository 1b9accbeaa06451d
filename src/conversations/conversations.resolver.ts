import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, type GraphQLContext } from '../common/auth/current-actor.decorator';
import { ValidationError } from '../common/errors/domain-error';
import { byKeys, loader } from '../common/graphql/loaders';
import { ContactDto } from '../contacts/dto/contact.dto';
import { toContactDto } from '../contacts/dto/mappers';
import { ContactsService } from '../contacts/contacts.service';
import { toTicketDto } from '../tickets/dto/mappers';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { TicketsService } from '../tickets/tickets.service';
import { ConversationsService } from './conversations.service';
import { BodyFormatEnum, ConversationDto, MessageConnection } from './dto/conversation.dto';
import { OpenTicketPayload, ReceiveMessagePayload, ReplyPayload } from './dto/events.dto';
import { OpenTicketAuthorEnum, OpenTicketInput, ReceiveMessageInput, ReplyToTicketInput } from './dto/inputs';
import { toConversationDto, toMessageDto } from './dto/mappers';
import { TwoWayPageArgs } from './dto/page-args';
import { MessagesService } from './messages.service';
import { TicketRepliesService } from './ticket-replies.service';

@Resolver(() => ConversationDto)
export class ConversationsResolver {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly replies: TicketRepliesService,
    private readonly messageService: MessagesService,
    private readonly contacts: ContactsService,
    private readonly tickets: TicketsService,
  ) {}

  @Query(() => ConversationDto)
  async conversation(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<ConversationDto> {
    return toConversationDto(await this.conversations.get(actor, id));
  }

  @Mutation(() => OpenTicketPayload, {
    description: 'Creates a ticket with its conversation and first message, in one transaction.',
  })
  async openTicket(@CurrentActor() actor: Actor, @Args('input') input: OpenTicketInput): Promise<OpenTicketPayload> {
    const { change, written } = await this.replies.openTicket(actor, {
      ...input,
      author: input.author === OpenTicketAuthorEnum.AGENT ? 'agent' : 'requester',
    });
    return Object.assign(new OpenTicketPayload(), {
      ticket: toTicketDto(written.ticket ?? change.ticket),
      conversation: toConversationDto(written.conversation),
      message: toMessageDto(written.message, written.attachments),
    });
  }

  @Mutation(() => ReplyPayload, {
    description: 'Replies to the customer on a conversation of the ticket; optionally sets the status too.',
  })
  async replyToTicket(@CurrentActor() actor: Actor, @Args('input') input: ReplyToTicketInput): Promise<ReplyPayload> {
    const { written, ticket } = await this.replies.reply(actor, input);
    return Object.assign(new ReplyPayload(), {
      message: toMessageDto(written.message, written.attachments),
      ticket: toTicketDto(ticket),
    });
  }

  @Mutation(() => ReceiveMessagePayload, {
    description: "Records a customer's message on an `api` conversation (integrations). Idempotent by externalId.",
  })
  async receiveMessage(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReceiveMessageInput,
  ): Promise<ReceiveMessagePayload> {
    const conversation = await this.conversations.get(actor, input.conversationId);
    if (conversation.channelKind !== 'api') {
      throw new ValidationError('Only messages of api conversations can be posted; other channels deliver their own.');
    }
    const written = await this.messageService.receiveMessage(actor, {
      conversationId: conversation.id,
      externalId: input.externalId,
      ...(input.bodyFormat === BodyFormatEnum.HTML ? { html: input.body } : { text: input.body }),
      attachmentIds: input.attachmentIds,
    });
    return Object.assign(new ReceiveMessagePayload(), {
      message: toMessageDto(written.message, written.attachments),
      created: written.created,
    });
  }

  @ResolveField(() => MessageConnection, { description: 'Oldest first with first/after; newest with last/before.' })
  async messages(
    @Parent() c: ConversationDto,
    @CurrentActor() actor: Actor,
    @Args() args: TwoWayPageArgs,
    @Context() ctx: GraphQLContext,
  ): Promise<MessageConnection> {
    // one batch per distinct page arguments: a list of conversations costs a few queries in all
    const key = JSON.stringify([args.first, args.after, args.last, args.before]);
    return loader<string, MessageConnection>(ctx, `conversations.messages:${key}`, (ids) =>
      this.conversations.messagesOf(actor, ids, args),
    ).load(c.id);
  }

  @ResolveField(() => ContactDto)
  async contact(@Parent() c: ConversationDto, @Context() ctx: GraphQLContext): Promise<ContactDto> {
    return loader<string, ContactDto>(ctx, 'conversations.contact', async (ids) =>
      byKeys(ids, (await this.contacts.getMany(ids)).map(toContactDto), (x) => x.id),
    ).load(c.contactId);
  }

  @ResolveField(() => TicketDto, { nullable: true })
  async ticket(
    @Parent() c: ConversationDto,
    @CurrentActor() actor: Actor,
    @Context() ctx: GraphQLContext,
  ): Promise<TicketDto | null> {
    if (!c.ticketId) return null;
    return loader<string, TicketDto | null>(ctx, 'conversations.ticket', async (ids) =>
      byKeys(ids, (await this.tickets.getMany(actor, ids)).map(toTicketDto), (t) => t.id),
    ).load(c.ticketId);
  }
}
