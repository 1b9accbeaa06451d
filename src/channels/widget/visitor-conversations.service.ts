import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../common/auth/actor';
import type { VisitorPrincipal } from '../../common/auth/visitor';
import { DomainError, NotFoundError, RateLimitedError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { ConversationsService } from '../../conversations/conversations.service';
import { AuthorKindEnum } from '../../conversations/dto/conversation.dto';
import type { Conversation } from '../../conversations/entities';
import { bodyFromInbound } from '../../conversations/message-body';
import { MessagesService, type WrittenMessage } from '../../conversations/messages.service';
import { retryOnDeadlock } from '../../conversations/transactions';
import { TicketsService, type TicketChange } from '../../tickets/tickets.service';
import { ChatsRepository } from './chats.repository';
import { WidgetMessageDto } from './dto/visitor.dto';
import type { Widget, WidgetConversation, WidgetVisitor } from './entities';
import { SlidingWindow } from './rate-limits';
import { contentSummary, parseRichContent, type RichContent } from './rich-content';
import { validatePreChatAnswers, type PreChatAnswer } from './prechat';
import { RulesAndBlocksService, normalizeIp } from './rules-blocks.service';
import { SignalsService } from './signals.service';
import { VisitorsRepository } from './visitors.repository';
import { ChatRoutingService } from './chat-routing.service';
import { VisitorsService } from './visitors.service';
import { WidgetMessagesMapper } from './widget-messages.mapper';
import { WidgetsService } from './widgets.service';

export interface VisitorMessage {
  conversationId?: string;
  body: string;
  clientId: string;
  attachmentIds?: string[];
  content?: Record<string, unknown>;
  /** Starting a conversation: answers to the widget's custom pre-chat fields, by key. */
  preChatAnswers?: Record<string, unknown>;
}

export interface OwnedConversation {
  conversation: Conversation;
  wc: WidgetConversation;
  visitor: WidgetVisitor;
}

/** A visitor's conversations: starting one, writing, history. Every call checks ownership. */
@Injectable()
export class VisitorConversationsService {
  private readonly perVisitor = new SlidingWindow(20, 10_000);
  private readonly perIp = new SlidingWindow(60, 10_000);
  private readonly typingPerVisitor = new SlidingWindow(30, 10_000);

  constructor(
    private readonly visitors: VisitorsService,
    private readonly visitorsRepo: VisitorsRepository,
    private readonly widgets: WidgetsService,
    private readonly blocks: RulesAndBlocksService,
    private readonly chats: ChatsRepository,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly tickets: TicketsService,
    private readonly mapper: WidgetMessagesMapper,
    private readonly signals: SignalsService,
    private readonly routing: ChatRoutingService,
  ) {}

  /**
   * The conversation if it belongs to this visitor's contact on this widget; CONVERSATION_NOT_FOUND
   * otherwise, exactly as for an id that does not exist.
   */
  async owned(principal: VisitorPrincipal, conversationId: string): Promise<OwnedConversation> {
    const visitor = await this.visitors.get(principal);
    const [conversation, wc] = await Promise.all([
      this.conversations.findUnchecked(conversationId),
      this.chats.find(conversationId),
    ]);
    if (!conversation || !wc || wc.widgetId !== principal.widgetId || conversation.contactId !== visitor.contactId) {
      throw new NotFoundError('Conversation', conversationId);
    }
    return { conversation, wc, visitor };
  }

  async isBlocked(principal: VisitorPrincipal): Promise<boolean> {
    return this.blocks.isBlocked(await this.visitors.get(principal), principal.ip);
  }

  /** Messaging: every conversation of the contact; live chat: only chats not ended (a new visit starts afresh). */
  async list(principal: VisitorPrincipal, widget: Widget): Promise<string[]> {
    const visitor = await this.visitors.get(principal);
    const rows = await this.chats.ofContact(widget.id, visitor.contactId, widget.mode === 'live_chat');
    return rows.map((r) => r.conversationId);
  }

  /** Up to `limit` messages before a message id (newest page first when omitted), oldest first. */
  async history(principal: VisitorPrincipal, conversationId: string, before: number | undefined, limit: number) {
    await this.owned(principal, conversationId);
    const rows = await this.conversations.messagePageUnchecked(conversationId, before, limit);
    const page = rows.slice(0, limit).reverse();
    return { messages: await this.mapper.toDtos(page), hasOlder: rows.length > limit };
  }

  /** Sends a message, starting a conversation when none is given. Idempotent by `clientId`. */
  async send(principal: VisitorPrincipal, input: VisitorMessage): Promise<WidgetMessageDto> {
    const wait = this.perVisitor.hit(principal.visitorId) || this.perIp.hit(normalizeIp(principal.ip ?? 'unknown'));
    if (wait) throw new RateLimitedError(wait);
    const content = input.content ? parseRichContent(input.content, 'visitor') : null;
    const text = input.body.replace(/\r\n?/g, '\n').trim();
    if (!text && !input.attachmentIds?.length && !content) throw new ValidationError('The message is empty.');
    const visitor = await this.visitors.get(principal);
    const widget = await this.widgets.getActive(principal.widgetId);
    if (widget.requireIdentified && !visitor.identifiedAt) {
      throw new DomainError(ErrorCode.IDENTIFICATION_REQUIRED, 'Sign in to the website to chat with us.');
    }
    if (input.conversationId && input.preChatAnswers) {
      throw new ValidationError('Pre-chat answers are sent only when a conversation starts.', {
        field: 'preChatAnswers',
      });
    }
    const answers = input.conversationId ? [] : validatePreChatAnswers(widget.preChatFields, input.preChatAnswers);
    // a blocked visitor sees its message as sent; nothing is stored and nobody is told
    if (await this.blocks.isBlocked(visitor, principal.ip)) return shadowMessage(input, text);
    const externalId = `v:${visitor.id}:${input.clientId}`;
    const body = bodyFromInbound({ text: text || (content ? contentSummary(content) : '') });
    const written = input.conversationId
      ? await this.continueConversation(principal, input.conversationId, { externalId, body, content, input })
      : await this.startConversation(visitor, widget, { externalId, body, content, input }, answers);
    const [dto] = await this.mapper.toDtos([written.message]);
    return dto;
  }

  private async continueConversation(
    principal: VisitorPrincipal,
    conversationId: string,
    m: { externalId: string; body: { html: string; text: string }; content: RichContent | null; input: VisitorMessage },
  ): Promise<WrittenMessage> {
    const { conversation, visitor } = await this.owned(principal, conversationId);
    if (conversation.mode === 'live_chat' && (conversation.state === 'ended' || conversation.state === 'closed')) {
      throw new DomainError(ErrorCode.CHAT_ENDED, 'This chat has ended. Start a new conversation.');
    }
    const attachmentIds = await this.visitorsRepo.takeUploads(m.input.attachmentIds ?? [], visitor.id);
    assertAllTaken(m.input.attachmentIds ?? [], attachmentIds);
    return this.messages.write(SYSTEM_ACTOR, {
      conversationId,
      authorKind: 'contact',
      body: m.body,
      externalId: m.externalId,
      attachmentIds,
      content: m.content,
    });
  }

  private async startConversation(
    visitor: WidgetVisitor,
    widget: Widget,
    m: { externalId: string; body: { html: string; text: string }; content: RichContent | null; input: VisitorMessage },
    prechatAnswers: PreChatAnswer[],
  ): Promise<WrittenMessage> {
    const availability = await this.widgets.availability(
      widget,
      visitor.locale === 'ko' ? 'ko' : 'en',
      visitor.timezone,
    );
    const queued = widget.mode === 'live_chat' && availability.online;
    const subject = m.body.text.split('\n')[0].slice(0, 120) || (visitor.locale === 'ko' ? '채팅' : 'Chat');
    const { change, written } = await retryOnDeadlock(() =>
      this.chats.transaction(async (tx) => {
        const attachmentIds = await this.visitorsRepo.takeUploads(m.input.attachmentIds ?? [], visitor.id, tx);
        assertAllTaken(m.input.attachmentIds ?? [], attachmentIds);
        const change: TicketChange = await this.tickets.create(
          SYSTEM_ACTOR,
          { subject, requester: { contactId: visitor.contactId }, channel: 'widget', groupId: widget.groupId },
          tx,
        );
        const conversation = await this.conversations.create(
          SYSTEM_ACTOR,
          {
            ticketId: change.ticket.id,
            contactId: visitor.contactId,
            channelKind: 'widget',
            channelId: widget.id,
            mode: widget.mode,
            subject,
          },
          tx,
        );
        if (queued) await this.conversations.transitionState(conversation.id, ['open'], 'waiting', tx);
        await this.chats.insert(
          {
            conversationId: conversation.id,
            widgetId: widget.id,
            visitorId: visitor.id,
            offline: !availability.online,
            queuedAt: queued ? new Date() : null,
            prechatAnswers,
          },
          tx,
        );
        const written = await this.messages.write(
          SYSTEM_ACTOR,
          {
            conversationId: conversation.id,
            authorKind: 'contact',
            body: m.body,
            externalId: m.externalId,
            attachmentIds,
            content: m.content,
          },
          tx,
        );
        return { change, written };
      }),
    );
    await this.tickets.publishChange(change);
    await this.messages.publish(written);
    if (queued) {
      await this.signals.queueMoved(widget.id);
      await this.routing.dispatch();
    }
    return written;
  }

  async typing(principal: VisitorPrincipal, conversationId: string, typing: boolean): Promise<boolean> {
    await this.owned(principal, conversationId);
    if (this.typingPerVisitor.hit(principal.visitorId) || (await this.isBlocked(principal))) return true;
    await this.signals.typing(conversationId, 'contact', typing);
    return true;
  }

  /** The visitor received (and, with `read`, saw) every agent message up to `upTo`. */
  async ack(principal: VisitorPrincipal, conversationId: string, upTo: number, read: boolean): Promise<boolean> {
    await this.owned(principal, conversationId);
    const changed = await this.chats.markReceipts(conversationId, 'contact', upTo, read);
    if (changed === null) return true;
    await this.messages.markOutboundUpTo(conversationId, upTo, read ? 'read' : 'delivered');
    await this.signals.receipt(conversationId, 'contact', read, upTo);
    return true;
  }

  newConversationId(): string {
    return randomUUID();
  }
}

function assertAllTaken(asked: string[], taken: string[]): void {
  const missing = asked.find((id) => !taken.includes(id));
  if (missing) throw new NotFoundError('Attachment', missing);
}

function shadowMessage(input: VisitorMessage, text: string): WidgetMessageDto {
  const body = bodyFromInbound({ text });
  return Object.assign(new WidgetMessageDto(), {
    id: '0',
    conversationId: input.conversationId ?? randomUUID(),
    authorKind: AuthorKindEnum.contact,
    agent: null,
    bodyHtml: body.html,
    bodyText: body.text,
    content: null,
    attachments: [],
    delivered: false,
    read: false,
    createdAt: new Date(),
  });
}
