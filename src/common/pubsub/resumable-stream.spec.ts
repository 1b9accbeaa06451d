import { harness, nothingMore, take, tick } from '../../../test/helpers/stream-harness';
import { resumableStream } from './resumable-stream';
import { SharedReads } from './shared-reads';

describe('resumableStream', () => {
  it('replays what came after the cursor, then follows live events', async () => {
    const h = harness();
    [1, 2, 3, 4].forEach((id) => h.commit(id));
    const it = resumableStream(h.bus, h.source('t', 2));
    expect(await take(it, 2)).toEqual([3, 4]);
    h.commit(5);
    h.notify(5);
    expect(await take(it, 1)).toEqual([5]);
    await it.return!();
  });

  it('without a cursor starts at the head: nothing older, nothing committed after subscribing is missed', async () => {
    const h = harness();
    [1, 2].forEach((id) => h.commit(id));
    const it = resumableStream(h.bus, h.source('t'));
    await tick();
    // 3 and 4 commit, but only 4's event arrives (3's notification is late)
    h.commit(3);
    h.commit(4);
    h.notify(4);
    expect(await take(it, 2)).toEqual([3, 4]);
    h.notify(3);
    expect(await nothingMore(it)).toBe(true);
    await it.return!();
  });

  it('sends nothing twice when events arrive in bursts, twice, or out of order', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    for (const id of [1, 2, 3]) h.commit(id);
    for (const id of [3, 1, 2, 3, 2]) h.notify(id);
    expect(await take(it, 3)).toEqual([1, 2, 3]);
    expect(await nothingMore(it)).toBe(true);
    await it.return!();
  });

  it('ignores other kinds and other topics', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    h.commit(1, 'other');
    h.notify(1, 'other');
    h.commit(2);
    h.notify(2, 't', 'ticket');
    await tick();
    h.notify(2);
    expect(await take(it, 1)).toEqual([2]);
    await it.return!();
  });

  it('catches up after a resync (events lost while LISTEN was down)', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    await tick();
    const readsBefore = h.reads;
    h.commit(1);
    h.commit(2); // no notifications at all
    await tick();
    expect(h.reads).toBe(readsBefore);
    h.resync();
    expect(await take(it, 2)).toEqual([1, 2]);
    await it.return!();
  });

  it('retries a failed read instead of stalling', async () => {
    const h = harness();
    h.commit(1);
    h.failNext(2);
    const it = resumableStream(h.bus, h.source('t', 0), { retryDelayMs: 5 });
    expect(await take(it, 1)).toEqual([1]);
    await it.return!();
  });

  it('reads page by page as the consumer asks, keeping at most a page in memory', async () => {
    const h = harness();
    for (let id = 1; id <= 25; id++) h.commit(id);
    const it = resumableStream(h.bus, h.source('t', 0), { pageSize: 10 });
    await tick();
    expect(h.reads).toBe(1);
    const got = await take(it, 25);
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(h.reads).toBeGreaterThanOrEqual(3);
    await it.return!();
  });

  it('skips items the subscriber may not see but still moves past them', async () => {
    const h = harness();
    [1, 2, 3].forEach((id) => h.commit(id));
    const it = resumableStream(h.bus, h.source('t', 0, { accept: (i) => i.id !== 2 }));
    expect(await take(it, 2)).toEqual([1, 3]);
    await it.return!();
  });

  it('ends pending next() calls and unsubscribes on return()', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    const pending = [it.next(), it.next()];
    expect(h.listenerCount()).toBe(1);
    await it.return!();
    expect(await Promise.all(pending)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    expect(h.listenerCount()).toBe(0);
    h.commit(1);
    h.notify(1);
    expect((await it.next()).done).toBe(true);
  });

  it('serves concurrent next() calls in order', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    const a = it.next();
    const b = it.next();
    h.commit(1);
    h.commit(2);
    h.notify(2);
    expect([(await a).value?.id, (await b).value?.id]).toEqual([1, 2]);
    await it.return!();
  });

  it('shares one read between subscribers at the same cursor', async () => {
    const h = harness();
    const shared = new SharedReads();
    const streams = Array.from({ length: 50 }, () =>
      resumableStream(
        h.bus,
        h.source('t', 0, {
          fetchAfter: (a, limit) => shared.read(`t|${a}|${limit}`, () => h.source('t').fetchAfter(a, limit)),
        }),
      ),
    );
    await tick();
    const before = h.reads;
    h.commit(1);
    h.notify(1);
    const firsts = await Promise.all(streams.map((s) => take(s, 1)));
    expect(firsts.every((f) => f[0] === 1)).toBe(true);
    expect(h.reads - before).toBe(1);
    await Promise.all(streams.map((s) => s.return!()));
  });
});
