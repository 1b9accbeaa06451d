import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AGENT_PRESENCE_TOPIC } from '../../common/auth/connections';
import { ValidationError } from '../../common/errors/domain-error';
import { logger } from '../../common/logging/logger';
import { RealtimeBus } from '../../common/pubsub/realtime-bus';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { MessagesService, type WrittenMessage } from '../../conversations/messages.service';
import { PresenceService } from '../../routing/presence.service';
import { RoutingRepository } from '../../routing/routing.repository';
import { ChatOffersRepository, type OfferChange } from './chat-offers.repository';

const log = logger('widget');

/** Bus topic of one agent's chat panel: offers made or withdrawn, chats changed, new messages. */
export const agentChatsTopic = (agentId: string) => `agent-chats:${agentId}`;

export type ChatEventKind = 'offer' | 'chat' | 'message';

/**
 * Offers waiting live chats to agents, one agent per chat at a time: the present agent with
 * status `online` (or `transfer_only` for chats transferred to a group) below their capacity
 * with the lightest load, in the chat's group. A declined offer goes to the next agent; with
 * nobody left the chat stays in the queue until someone frees up, comes online, or accepts it
 * from the queue. Dispatch runs under one transaction-scoped advisory lock, so two processes
 * never offer the same chat twice or push an agent over capacity.
 */
@Injectable()
export class ChatRoutingService implements OnModuleInit, OnModuleDestroy {
  private stop?: () => void;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly offers: ChatOffersRepository,
    private readonly routing: RoutingRepository,
    private readonly presence: PresenceService,
    private readonly messages: MessagesService,
    private readonly bus: RealtimeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // someone came online, went away, or their load changed: offers may move
    this.stop = this.bus.on(AGENT_PRESENCE_TOPIC, () => void this.dispatch());
    this.messages.onWritten((w) => void this.messageWritten(w));
    // unanswered offers move on: checked a few times per timeout period
    const every = Math.max(1000, Math.floor((this.config.chatOfferTimeoutSeconds * 1000) / 4));
    this.timer = setInterval(() => void this.dispatch(), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.stop?.();
    clearInterval(this.timer);
  }

  /** Re-offers waiting chats; concurrent calls coalesce into one more run. Never throws. */
  dispatch(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.dispatchOnce().catch((err: Error) => log.warn({ err: err.message }, 'chat dispatch failed'));
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private async dispatchOnce(): Promise<void> {
    const grace = this.presence.graceSeconds;
    const { withdrawn, made } = await this.routing.transaction(async (m) => {
      await this.routing.lock(m);
      const withdrawn = [
        ...(await this.offers.withdrawStale(m, grace)),
        ...(await this.offers.expire(m, this.config.chatOfferTimeoutSeconds)),
      ];
      const made: OfferChange[] = [];
      for (const chat of await this.offers.unoffered(m, 100)) {
        const agentId = await this.routing.pickAgent(m, {
          statuses: chat.transfer ? ['online', 'transfer_only'] : ['online'],
          groupId: chat.groupId,
          exclude: await this.offers.declinedBy(m, chat.conversationId),
          graceSeconds: grace,
        });
        if (!agentId) continue;
        await this.offers.offer(m, chat.conversationId, agentId);
        made.push({ conversationId: chat.conversationId, agentId });
      }
      return { withdrawn, made };
    });
    for (const o of [...withdrawn, ...made]) await this.notify([o.agentId], 'offer', o.conversationId);
  }

  /** The agent passes on an offered chat: it goes to the next agent, or back to the queue. */
  async decline(actor: Actor, conversationId: string): Promise<boolean> {
    if (!actor.agentId || !(await this.offers.decline(conversationId, actor.agentId))) {
      throw new ValidationError('No offer of this chat is waiting for you.');
    }
    await this.notify([actor.agentId], 'offer', conversationId);
    await this.dispatch();
    return true;
  }

  /** Tells agents' chat panels (and, for load changes, everyone's presence views). */
  async notify(agentIds: string[], kind: ChatEventKind, conversationId: string, loadChanged = kind !== 'message') {
    for (const agentId of new Set(agentIds)) {
      await this.publish({ kind: `chat-${kind}`, id: conversationId, topics: [agentChatsTopic(agentId)] });
      if (loadChanged) await this.publish({ kind: AGENT_PRESENCE_TOPIC, id: agentId, topics: [AGENT_PRESENCE_TOPIC] });
    }
  }

  /** Everyone in or offered the chat hears about a state change. */
  async chatChanged(conversationId: string, extraAgents: string[] = []): Promise<void> {
    await this.notify([...(await this.offers.agentsOf(conversationId)), ...extraAgents], 'chat', conversationId);
  }

  private async messageWritten(w: WrittenMessage): Promise<void> {
    if (w.conversation.channelKind !== 'widget' || w.conversation.mode !== 'live_chat') return;
    try {
      const agents = await this.offers.agentsOf(w.conversation.id);
      for (const agentId of agents) {
        await this.publish({
          kind: `chat-message:${w.message.authorKind}`,
          id: w.conversation.id,
          topics: [agentChatsTopic(agentId)],
        });
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'chat message not announced');
    }
  }

  private publish(e: { kind: string; id: string; topics: string[] }): Promise<void> {
    return this.bus.publish(e).catch((err: Error) => log.warn({ err: err.message }, 'chat event not published'));
  }
}
