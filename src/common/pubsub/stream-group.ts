import type { BusEvent, RealtimeBus } from './realtime-bus';

/** What a stream group needs of one resumable stream (see `resumableStream`). */
export interface GroupMember<T> {
  /**
   * An event came: when the stream is idle (no read of its own, no retry waiting), listening and
   * has room for a page, it counts a group read on its behalf as started (it reads nothing itself
   * meanwhile) and returns the last id it passed, where that read starts. Otherwise it returns
   * null and reads on its own when it can, since something may be newer.
   */
  join(): number | null;
  /** The group read ended with a page, or failed; the stream carries on as after its own read. */
  readEnded(outcome: { page: T[] } | { error: unknown }): void;
}

type Bus = Pick<RealtimeBus, 'on'>;

/**
 * The streams of one topic, kind and source in one process (2,000 agents on one conversation):
 * one bus listener for all of them, and on an event one read per distinct cursor whose page is
 * applied to every idle stream at that cursor synchronously, instead of each stream waking,
 * reading through a shared promise and resuming on its own. A stream that is busy (reading,
 * retrying, or holding a page its consumer has not taken) is woken to read on its own, as before.
 */
export class StreamGroup<T> {
  private readonly members = new Set<GroupMember<T>>();
  private off?: () => void;

  constructor(
    private readonly bus: Bus,
    private readonly topic: string,
    private readonly kind: string,
    private readonly fetchAfter: (after: number, limit: number) => Promise<T[]>,
    private readonly pageSize: number,
    private readonly emptied: () => void,
  ) {}

  add(member: GroupMember<T>): void {
    this.members.add(member);
    this.off ??= this.bus.on(this.topic, (e: BusEvent) => {
      if (e.kind === this.kind) this.dispatch(this.members);
    });
  }

  remove(member: GroupMember<T>): void {
    if (!this.members.delete(member) || this.members.size) return;
    this.off?.();
    this.off = undefined;
    this.emptied();
  }

  private dispatch(members: Iterable<GroupMember<T>>): void {
    const byCursor = new Map<number, Array<GroupMember<T>>>();
    // one call per stream: an event reaches every member of a large group
    for (const m of members) {
      const cursor = m.join();
      if (cursor === null) continue;
      let batch = byCursor.get(cursor);
      if (!batch) byCursor.set(cursor, (batch = []));
      batch.push(m);
    }
    for (const [cursor, batch] of byCursor) void this.read(cursor, batch);
  }

  private async read(cursor: number, batch: Array<GroupMember<T>>): Promise<void> {
    let outcome: { page: T[] } | { error: unknown };
    try {
      outcome = { page: await this.fetchAfter(cursor, this.pageSize) };
    } catch (error) {
      outcome = { error };
    }
    // readEnded never throws (each stream catches its own failures), so no stream is left reading
    for (const m of batch) m.readEnded(outcome);
  }
}

const groupsByBus = new WeakMap<object, Map<string, StreamGroup<unknown>>>();

/** The group of `key` on this bus, created on first use and forgotten when its last member leaves. */
export function streamGroup<T>(bus: Bus, key: string, make: (emptied: () => void) => StreamGroup<T>): StreamGroup<T> {
  let groups = groupsByBus.get(bus);
  if (!groups) groupsByBus.set(bus, (groups = new Map<string, StreamGroup<unknown>>()));
  const existing = groups.get(key) as StreamGroup<T> | undefined;
  if (existing) return existing;
  const all = groups;
  const made = make(() => {
    if (all.get(key) === made) all.delete(key);
  });
  all.set(key, made);
  return made;
}
