import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import type { VisitorPrincipal } from '../../common/auth/visitor';
import { NotFoundError } from '../../common/errors/domain-error';
import { RealtimeBus } from '../../common/pubsub/realtime-bus';
import { resumableStream } from '../../common/pubsub/resumable-stream';
import { ConversationsService } from '../../conversations/conversations.service';
import { parseCursor } from '../../conversations/realtime/message-streams.service';
import { ChatStateService } from './chat-state.service';
import { ConversationSignalDto, WidgetMessageEventDto } from './dto/visitor.dto';
import { eventStream } from '../../common/pubsub/event-stream';
import { LiveChatService } from './live-chat.service';
import { SignalsService } from './signals.service';
import { VisitorConversationsService } from './visitor-conversations.service';
import { WidgetMessagesMapper } from './widget-messages.mapper';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Live streams of the widget: a visitor's messages (resumable by cursor) and signals both ways. */
@Injectable()
export class WidgetStreamsService {
  constructor(
    private readonly bus: RealtimeBus,
    private readonly conversations: ConversationsService,
    private readonly visitorConversations: VisitorConversationsService,
    private readonly liveChat: LiveChatService,
    private readonly mapper: WidgetMessagesMapper,
    private readonly signals: SignalsService,
    private readonly state: ChatStateService,
  ) {}

  /**
   * A blocked visitor's conversations were never stored: its streams stay silent instead of
   * answering CONVERSATION_NOT_FOUND, so nothing tells it about the block.
   */
  private async ownedOrSilent(v: VisitorPrincipal, conversationId: string): Promise<boolean> {
    if (!UUID.test(conversationId)) throw new NotFoundError('Conversation', conversationId);
    try {
      await this.visitorConversations.owned(v, conversationId);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError && (await this.visitorConversations.isBlocked(v))) return false;
      throw err;
    }
  }

  async visitorMessages(v: VisitorPrincipal, conversationId: string, after?: string) {
    const cursor = parseCursor(after);
    if (!(await this.ownedOrSilent(v, conversationId)))
      return eventStream<WidgetMessageEventDto>(() => () => undefined);
    return resumableStream<WidgetMessageEventDto>(this.bus, {
      topic: `conversation:${conversationId}`,
      kind: 'message',
      after: cursor,
      head: async () => (await this.conversations.messagePageUnchecked(conversationId, undefined, 1))[0]?.id ?? 0,
      fetchAfter: async (from, limit) => {
        const rows = await this.conversations.messagesAfterUnchecked(conversationId, from, limit);
        const dtos = await this.mapper.toDtos(rows);
        return dtos.map((message) => Object.assign(new WidgetMessageEventDto(), { cursor: message.id, message }));
      },
      idOf: (e) => Number(e.cursor),
    });
  }

  async visitorSignals(v: VisitorPrincipal, conversationId: string) {
    if (!(await this.ownedOrSilent(v, conversationId)))
      return eventStream<ConversationSignalDto>(() => () => undefined);
    return this.signals.stream(conversationId, v.widgetId, { side: 'contact' }, () => this.state.read(conversationId));
  }

  async agentSignals(actor: Actor, conversationId: string) {
    if (!UUID.test(conversationId)) throw new NotFoundError('Conversation', conversationId);
    const { wc } = await this.liveChat.get(actor, conversationId);
    return this.signals.stream(conversationId, wc.widgetId, { side: 'agent', agentId: actor.agentId }, () =>
      this.state.read(conversationId),
    );
  }
}
