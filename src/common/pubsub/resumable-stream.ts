import type { BusEvent, RealtimeBus } from './realtime-bus';

export interface StreamSource<T> {
  topic: string;
  /** Bus event kind this stream carries (e.g. `message`). */
  kind: string;
  /** Cursor from the client: only items with a greater id are sent. Undefined = live only. */
  after?: number;
  /** Items with id > after, ascending, at most `limit`. */
  fetchAfter(after: number, limit: number): Promise<T[]>;
  idOf(item: T): number;
}

const REPLAY_PAGE = 200;

/**
 * An async iterator over a topic that first replays what the client missed (id > after), then
 * follows live events. Every delivery re-reads the store from the last delivered id, so events
 * that arrive out of order, in bursts, or during a lost LISTEN connection are neither skipped
 * nor sent twice. Per-ticket writers serialise inserts, so ids commit in order within a topic.
 */
export function resumableStream<T>(bus: RealtimeBus, source: StreamSource<T>): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let lastId = source.after ?? -1;
  let liveOnly = source.after === undefined;
  let done = false;
  let pulling: Promise<void> | null = null;
  let pullAgain = false;

  const deliver = () => {
    while (waiting && queue.length) {
      const w = waiting;
      waiting = null;
      w({ value: queue.shift() as T, done: false });
    }
  };

  const pull = async (): Promise<void> => {
    if (pulling) {
      pullAgain = true;
      return pulling;
    }
    pulling = (async () => {
      do {
        pullAgain = false;
        if (liveOnly) continue;
        let page: T[];
        do {
          page = await source.fetchAfter(lastId, REPLAY_PAGE);
          for (const item of page) {
            const id = source.idOf(item);
            if (id > lastId) {
              lastId = id;
              queue.push(item);
            }
          }
          deliver();
        } while (page.length === REPLAY_PAGE && !done);
      } while (pullAgain && !done);
    })().finally(() => {
      pulling = null;
    });
    return pulling;
  };

  const onEvent = (e: BusEvent) => {
    if (e.kind !== source.kind || done) return;
    if (liveOnly) {
      // first live event fixes the starting point just before it
      liveOnly = false;
      lastId = Number(e.id) - 1;
    }
    void pull().catch(() => undefined);
  };
  const offEvent = bus.on(source.topic, onEvent);
  const offResync = bus.onResync(() => void pull().catch(() => undefined));
  if (!liveOnly) void pull().catch(() => undefined);

  const finish = (): Promise<IteratorResult<T>> => {
    done = true;
    offEvent();
    offResync();
    if (waiting) waiting({ value: undefined as T, done: true });
    waiting = null;
    queue.length = 0;
    return Promise.resolve({ value: undefined as T, done: true });
  };

  return {
    next(): Promise<IteratorResult<T>> {
      if (done) return Promise.resolve({ value: undefined as T, done: true });
      const item = queue.shift();
      if (item !== undefined) return Promise.resolve({ value: item, done: false });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: finish,
    throw: (err?: unknown) => {
      void finish();
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
