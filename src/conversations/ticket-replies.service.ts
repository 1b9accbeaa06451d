import { Injectable } from '@nestjs/common';
import { assertCanWrite, type Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import type { ContactReference } from '../contacts/contacts.service';
import type { Ticket, TicketPriority, TicketStatus, TicketType } from '../tickets/entities';
import { assertTransition } from '../tickets/status';
import { TicketsService, type TicketChange } from '../tickets/tickets.service';
import { ConversationsRepository } from './conversations.repository';
import { CHANNEL_KINDS, type ChannelKind, type Conversation } from './entities';
import { bodyFromInput, isEmptyBody, type BodyFormat, type MessageBody } from './message-body';
import { MessagesService, type WrittenMessage } from './messages.service';
import { retryOnDeadlock } from './transactions';

export interface OpenTicketData {
  subject: string;
  requester: ContactReference;
  body: string;
  bodyFormat: BodyFormat;
  /** Who wrote the first message: the requester (default) or the acting agent. */
  author: 'requester' | 'agent';
  channel: ChannelKind;
  priority?: TicketPriority;
  type?: TicketType;
  tags?: string[];
  groupId?: string;
  assigneeId?: string;
  attachmentIds?: string[];
}

export interface ReplyData {
  ticketId: string;
  conversationId?: string;
  body: string;
  bodyFormat: BodyFormat;
  attachmentIds?: string[];
  setStatus?: TicketStatus;
}

function bodyOf(body: string, format: BodyFormat, attachmentIds: string[] | undefined): MessageBody {
  const parsed = bodyFromInput(body, format);
  if (isEmptyBody(parsed) && !attachmentIds?.length) throw new ValidationError('The message is empty.');
  return parsed;
}

/** Tickets seen through their messages: opening one with a first message, replying on it. */
@Injectable()
export class TicketRepliesService {
  constructor(
    private readonly repo: ConversationsRepository,
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
  ) {}

  /** Ticket, conversation and first message in one transaction; events after the commit. */
  async openTicket(actor: Actor, data: OpenTicketData): Promise<{ change: TicketChange; written: WrittenMessage }> {
    assertCanWrite(actor);
    const body = bodyOf(data.body, data.bodyFormat, data.attachmentIds);
    const result = await retryOnDeadlock(() =>
      this.repo.transaction(async (m) => {
        const change = await this.tickets.create(
          actor,
          {
            subject: data.subject,
            requester: data.requester,
            priority: data.priority,
            type: data.type,
            tags: data.tags,
            groupId: data.groupId,
            assigneeId: data.assigneeId,
            channel: data.channel,
          },
          m,
        );
        const conversation = await this.repo.insertConversation(
          {
            ticketId: change.ticket.id,
            contactId: change.ticket.requesterId,
            channelKind: data.channel,
            subject: change.ticket.subject,
          },
          m,
        );
        const written = await this.messages.write(
          actor,
          {
            conversationId: conversation.id,
            authorKind: data.author === 'agent' ? 'agent' : 'contact',
            body,
            attachmentIds: data.attachmentIds,
          },
          m,
        );
        return { change, written };
      }),
    );
    await this.tickets.publishChange(result.change);
    await this.messages.publish(result.written);
    return result;
  }

  /**
   * An agent's reply on one of the ticket's conversations (by default the one with the latest
   * message), then the status change if asked for. A new ticket becomes open on the first reply.
   */
  async reply(actor: Actor, data: ReplyData): Promise<{ written: WrittenMessage; ticket: Ticket }> {
    assertCanWrite(actor);
    const ticket = await this.tickets.get(actor, data.ticketId);
    if (ticket.status === 'closed' || ticket.status === 'merged') {
      throw new ValidationError(`Ticket #${ticket.number} is ${ticket.status} and takes no more replies.`);
    }
    const status = data.setStatus ?? (ticket.status === 'new' ? 'open' : undefined);
    if (status) assertTransition(ticket.status, status);
    const body = bodyOf(data.body, data.bodyFormat, data.attachmentIds);
    const conversation = await this.conversationFor(ticket, data.conversationId);
    // one transaction: a refused status change (required fields, a transition) sends nothing,
    // so the agent can fix it and send again without the customer getting the reply twice
    const { written, change } = await retryOnDeadlock(() =>
      this.repo.transaction(async (m) => {
        const written = await this.messages.write(
          actor,
          {
            conversationId: conversation.id,
            authorKind: 'agent',
            authorAgentId: actor.agentId,
            body,
            attachmentIds: data.attachmentIds,
          },
          m,
        );
        const current = written.ticket ?? ticket;
        const change =
          status && status !== current.status ? await this.tickets.update(actor, current.id, { status }, m) : null;
        return { written, change };
      }),
    );
    await this.messages.publish(written);
    if (change) await this.tickets.publishChange(change);
    return { written, ticket: change?.ticket ?? written.ticket ?? ticket };
  }

  private async conversationFor(ticket: Ticket, conversationId?: string): Promise<Conversation> {
    if (conversationId) {
      const c = await this.repo.findConversation(conversationId);
      if (!c || c.ticketId !== ticket.id) throw new NotFoundError('Conversation', conversationId);
      return c;
    }
    const latest = await this.repo.latestConversationOfTicket(ticket.id);
    if (latest) return latest;
    // a ticket created without a message: its first reply opens a conversation with the requester
    return this.repo.transaction(async (m) => {
      await this.repo.lockTicketRow(ticket.id, m);
      const raced = await this.repo.latestConversationOfTicket(ticket.id, m);
      if (raced) return raced;
      const channel = (CHANNEL_KINDS as readonly string[]).includes(ticket.channel)
        ? (ticket.channel as ChannelKind)
        : 'api';
      return this.repo.insertConversation(
        { ticketId: ticket.id, contactId: ticket.requesterId, channelKind: channel, subject: ticket.subject },
        m,
      );
    });
  }
}
