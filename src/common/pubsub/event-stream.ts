/**
 * An async iterator fed by callbacks (bus listeners): `push` queues an item, at most `max`
 * waiting (the oldest dropped: these are ephemeral signals, the newest matter). `return()`
 * unsubscribes.
 */
export function eventStream<T>(
  subscribe: (push: (item: T) => void) => () => void,
  max = 100,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const waiters: Array<(r: IteratorResult<T>) => void> = [];
  let done = false;
  const push = (item: T) => {
    if (done) return;
    const waiter = waiters.shift();
    if (waiter) return waiter({ value: item, done: false });
    queue.push(item);
    if (queue.length > max) queue.shift();
  };
  const unsubscribe = subscribe(push);
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      unsubscribe();
      queue.length = 0;
      for (const w of waiters.splice(0)) w({ value: undefined as T, done: true });
    }
    return Promise.resolve({ value: undefined as T, done: true });
  };
  return {
    next(): Promise<IteratorResult<T>> {
      if (done) return Promise.resolve({ value: undefined as T, done: true });
      const item = queue.shift();
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
  };
}
