import { Injectable } from '@nestjs/common';
import { assertCanWrite, SYSTEM_ACTOR, type Actor } from '../../common/auth/actor';
import { DomainError, NotFoundError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { ConversationsService } from '../../conversations/conversations.service';
import type { Conversation } from '../../conversations/entities';
import { bodyFromInbound } from '../../conversations/message-body';
import { MessagesService } from '../../conversations/messages.service';
import { NotesService } from '../../conversations/notes.service';
import { AgentsService } from '../../identity/agents.service';
import { CapacityService } from '../../routing/capacity.service';
import { canSeeTicket } from '../../tickets/ticket-access';
import { TicketsService } from '../../tickets/tickets.service';
import { ChatOffersRepository } from './chat-offers.repository';
import { ChatRoutingService } from './chat-routing.service';
import { ChatsRepository } from './chats.repository';
import { SignalsService } from './signals.service';

/** Where a chat goes. Skills join this union when routing by skill lands. */
export type TransferTarget = { kind: 'agent'; agentId: string } | { kind: 'group'; groupId: string };

const MAX_NOTE = 2000;

/**
 * Hands a live chat on with an internal note. To an agent: only one who is present with status
 * online or transfer-only, below capacity and able to see the ticket; they join, the ticket is
 * assigned to them, the transferring agent leaves. To a group: the ticket moves to the group,
 * the chat waits again and is offered to the group's agents (transfer-only ones included).
 * The note lands on the ticket; a system line in the chat records the move.
 */
@Injectable()
export class ChatTransferService {
  constructor(
    private readonly chats: ChatsRepository,
    private readonly offers: ChatOffersRepository,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly notes: NotesService,
    private readonly tickets: TicketsService,
    private readonly agents: AgentsService,
    private readonly capacity: CapacityService,
    private readonly routing: ChatRoutingService,
    private readonly signals: SignalsService,
  ) {}

  async transfer(actor: Actor, conversationId: string, target: TransferTarget, note: string): Promise<Conversation> {
    assertCanWrite(actor);
    if (!actor.agentId) throw new ValidationError('Only agents transfer chats.');
    const conversation = await this.conversations.get(actor, conversationId);
    const wc = await this.chats.find(conversationId);
    if (!wc || !conversation.ticketId) throw new NotFoundError('Conversation', conversationId);
    if (conversation.state !== 'active')
      throw new DomainError(ErrorCode.CHAT_ENDED, 'Only an active chat can be transferred.');
    const text = note.trim();
    if (text.length > MAX_NOTE) throw new ValidationError(`The note can be at most ${MAX_NOTE} characters.`);
    const [me] = await this.agents.agentsByIds([actor.agentId]);
    const ticketId = conversation.ticketId;

    if (target.kind === 'agent') {
      if (target.agentId === actor.agentId) throw new ValidationError('You are already in this chat.');
      const to = await this.assertCanTake(actor, target.agentId, ticketId);
      if (text) await this.addNote(actor, ticketId, text);
      await this.tickets.update(actor, ticketId, { assigneeId: to.id });
      await this.chats.transaction(async (m) => {
        await this.chats.join(conversationId, to.id, m);
        await this.offers.setTransfer(conversationId, null, text || null, m);
      });
      await this.chats.leave(conversationId, actor.agentId);
      await this.systemLine(conversationId, `${me?.name ?? 'An agent'} transferred the chat to ${to.name}`);
      await this.routing.notify([to.id, actor.agentId], 'chat', conversationId);
    } else {
      const group = await this.agents.getGroup(target.groupId);
      if (text) await this.addNote(actor, ticketId, text);
      await this.tickets.update(actor, ticketId, { groupId: group.id, assigneeId: null });
      const moved = await this.chats.transaction(async (m) => {
        if (!(await this.conversations.transitionState(conversationId, ['active'], 'waiting', m))) return false;
        await this.offers.setTransfer(conversationId, group.id, text || null, m);
        return true;
      });
      if (!moved) throw new DomainError(ErrorCode.CHAT_ENDED, 'The chat ended meanwhile.');
      for (const p of await this.chats.participants(conversationId)) {
        if (!p.leftAt) await this.chats.leave(conversationId, p.agentId);
      }
      await this.systemLine(conversationId, `${me?.name ?? 'An agent'} transferred the chat to ${group.name}`);
      await this.routing.notify([actor.agentId], 'chat', conversationId);
      await this.signals.queueMoved(wc.widgetId);
      await this.routing.dispatch();
    }
    await this.signals.chatState(conversationId, wc.widgetId);
    return (await this.conversations.findUnchecked(conversationId)) as Conversation;
  }

  /** The target must be present (online or transfer-only), below capacity, and able to see the ticket. */
  private async assertCanTake(actor: Actor, agentId: string, ticketId: string) {
    const [agent] = await this.agents.agentsByIds([agentId]);
    if (!agent?.isActive || agent.role === 'viewer') throw new NotFoundError('Agent', agentId);
    const load = await this.capacity.loadOf(actor, agentId);
    if (!load?.acceptsTransfers) {
      const why =
        load && load.effectiveStatus !== 'online' && load.effectiveStatus !== 'transfer_only'
          ? 'is not available for chats'
          : 'has no room for another chat';
      throw new ValidationError(`${agent.name} ${why}; pick someone else or a group.`, { agentId });
    }
    const ticket = await this.tickets.get(SYSTEM_ACTOR, ticketId);
    const asActor = await this.agents.readerActor(agent);
    // they will be assigned, which lets `assigned` agents see it; `groups` agents need the group
    if (!canSeeTicket(asActor, { ...ticket, assigneeId: null }) && agent.ticketAccess !== 'assigned') {
      throw new ValidationError(`${agent.name} cannot see ticket #${ticket.number}, so they cannot take this chat.`, {
        agentId,
      });
    }
    return agent;
  }

  private async addNote(actor: Actor, ticketId: string, text: string): Promise<void> {
    await this.notes.addNote(actor, { ticketId, body: text, bodyFormat: 'TEXT' });
  }

  private async systemLine(conversationId: string, text: string): Promise<void> {
    await this.messages.write(SYSTEM_ACTOR, { conversationId, authorKind: 'system', body: bodyFromInbound({ text }) });
  }
}
