import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../../common/auth/actor';
import { CurrentActor } from '../../../common/auth/current-actor.decorator';
import { ReplyPayload } from '../../../conversations/dto/events.dto';
import { toMessageDto } from '../../../conversations/dto/mappers';
import { toTicketDto } from '../../../tickets/dto/mappers';
import { SendEmailInput } from '../dto/send-email.input';
import { EmailConversationsService } from './email-conversations.service';

@Resolver()
export class EmailConversationsResolver {
  constructor(private readonly emails: EmailConversationsService) {}

  @Mutation(() => ReplyPayload, {
    description:
      'Sends a new email from a ticket to a contact (the requester by default), as a new email conversation on ' +
      'the ticket. Later replies on that conversation go out by email too.',
  })
  async sendEmail(@CurrentActor() actor: Actor, @Args('input') input: SendEmailInput): Promise<ReplyPayload> {
    const { written, ticket } = await this.emails.send(actor, input);
    return Object.assign(new ReplyPayload(), {
      message: toMessageDto(written.message, written.attachments),
      ticket: toTicketDto(ticket),
    });
  }
}
