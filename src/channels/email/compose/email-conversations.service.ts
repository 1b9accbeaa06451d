import { Injectable } from '@nestjs/common';
import { assertCanWrite, type Actor } from '../../../common/auth/actor';
import { NotFoundError, ValidationError } from '../../../common/errors/domain-error';
import { ContactsService, type ContactReference } from '../../../contacts/contacts.service';
import { normalizeIdentity } from '../../../contacts/identity-values';
import { ConversationsService } from '../../../conversations/conversations.service';
import { bodyFromInput, isEmptyBody, type BodyFormat } from '../../../conversations/message-body';
import type { WrittenMessage } from '../../../conversations/messages.service';
import { TicketRepliesService } from '../../../conversations/ticket-replies.service';
import type { Ticket } from '../../../tickets/entities';
import { TicketsService } from '../../../tickets/tickets.service';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { headerSafe } from '../outbound/headers';
import { OutboundMailService } from '../outbound/outbound-mail.service';

export interface SendEmailData {
  ticketId: string;
  to?: ContactReference;
  cc?: string[];
  mailboxId?: string;
  subject?: string;
  body: string;
  bodyFormat: BodyFormat;
  attachmentIds?: string[];
}

/**
 * A new email conversation started by an agent on any ticket, e.g. to continue a chat by email:
 * the first message goes out like every agent reply (queued, tracked, threaded).
 */
@Injectable()
export class EmailConversationsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly contacts: ContactsService,
    private readonly conversations: ConversationsService,
    private readonly replies: TicketRepliesService,
    private readonly mailboxes: MailboxesService,
    private readonly outbound: OutboundMailService,
  ) {}

  async send(actor: Actor, data: SendEmailData): Promise<{ written: WrittenMessage; ticket: Ticket }> {
    assertCanWrite(actor);
    const ticket = await this.tickets.get(actor, data.ticketId);
    if (ticket.status === 'closed' || ticket.status === 'merged') {
      throw new ValidationError(`Ticket #${ticket.number} is ${ticket.status} and takes no more replies.`);
    }
    const body = bodyFromInput(data.body, data.bodyFormat);
    if (isEmptyBody(body) && !data.attachmentIds?.length) throw new ValidationError('The message is empty.');
    const mailbox = data.mailboxId ? await this.mailboxes.get(actor, data.mailboxId) : await this.mailboxes.fallback();
    if (!mailbox?.isActive) {
      if (data.mailboxId) throw new NotFoundError('Mailbox', data.mailboxId);
      throw new ValidationError('There is no mailbox to send from yet: an admin has to add one.', {
        reason: 'no_mailbox',
      });
    }
    const contact = await this.contacts.resolve(data.to ?? { contactId: ticket.requesterId });
    if (!(await this.outbound.emailOf(contact.id))) {
      throw new ValidationError(`${contact.name || 'This contact'} has no email address; add one first.`, {
        reason: 'no_address',
      });
    }
    const cc = (data.cc ?? []).map((a) => normalizeIdentity('email', a));
    const conversation = await this.conversations.create(actor, {
      ticketId: ticket.id,
      contactId: contact.id,
      channelKind: 'email',
      channelId: mailbox.id,
      subject: headerSafe(data.subject ?? ticket.subject),
    });
    this.outbound.withCc(conversation.id, cc);
    return this.replies.reply(actor, {
      ticketId: ticket.id,
      conversationId: conversation.id,
      body: data.body,
      bodyFormat: data.bodyFormat,
      attachmentIds: data.attachmentIds,
    });
  }
}
