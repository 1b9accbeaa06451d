import { Injectable } from '@nestjs/common';
import { logger } from '../../common/logging/logger';
import { RealtimeBus, type BusEvent } from '../../common/pubsub/realtime-bus';
import { AuthorKindEnum, ConversationStateEnum } from '../../conversations/dto/conversation.dto';
import type { ReceiptSide } from './entities';
import { ConversationSignalDto, ReceiptStateEnum, SignalTypeEnum } from './dto/visitor.dto';
import { eventStream } from '../../common/pubsub/event-stream';
import { WidgetMessagesMapper } from './widget-messages.mapper';

const log = logger('widget');

/** What a signal stream needs to know to describe a chat state or queue move. */
export type StateReader = () => Promise<{
  state: string;
  queuePosition: number | null;
  estimatedWaitSeconds: number | null;
} | null>;

/**
 * Ephemeral signals over the bus, never stored: typing (both ways), receipts, chat state and
 * queue moves. Like every bus event they carry ids only (`contact:1`, `agent:<id>:0`,
 * `contact:read:<message id>`); listeners turn them into ConversationSignal objects.
 */
@Injectable()
export class SignalsService {
  constructor(
    private readonly bus: RealtimeBus,
    private readonly mapper: WidgetMessagesMapper,
  ) {}

  private send(event: BusEvent): Promise<void> {
    return this.bus.publish(event).catch((err: Error) => log.warn({ err: err.message }, 'signal not published'));
  }

  typing(conversationId: string, who: { agentId: string } | 'contact', typing: boolean): Promise<void> {
    const id = who === 'contact' ? `contact:${typing ? 1 : 0}` : `agent:${who.agentId}:${typing ? 1 : 0}`;
    return this.send({ kind: 'typing', id, topics: [`conversation:${conversationId}`] });
  }

  /** `side` received or read every message of the other side up to `upTo`. */
  receipt(conversationId: string, side: ReceiptSide, read: boolean, upTo: number): Promise<void> {
    const id = `${side}:${read ? 'read' : 'delivered'}:${upTo}`;
    return this.send({ kind: 'receipt', id, topics: [`conversation:${conversationId}`] });
  }

  chatState(conversationId: string, widgetId: string): Promise<void> {
    return this.send({
      kind: 'chat',
      id: conversationId,
      topics: [`conversation:${conversationId}`, `widget-queue:${widgetId}`],
    });
  }

  queueMoved(widgetId: string): Promise<void> {
    return this.send({ kind: 'queue', id: widgetId, topics: [`widget-queue:${widgetId}`] });
  }

  /**
   * Signals of one conversation for one side: the other side's typing and receipts, state
   * changes, and (for a waiting chat) every queue move re-read as this chat's position.
   */
  stream(
    conversationId: string,
    widgetId: string,
    viewer: { side: ReceiptSide; agentId?: string | null },
    readState: StateReader,
  ): AsyncIterableIterator<ConversationSignalDto> {
    return eventStream<ConversationSignalDto>((push) => {
      const emitState = () => {
        void readState()
          .then((s) => s && push(signal(conversationId, { type: SignalTypeEnum.STATE, ...stateFields(s) })))
          .catch((err: Error) => log.warn({ err: err.message }, 'chat state read failed'));
      };
      const offConversation = this.bus.on(`conversation:${conversationId}`, (e) => {
        if (e.kind === 'chat') return emitState();
        if (e.kind === 'typing')
          return void this.typingSignal(conversationId, String(e.id), viewer).then((s) => s && push(s));
        if (e.kind === 'receipt') {
          const [side, state, upTo] = String(e.id).split(':');
          if (side === viewer.side) return;
          push(
            signal(conversationId, {
              type: SignalTypeEnum.RECEIPT,
              receipt: state === 'read' ? ReceiptStateEnum.read : ReceiptStateEnum.delivered,
              upTo,
            }),
          );
        }
      });
      const offQueue = this.bus.on(`widget-queue:${widgetId}`, (e) => e.kind === 'queue' && emitState());
      const offResync = this.bus.onResync(emitState);
      return () => {
        offConversation();
        offQueue();
        offResync();
      };
    });
  }

  private async typingSignal(
    conversationId: string,
    id: string,
    viewer: { side: ReceiptSide; agentId?: string | null },
  ): Promise<ConversationSignalDto | null> {
    const parts = id.split(':');
    const typing = parts[parts.length - 1] === '1';
    if (parts[0] === 'contact') {
      if (viewer.side === 'contact') return null;
      return signal(conversationId, { type: SignalTypeEnum.TYPING, authorKind: AuthorKindEnum.contact, typing });
    }
    const agentId = parts[1];
    if (viewer.side === 'agent' && viewer.agentId === agentId) return null;
    const agent = (await this.mapper.agentsById([agentId])).get(agentId) ?? null;
    return signal(conversationId, { type: SignalTypeEnum.TYPING, authorKind: AuthorKindEnum.agent, agent, typing });
  }
}

function stateFields(s: { state: string; queuePosition: number | null; estimatedWaitSeconds: number | null }) {
  return {
    state: s.state as ConversationStateEnum,
    queuePosition: s.queuePosition,
    estimatedWaitSeconds: s.estimatedWaitSeconds,
  };
}

function signal(conversationId: string, fields: Partial<ConversationSignalDto>): ConversationSignalDto {
  return Object.assign(new ConversationSignalDto(), {
    conversationId,
    authorKind: null,
    agent: null,
    typing: null,
    receipt: null,
    upTo: null,
    state: null,
    queuePosition: null,
    estimatedWaitSeconds: null,
    ...fields,
  });
}
