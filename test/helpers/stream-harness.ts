import type { BusEvent } from '../../src/common/pubsub/realtime-bus';
import type { StreamSource } from '../../src/common/pubsub/resumable-stream';

/** An in-memory store and bus for realtime stream tests: `commit` makes an item visible, `notify` delivers its event. */
export interface Item {
  id: number;
  topic: string;
  /** Free text, for payloads that must survive JSON exactly. */
  text?: string;
}

export function harness() {
  const items: Item[] = [];
  const listeners = new Map<string, Set<(e: BusEvent) => void>>();
  const resync = new Set<() => void>();
  let failures = 0;
  let reads = 0;
  const bus = {
    on(topic: string, l: (e: BusEvent) => void) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic)!.add(l);
      return () => listeners.get(topic)!.delete(l);
    },
    onResync(l: () => void) {
      resync.add(l);
      return () => resync.delete(l);
    },
  };
  const source = (topic: string, after?: number, extra: Partial<StreamSource<Item>> = {}): StreamSource<Item> => ({
    topic,
    kind: 'message',
    after,
    head: () => Promise.resolve(items.length ? Math.max(...items.map((i) => i.id)) : 0),
    fetchAfter: (a, limit) => {
      reads++;
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error('database away'));
      }
      return Promise.resolve(
        items
          .filter((i) => i.topic === topic && i.id > a)
          .sort((x, y) => x.id - y.id)
          .slice(0, limit),
      );
    },
    idOf: (i) => i.id,
    ...extra,
  });
  return {
    bus,
    source,
    commit: (id: number, topic = 't', text?: string) => items.push({ id, topic, text }),
    notify: (id: number, topic = 't', kind = 'message') =>
      listeners.get(topic)?.forEach((l) => l({ kind, id, topics: [topic] })),
    resync: () => resync.forEach((l) => l()),
    failNext: (n: number) => (failures = n),
    listenerCount: (topic = 't') => listeners.get(topic)?.size ?? 0,
    get reads() {
      return reads;
    },
  };
}

export const tick = () => new Promise((r) => setTimeout(r, 5));

export async function take(it: AsyncIterator<Item>, n: number, timeoutMs = 1000): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only got ${out.join(',')}`)), timeoutMs);
    });
    const r = await Promise.race([it.next(), timeout]).finally(() => clearTimeout(timer));
    if (r.done) break;
    out.push(r.value.id);
  }
  return out;
}

export async function nothingMore(it: AsyncIterator<Item>): Promise<boolean> {
  const r = await Promise.race([it.next().then(() => 'item'), new Promise((res) => setTimeout(() => res('none'), 30))]);
  return r === 'none';
}
