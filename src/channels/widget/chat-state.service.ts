import { Injectable } from '@nestjs/common';
import { ConversationsService } from '../../conversations/conversations.service';
import type { ConversationModeEnum, ConversationStateEnum } from '../../conversations/dto/conversation.dto';
import { ChatsRepository } from './chats.repository';
import { WidgetConversationDto } from './dto/visitor.dto';
import { WidgetMessagesMapper } from './widget-messages.mapper';

/** Used when a widget has no history yet: a minute per chat ahead. */
const DEFAULT_WAIT_SECONDS = 60;

/** A widget conversation as the visitor sees it: state, place in the queue, agents, last message. */
@Injectable()
export class ChatStateService {
  constructor(
    private readonly chats: ChatsRepository,
    private readonly conversations: ConversationsService,
    private readonly mapper: WidgetMessagesMapper,
  ) {}

  async read(conversationId: string) {
    const [conversation, wc] = await Promise.all([
      this.conversations.findUnchecked(conversationId),
      this.chats.find(conversationId),
    ]);
    if (!conversation || !wc) return null;
    let queuePosition: number | null = null;
    let estimatedWaitSeconds: number | null = null;
    if (conversation.state === 'waiting' && wc.queuedAt) {
      queuePosition = await this.chats.queuePosition(wc.widgetId, wc.queuedAt);
      const average = (await this.chats.averageWaitSeconds(wc.widgetId)) ?? DEFAULT_WAIT_SECONDS;
      estimatedWaitSeconds = Math.max(30, Math.round(average * queuePosition));
    }
    return { conversation, wc, state: conversation.state, queuePosition, estimatedWaitSeconds };
  }

  async dto(conversationId: string): Promise<WidgetConversationDto | null> {
    const s = await this.read(conversationId);
    if (!s) return null;
    const [participants, last] = await Promise.all([
      this.chats.participants(conversationId),
      this.conversations.messagePageUnchecked(conversationId, undefined, 1),
    ]);
    const active = participants.filter((p) => !p.leftAt).map((p) => p.agentId);
    const agents = await this.mapper.agentsById(active);
    const [lastMessage] = await this.mapper.toDtos(last.slice(0, 1));
    return Object.assign(new WidgetConversationDto(), {
      id: s.conversation.id,
      mode: s.conversation.mode as ConversationModeEnum,
      state: s.conversation.state as ConversationStateEnum,
      offline: s.wc.offline,
      queuePosition: s.queuePosition,
      estimatedWaitSeconds: s.estimatedWaitSeconds,
      agents: active.map((id) => agents.get(id)).filter((a) => !!a),
      lastMessage: lastMessage ?? null,
      createdAt: s.conversation.createdAt,
      lastMessageAt: s.conversation.lastMessageAt,
    });
  }
}
