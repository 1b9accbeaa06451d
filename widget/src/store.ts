/**
 * The widget's state of one conversation, free of the DOM so it can be unit-tested: server
 * messages keyed by id (a message that arrives twice — from the send mutation and from the live
 * stream, or replayed after a reconnect — is kept once), messages still being sent, receipts,
 * and the cursor a resumed subscription continues from.
 */
export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export interface Message {
  id: string;
  conversationId: string;
  authorKind: 'contact' | 'agent' | 'bot' | 'system';
  agent: { id: string; name: string } | null;
  bodyHtml: string;
  bodyText: string;
  content: Record<string, unknown> | null;
  attachments: Attachment[];
  delivered: boolean;
  read: boolean;
  createdAt: string;
  /** Local only: still being sent (`pending`) or failed. */
  status?: 'pending' | 'failed';
  clientId?: string;
}

const num = (id: string) => Number(id);
const isServerId = (id: string) => /^\d+$/.test(id) && id !== '0';

export class ConversationStore {
  private readonly byId = new Map<string, Message>();
  private readonly pending = new Map<string, Message>();
  private listeners = new Set<() => void>();

  constructor(public conversationId: string | null = null) {}

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** The id of the newest server message: where a resumed subscription continues from. */
  get cursor(): string | undefined {
    let max = 0;
    for (const id of this.byId.keys()) max = Math.max(max, num(id));
    return max ? String(max) : undefined;
  }

  /** Adds server messages (history pages, live events, send results); known ids are updated, not duplicated. */
  add(messages: Message[]): void {
    let touched = false;
    for (const m of messages) {
      if (!isServerId(m.id)) continue;
      const known = this.byId.get(m.id);
      // receipts only move forward: a replayed older copy must not un-read a message
      this.byId.set(m.id, known ? { ...m, delivered: known.delivered || m.delivered, read: known.read || m.read } : m);
      touched = true;
    }
    if (touched) this.changed();
  }

  /** A message being sent: shown at once, replaced when the server answers with its id. */
  addPending(m: Message & { clientId: string }): void {
    this.pending.set(m.clientId, { ...m, status: 'pending' });
    this.changed();
  }

  /** The send succeeded: the pending copy gives way to the stored message (which may have arrived already). */
  confirm(clientId: string, stored: Message): void {
    this.pending.delete(clientId);
    if (isServerId(stored.id)) this.add([stored]);
    else this.pending.set(clientId, { ...stored, clientId, status: undefined });
    this.changed();
  }

  fail(clientId: string): void {
    const m = this.pending.get(clientId);
    if (m) this.pending.set(clientId, { ...m, status: 'failed' });
    this.changed();
  }

  pendingMessage(clientId: string): Message | undefined {
    return this.pending.get(clientId);
  }

  /** `side` saw (or received) every message of the other side up to `upTo`. */
  receipt(side: 'visitor' | 'team', state: 'delivered' | 'read', upTo: string): void {
    let touched = false;
    for (const [id, m] of this.byId) {
      if (num(id) > num(upTo)) continue;
      const fromOther = side === 'team' ? m.authorKind === 'contact' : m.authorKind !== 'contact';
      if (!fromOther) continue;
      const next = { ...m, delivered: true, read: m.read || state === 'read' };
      if (next.read !== m.read || next.delivered !== m.delivered) {
        this.byId.set(id, next);
        touched = true;
      }
    }
    if (touched) this.changed();
  }

  /** Server messages by id, then messages still being sent in the order they were written. */
  list(): Message[] {
    const stored = [...this.byId.values()].sort((a, b) => num(a.id) - num(b.id));
    return [...stored, ...this.pending.values()];
  }

  /** The newest team message the visitor has not marked read. */
  lastUnreadFromTeam(): Message | undefined {
    return this.list()
      .filter((m) => m.authorKind !== 'contact' && isServerId(m.id) && !m.read)
      .pop();
  }

  unreadCount(): number {
    return this.list().filter((m) => (m.authorKind === 'agent' || m.authorKind === 'bot') && !m.read).length;
  }

  clear(): void {
    this.byId.clear();
    this.pending.clear();
    this.changed();
  }
}
