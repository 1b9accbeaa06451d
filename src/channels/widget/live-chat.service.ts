import { Injectable } from '@nestjs/common';
import { assertCanWrite, SYSTEM_ACTOR, type Actor } from '../../common/auth/actor';
import { DomainError, NotFoundError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { logger } from '../../common/logging/logger';
import { ConversationsService } from '../../conversations/conversations.service';
import type { Conversation } from '../../conversations/entities';
import { bodyFromInput, bodyFromInbound, isEmptyBody } from '../../conversations/message-body';
import { MessagesService, type WrittenMessage } from '../../conversations/messages.service';
import { AgentsService } from '../../identity/agents.service';
import { TicketsService } from '../../tickets/tickets.service';
import { ChatOffersRepository, type OfferChange } from './chat-offers.repository';
import { ChatRoutingService } from './chat-routing.service';
import { ChatsRepository } from './chats.repository';
import type { WidgetConversation } from './entities';
import { contentSummary, parseRichContent } from './rich-content';
import { SignalsService } from './signals.service';

export type EndedBy = 'agent' | 'visitor' | 'inactivity';

const log = logger('widget');

/** The agent side of widget conversations: accept, join, leave and end chats; replies with rich content. */
@Injectable()
export class LiveChatService {
  constructor(
    private readonly chats: ChatsRepository,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly tickets: TicketsService,
    private readonly agents: AgentsService,
    private readonly signals: SignalsService,
    private readonly offers: ChatOffersRepository,
    private readonly routing: ChatRoutingService,
  ) {}

  /** A widget conversation the agent may see (through its ticket). */
  async get(actor: Actor, conversationId: string): Promise<{ conversation: Conversation; wc: WidgetConversation }> {
    const conversation = await this.conversations.get(actor, conversationId);
    const wc = await this.chats.find(conversationId);
    if (!wc) throw new NotFoundError('Conversation', conversationId);
    return { conversation, wc };
  }

  /** Takes a waiting chat. Of two agents accepting at once, one wins; the other gets CHAT_ALREADY_ACCEPTED. */
  async accept(actor: Actor, conversationId: string): Promise<Conversation> {
    assertCanWrite(actor);
    const { conversation, wc } = await this.get(actor, conversationId);
    const agentId = this.agentOf(actor);
    let settled: OfferChange[] = [];
    const won = await this.chats.transaction(async (m) => {
      if (!(await this.conversations.transitionState(conversationId, ['waiting'], 'active', m))) return false;
      await this.chats.update(
        conversationId,
        { acceptedAt: new Date(), lastActivityAt: new Date(), transferGroupId: null },
        m,
      );
      await this.chats.join(conversationId, agentId, m);
      settled = await this.offers.settle(m, conversationId, agentId);
      return true;
    });
    if (!won) {
      const fresh = (await this.conversations.findUnchecked(conversationId)) as Conversation;
      if (fresh.state === 'active') {
        throw new DomainError(ErrorCode.CHAT_ALREADY_ACCEPTED, 'Another agent accepted this chat; join it instead.');
      }
      throw new DomainError(ErrorCode.CHAT_ENDED, `This chat is ${fresh.state}, not waiting.`);
    }
    if (conversation.ticketId) await this.assignIfUnassigned(actor, conversation.ticketId, agentId);
    await this.systemLine(conversationId, await this.joinedText(agentId));
    await this.signals.chatState(conversationId, wc.widgetId);
    await this.signals.queueMoved(wc.widgetId);
    await this.routing.notify([agentId, ...settled.map((o) => o.agentId)], 'chat', conversationId);
    return (await this.conversations.findUnchecked(conversationId)) as Conversation;
  }

  /** Joins a chat someone accepted already (several agents can be in one chat). */
  async join(actor: Actor, conversationId: string): Promise<Conversation> {
    assertCanWrite(actor);
    const { conversation, wc } = await this.get(actor, conversationId);
    if (conversation.state === 'waiting') return this.accept(actor, conversationId);
    if (conversation.state !== 'active') throw new DomainError(ErrorCode.CHAT_ENDED, 'This chat has ended.');
    const agentId = this.agentOf(actor);
    if (await this.chats.join(conversationId, agentId)) {
      await this.systemLine(conversationId, await this.joinedText(agentId));
      await this.signals.chatState(conversationId, wc.widgetId);
      await this.routing.notify([agentId], 'chat', conversationId);
    }
    return conversation;
  }

  async leave(actor: Actor, conversationId: string): Promise<Conversation> {
    const { conversation, wc } = await this.get(actor, conversationId);
    const agentId = this.agentOf(actor);
    if (await this.chats.leave(conversationId, agentId)) {
      const [agent] = await this.agents.agentsByIds([agentId]);
      await this.systemLine(conversationId, `${agent?.name ?? 'An agent'} left the chat`);
      await this.signals.chatState(conversationId, wc.widgetId);
      await this.routing.notify([agentId], 'chat', conversationId);
      await this.routing.dispatch();
    }
    return conversation;
  }

  async endByAgent(actor: Actor, conversationId: string): Promise<Conversation> {
    assertCanWrite(actor);
    await this.get(actor, conversationId);
    return this.end(conversationId, 'agent');
  }

  /** Ends a waiting or active live chat; the transcript stays on the ticket. False when it had ended. */
  async end(conversationId: string, by: EndedBy): Promise<Conversation> {
    const wc = await this.chats.find(conversationId);
    if (!wc) throw new NotFoundError('Conversation', conversationId);
    const agents = await this.offers.agentsOf(conversationId);
    const ended = await this.chats.transaction(async (m) => {
      if (!(await this.conversations.transitionState(conversationId, ['waiting', 'active'], 'ended', m))) return false;
      await this.chats.update(conversationId, { endedAt: new Date(), endedBy: by }, m);
      return true;
    });
    if (ended) {
      const line = by === 'inactivity' ? 'The chat ended after a period of inactivity' : 'The chat has ended';
      await this.systemLine(conversationId, line);
      await this.signals.chatState(conversationId, wc.widgetId);
      await this.signals.queueMoved(wc.widgetId);
      await this.routing.notify(agents, 'chat', conversationId);
      // the agents' capacity freed up: the next waiting chat can be offered
      await this.routing.dispatch();
      log.info({ conversationId, by }, 'chat ended');
    }
    return (await this.conversations.findUnchecked(conversationId)) as Conversation;
  }

  /** An agent's (or a bot token's) message with optional rich content. */
  async reply(
    actor: Actor,
    input: { conversationId: string; body: string; content?: Record<string, unknown>; attachmentIds?: string[] },
  ): Promise<WrittenMessage> {
    assertCanWrite(actor);
    const { conversation } = await this.get(actor, input.conversationId);
    if (conversation.state === 'ended' || conversation.state === 'closed') {
      throw new DomainError(ErrorCode.CHAT_ENDED, 'This chat has ended; reply on the ticket by email instead.');
    }
    const content = input.content ? parseRichContent(input.content, 'agent') : null;
    let body = bodyFromInput(input.body, 'TEXT');
    if (isEmptyBody(body) && content) body = bodyFromInbound({ text: contentSummary(content) });
    if (isEmptyBody(body) && !input.attachmentIds?.length) throw new ValidationError('The message is empty.');
    return this.messages.write(actor, {
      conversationId: conversation.id,
      authorKind: 'agent',
      authorAgentId: actor.agentId,
      body,
      attachmentIds: input.attachmentIds,
      content: content,
    });
  }

  async typing(actor: Actor, conversationId: string, typing: boolean): Promise<boolean> {
    await this.get(actor, conversationId);
    await this.signals.typing(conversationId, { agentId: this.agentOf(actor) }, typing);
    return true;
  }

  /** The team saw the visitor's messages up to `upTo`: the visitor sees them as read. */
  async markRead(actor: Actor, conversationId: string, upTo: number): Promise<boolean> {
    await this.get(actor, conversationId);
    if ((await this.chats.markReceipts(conversationId, 'agent', upTo, true)) !== null) {
      await this.signals.receipt(conversationId, 'agent', true, upTo);
    }
    return true;
  }

  async list(actor: Actor, states: string[], widgetId: string | null): Promise<Conversation[]> {
    const rows = await this.chats.chats(states, widgetId, 200);
    const out: Conversation[] = [];
    for (const r of rows) {
      const c = await this.conversations.findUnchecked(r.conversationId);
      if (c && (await this.conversations.canSee(actor, c))) out.push(c);
    }
    return out;
  }

  private agentOf(actor: Actor): string {
    if (!actor.agentId) throw new ValidationError('Only agents take part in chats.');
    return actor.agentId;
  }

  private async joinedText(agentId: string): Promise<string> {
    const [agent] = await this.agents.agentsByIds([agentId]);
    return `${agent?.name ?? 'An agent'} joined the chat`;
  }

  private async assignIfUnassigned(actor: Actor, ticketId: string, agentId: string): Promise<void> {
    const ticket = await this.tickets.get(SYSTEM_ACTOR, ticketId);
    if (ticket.assigneeId || ticket.status === 'closed' || ticket.status === 'merged') return;
    await this.tickets
      .update(actor, ticketId, { assigneeId: agentId, ...(ticket.status === 'new' ? { status: 'open' } : {}) })
      .catch((err: Error) => log.warn({ err: err.message, ticketId }, 'could not assign the accepted chat'));
  }

  private async systemLine(conversationId: string, text: string): Promise<void> {
    await this.messages.write(SYSTEM_ACTOR, {
      conversationId,
      authorKind: 'system',
      body: bodyFromInbound({ text }),
    });
  }
}
