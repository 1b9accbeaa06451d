import * as Q from './api';
import type { GqlWsClient } from './protocol';
import type { Conversation } from './state';
import { ConversationStore, type Message } from './store';

export interface Signal {
  type: 'TYPING' | 'RECEIPT' | 'STATE';
  typing: boolean | null;
  agent: { id: string; name: string } | null;
  receipt: 'delivered' | 'read' | null;
  upTo: string | null;
  state: Conversation['state'] | null;
  queuePosition: number | null;
  estimatedWaitSeconds: number | null;
}

export interface ChatEvents {
  changed(): void;
  message(store: ConversationStore, m: Message): void;
  signal(conversationId: string, s: Signal): void;
  /** Whether the visitor can see this conversation right now (its messages count as read). */
  visible(conversationId: string): boolean;
}

/**
 * The conversations the widget follows: history first, then live messages resumed from each
 * store's cursor (the subscription recomputes `after` when it reconnects), signals, and receipts.
 */
export class Chats {
  readonly stores = new Map<string, ConversationStore>();
  private readonly stops = new Map<string, () => void>();

  constructor(
    private readonly client: () => GqlWsClient,
    private readonly on: ChatEvents,
  ) {}

  follow(id: string): ConversationStore {
    const known = this.stores.get(id);
    if (known) return known;
    const store = new ConversationStore(id);
    this.stores.set(id, store);
    store.onChange(() => this.on.changed());
    void this.client()
      .request<{ widgetMessages: { messages: Message[] } }>(Q.MESSAGES, { c: id })
      .then((r) => {
        store.add(r.widgetMessages.messages);
        const stopMessages = this.client().subscribe<{ widgetMessageAdded: { message: Message } }>(
          Q.ON_MESSAGE,
          () => ({ c: id, a: store.cursor ?? null }),
          { next: (d) => this.received(store, d.widgetMessageAdded.message) },
        );
        const stopSignals = this.client().subscribe<{ widgetSignals: Signal }>(Q.ON_SIGNAL, () => ({ c: id }), {
          next: (d) => this.on.signal(id, d.widgetSignals),
        });
        this.stops.set(id, () => {
          stopMessages();
          stopSignals();
        });
        this.ack(id);
      })
      .catch(() => undefined);
    return store;
  }

  private received(store: ConversationStore, m: Message): void {
    store.add([m]);
    this.on.message(store, m);
    if (m.authorKind === 'contact' || !store.conversationId) return;
    if (!this.ack(store.conversationId)) {
      void this.client()
        .request(Q.ACK, { c: store.conversationId, u: m.id, r: false })
        .catch(() => undefined);
    }
  }

  /** Marks the team's messages read when the visitor can see them; true when it did. */
  ack(id: string | null): boolean {
    if (!id || !this.on.visible(id)) return false;
    const store = this.stores.get(id);
    const last = store?.lastUnreadFromTeam();
    if (!store || !last) return false;
    store.receipt('visitor', 'read', last.id);
    void this.client()
      .request(Q.ACK, { c: id, u: last.id, r: true })
      .catch(() => undefined);
    return true;
  }

  unread(): number {
    let n = 0;
    for (const s of this.stores.values()) n += s.unreadCount();
    return n;
  }

  clear(): void {
    for (const stop of this.stops.values()) stop();
    this.stops.clear();
    this.stores.clear();
  }
}
