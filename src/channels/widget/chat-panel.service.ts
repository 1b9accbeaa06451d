import { Injectable } from '@nestjs/common';
import { assertCanRead, type Actor } from '../../common/auth/actor';
import { ValidationError } from '../../common/errors/domain-error';
import { ConversationsService } from '../../conversations/conversations.service';
import type { Conversation } from '../../conversations/entities';
import { ChatOffersRepository } from './chat-offers.repository';
import type { TransferTarget } from './chat-transfer.service';
import { LiveChatService } from './live-chat.service';

export interface PanelChat {
  conversation: Conversation;
  offered: boolean;
  unread: number;
  transferNote: string | null;
  transferred: boolean;
  /** Waiting in the queue without an offer to this agent (everyone passed, or nobody had room). */
  queued: boolean;
}

/** An agent's chat panel: offers waiting for them, the live chats they are in, and the rest of the queue. */
@Injectable()
export class ChatPanelService {
  constructor(
    private readonly offers: ChatOffersRepository,
    private readonly conversations: ConversationsService,
    private readonly chats: LiveChatService,
  ) {}

  async list(actor: Actor): Promise<PanelChat[]> {
    assertCanRead(actor);
    if (!actor.agentId) return [];
    const rows = await this.offers.panel(actor.agentId);
    const out: PanelChat[] = [];
    for (const r of rows) {
      const conversation = await this.conversations.findUnchecked(r.conversationId);
      if (!conversation) continue;
      out.push({
        conversation,
        offered: r.offered,
        unread: r.unread,
        transferNote: r.transferNote,
        transferred: !!r.transferGroupId,
        queued: false,
      });
    }
    const mine = new Set(out.map((c) => c.conversation.id));
    for (const conversation of await this.chats.list(actor, ['waiting'], null)) {
      if (mine.has(conversation.id)) continue;
      out.push({ conversation, offered: false, unread: 0, transferNote: null, transferred: false, queued: true });
    }
    return out;
  }
}

/** Exactly one of agent or group. */
export function transferTarget(input: { toAgentId?: string | null; toGroupId?: string | null }): TransferTarget {
  if (!!input.toAgentId === !!input.toGroupId) throw new ValidationError('Transfer to one agent or one group.');
  return input.toAgentId ? { kind: 'agent', agentId: input.toAgentId } : { kind: 'group', groupId: input.toGroupId! };
}
