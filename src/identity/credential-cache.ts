import type { BusEvent } from '../common/pubsub/realtime-bus';

interface Entry<T> {
  value: T;
  agentId: string;
  credentialId: string;
  /** Epoch ms after which the entry is looked up again. */
  until: number;
}

/**
 * Live sessions and API tokens seen recently, so an authenticated request does not pay a
 * database round trip before its real work. Entries end on the credential events
 * (`credentialEvents`: sign-out, deactivation, password change, rights change, token revocation),
 * applied at once in the process that made the change and on the bus in every other one (the
 * same path, and so the same delay, that closes open WebSockets); on a bus resync (events may have
 * been missed) everything is dropped; and after `ttlMs` in any case, as a safety net.
 *
 * A lookup that was under way while an event arrived does not fill the cache: `generation()` is
 * taken before the lookup and `set` refuses a stale one.
 */
export class CredentialCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private gen = 0;

  constructor(
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  generation(): number {
    return this.gen;
  }

  get(key: string, now = Date.now()): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Caches a credential found live; `expiresAt` caps the entry (a session ending sooner than the TTL). */
  set(
    key: string,
    value: T,
    meta: { agentId: string; credentialId: string; expiresAt?: Date | null },
    generation: number,
    now = Date.now(),
  ): void {
    if (generation !== this.gen) return;
    const until = Math.min(now + this.ttlMs, meta.expiresAt ? meta.expiresAt.getTime() : Infinity);
    if (until <= now) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Map iteration order is insertion order: drop the oldest
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, agentId: meta.agentId, credentialId: meta.credentialId, until });
  }

  /** Applies a credential event: every entry of the agent, session or token it names is dropped. */
  apply(event: Pick<BusEvent, 'kind' | 'id'>): void {
    this.gen++;
    const byAgent = ['agent_deactivated', 'sessions_revoked', 'agent_rights_changed'].includes(event.kind);
    const byCredential = ['session_revoked', 'token_revoked'].includes(event.kind);
    if (!byAgent && !byCredential) return;
    for (const [key, e] of this.entries) {
      if (byAgent ? e.agentId === event.id : e.credentialId === event.id) this.entries.delete(key);
    }
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
