import { logger } from '../logging/logger';
import type { BusEvent, RealtimeBus } from './realtime-bus';
import { StreamGroup, streamGroup, type GroupMember } from './stream-group';

export interface StreamSource<T> {
  topic: string;
  /** Bus event kind this stream carries (e.g. `message`); other kinds on the topic are ignored. */
  kind: string;
  /** Cursor from the client: only items with a greater id are sent. */
  after?: number;
  /**
   * The newest committed id, used as the starting point when `after` is not given: everything
   * committed after the subscription started is sent, nothing before it.
   */
  head(): Promise<number>;
  /** Items with id > after, ascending, at most `limit`. May be shared between subscribers: never mutate. */
  fetchAfter(after: number, limit: number): Promise<T[]>;
  idOf(item: T): number;
  /** Per-subscriber filter (access rules). Skipped items still advance the cursor. */
  accept?(item: T): boolean;
  /**
   * Streams of one process with the same topic, kind and group read the same items (their
   * `fetchAfter` are interchangeable; `accept` stays each one's own): they share one bus listener
   * and one read per cursor (`StreamGroup`). Unset: the stream listens and reads alone.
   */
  group?: string;
}

export interface StreamOptions {
  /** Page size of one read, and how many undelivered items may wait in memory. */
  pageSize?: number;
  /** First retry delay after a failed read; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const log = logger('realtime-stream');

/**
 * A stream that can hand items to its consumer synchronously, as soon as they are read, instead
 * of through `next()` (see `pushDeliveryOf`).
 */
const PUSH_DELIVERY = Symbol('pushDelivery');

/**
 * Offered each item while the consumer is idle: waiting in `next()` with nothing queued, so
 * nothing it was given is still on its way. Returns true when it delivered the item; false
 * hands this item to the waiting `next()` as usual, and later items queue behind it until the
 * consumer has caught up again. Order, cursors, access filtering and pacing stay the stream's.
 */
export type PushDelivery<T> = (item: T) => boolean;

interface PushCapable<T> {
  [PUSH_DELIVERY](deliver: PushDelivery<T>): void;
}

/** The stream's way to attach a push delivery, when it is a resumable stream. */
export function pushDeliveryOf<T>(stream: unknown): ((deliver: PushDelivery<T>) => void) | undefined {
  const attach = (stream as Partial<PushCapable<T>> | null)?.[PUSH_DELIVERY];
  return typeof attach === 'function' ? attach.bind(stream) : undefined;
}

/**
 * An async iterator over a topic that first replays what the client missed (id > after), then
 * follows live events. Bus events only say "something new on this topic": every read goes to
 * the store from the last delivered id, so events that arrive out of order, in bursts, twice,
 * or not at all while the LISTEN connection was down (the bus then signals a resync) never
 * cause a gap or a duplicate. This relies on ids becoming visible in id order, which the
 * commit-order lock on the `message` and `audit_event` tables guarantees (see
 * migrations/1763900300000-RealtimeCommitOrder.ts).
 *
 * Reads are paced by the consumer: at most one page waits in memory, so a slow client replaying a
 * long history does not make the process buffer all of it. A failed read is retried with
 * backoff instead of silently stalling the stream.
 */
export function resumableStream<T>(
  bus: Pick<RealtimeBus, 'on' | 'onResync'>,
  source: StreamSource<T>,
  options: StreamOptions = {},
): AsyncIterableIterator<T> & PushCapable<T> {
  const pageSize = options.pageSize ?? 200;
  const firstRetry = options.retryDelayMs ?? 500;
  const maxRetry = options.maxRetryDelayMs ?? 15_000;

  const queue: T[] = [];
  const waiters: Array<(r: IteratorResult<T>) => void> = [];
  let lastId: number | null = source.after ?? null;
  let done = false;
  let reading = false;
  /** Something may be newer than lastId: read again when possible. */
  let stale = true;
  let retryDelay = firstRetry;
  let retryTimer: NodeJS.Timeout | undefined;
  let push: PushDelivery<T> | undefined;

  const pushed = (item: T): boolean => {
    try {
      return !!push?.(item);
    } catch (err) {
      log.warn({ err: (err as Error).message, topic: source.topic }, 'push delivery failed');
      return false;
    }
  };

  const flush = () => {
    while (waiters.length && queue.length && !done) {
      const item = queue.shift() as T;
      // delivered directly: the consumer is still idle, its waiter stays for the next item
      if (pushed(item)) continue;
      (waiters.shift() as (r: IteratorResult<T>) => void)({ value: item, done: false });
    }
  };

  /** Takes in a page read after `lastId`. */
  const applyPage = (page: T[], from: number) => {
    let last = from;
    for (const item of page) {
      const id = source.idOf(item);
      if (id <= last) continue;
      last = id;
      lastId = id;
      if (!source.accept || source.accept(item)) queue.push(item);
    }
    if (page.length >= pageSize) stale = true;
    retryDelay = firstRetry;
    flush();
  };

  const failed = (err: unknown) => {
    stale = true;
    if (done || retryTimer) return;
    log.warn({ err: (err as Error).message, topic: source.topic, retryInMs: retryDelay }, 'stream read failed');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void read();
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(retryDelay * 2, maxRetry);
  };

  const read = async (): Promise<void> => {
    if (reading || done) return;
    reading = true;
    try {
      if (lastId === null) lastId = await source.head();
      listen();
      // Stop when the consumer has a page to work through; next() resumes reading.
      while (stale && !done && queue.length < pageSize) {
        stale = false;
        const from: number = lastId;
        const page = await source.fetchAfter(from, pageSize);
        if (done) return;
        applyPage(page, from);
      }
    } catch (err) {
      failed(err);
    } finally {
      reading = false;
    }
    // an event arrived while the last page was being read
    readIfNeeded();
  };

  function readIfNeeded(): void {
    if (stale && !reading && !done && !retryTimer && queue.length < pageSize) void read();
  }

  const wake = () => {
    stale = true;
    readIfNeeded();
  };

  /** This stream as a member of its group: reads done for it by the group land here. */
  const member: GroupMember<T> = {
    join: () => {
      if (lastId === null || reading || done || retryTimer || queue.length >= pageSize) {
        wake();
        return null;
      }
      reading = true;
      stale = false;
      return lastId;
    },
    readEnded: (outcome) => {
      reading = false;
      if (done) return;
      try {
        if ('page' in outcome) applyPage(outcome.page, lastId as number);
        else failed(outcome.error);
      } catch (err) {
        failed(err); // as after a read of its own: retried from the last id it passed
      }
      readIfNeeded();
    },
  };

  let offEvent: (() => void) | undefined;
  let offResync: (() => void) | undefined;
  /**
   * Follows the topic from here on. Without a cursor this happens only once the head is known,
   * before the first read after it: a subscription that is listening has fixed its starting
   * point, so anything committed from then on reaches it (through that read or an event).
   */
  function listen(): void {
    if (offEvent || done) return;
    if (source.group === undefined) {
      offEvent = bus.on(source.topic, (e: BusEvent) => {
        if (e.kind === source.kind) wake();
      });
    } else {
      const key = `${source.kind}|${source.topic}|${pageSize}|${source.group}`;
      const group = streamGroup<T>(
        bus,
        key,
        (emptied) =>
          new StreamGroup<T>(bus, source.topic, source.kind, (a, l) => source.fetchAfter(a, l), pageSize, emptied),
      );
      group.add(member);
      offEvent = () => group.remove(member);
    }
    offResync = bus.onResync(wake);
  }
  if (lastId !== null) listen();
  readIfNeeded();

  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      offEvent?.();
      offResync?.();
      if (retryTimer) clearTimeout(retryTimer);
      queue.length = 0;
      for (const w of waiters.splice(0)) w({ value: undefined as T, done: true });
    }
    return Promise.resolve({ value: undefined as T, done: true });
  };

  return {
    next(): Promise<IteratorResult<T>> {
      if (done) return Promise.resolve({ value: undefined as T, done: true });
      const item = queue.shift();
      readIfNeeded();
      if (item !== undefined) return Promise.resolve({ value: item, done: false });
      return new Promise((resolve) => waiters.push(resolve));
    },
    return: finish,
    throw: async (err?: unknown) => {
      await finish();
      throw err instanceof Error ? err : new Error(String(err));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    [PUSH_DELIVERY](deliver: PushDelivery<T>) {
      push = deliver;
    },
  };
}
