import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import type { Ticket } from '../tickets/entities';
import type { Attachment, ChannelKind, Conversation, Message } from './entities';

/** A message an agent or bot wrote that the channel has to deliver. */
export interface OutboundMessage {
  actor: Actor;
  message: Message;
  conversation: Conversation;
  ticket: Ticket | null;
  attachments: Attachment[];
}

export interface ChannelSender {
  /**
   * Called inside the transaction that stores the message: queue the delivery there (e.g. a job
   * in the same transaction), so a stored message is never left without one.
   */
  enqueue(out: OutboundMessage, m: EntityManager): Promise<void>;
  /** After the commit, e.g. to wake the workers at once. Must not throw. */
  committed?(out: OutboundMessage): void;
}

/**
 * How messages leave: channel modules (email, messaging apps) register a sender for their
 * channel kind; MessagesService hands every queued agent or bot message to it. Channels without
 * a sender keep their messages `queued`.
 */
@Injectable()
export class OutboundDispatch {
  private readonly senders = new Map<ChannelKind, ChannelSender>();

  register(kind: ChannelKind, sender: ChannelSender): void {
    this.senders.set(kind, sender);
  }

  async enqueue(out: OutboundMessage, m: EntityManager): Promise<void> {
    await this.senders.get(out.conversation.channelKind)?.enqueue(out, m);
  }

  committed(out: OutboundMessage): void {
    this.senders.get(out.conversation.channelKind)?.committed?.(out);
  }
}
