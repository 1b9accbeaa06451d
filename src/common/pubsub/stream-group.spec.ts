import { harness, nothingMore, take, tick, type Item } from '../../../test/helpers/stream-harness';
import { pushDeliveryOf, resumableStream } from './resumable-stream';

describe('push delivery', () => {
  it('takes items only while the consumer waits; a refused item goes to next() and later ones queue behind it', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    const pushed: number[] = [];
    const refuse = new Set([3]);
    pushDeliveryOf<Item>(it)?.((item) => {
      if (refuse.has(item.id)) return false;
      pushed.push(item.id);
      return true;
    });
    await tick();
    // nobody waits in next() yet: the item stays for it
    h.commit(1);
    h.notify(1);
    await tick();
    expect(pushed).toEqual([]);
    expect(await take(it, 1)).toEqual([1]);

    const waiting = it.next();
    h.commit(2);
    h.notify(2);
    await tick();
    expect(pushed).toEqual([2]);

    // 3 is refused and handed to the waiting next(); 4 must not overtake it
    h.commit(3);
    h.commit(4);
    h.notify(4);
    await tick();
    expect((await waiting).value).toMatchObject({ id: 3 });
    expect(pushed).toEqual([2]);
    expect(await take(it, 1)).toEqual([4]);

    const again = it.next();
    h.commit(5);
    h.notify(5);
    await tick();
    expect(pushed).toEqual([2, 5]);
    await it.return!();
    expect((await again).done).toBe(true);
  });

  it('hands the item to next() when the delivery throws', async () => {
    const h = harness();
    const it = resumableStream(h.bus, h.source('t', 0));
    pushDeliveryOf<Item>(it)?.(() => {
      throw new Error('socket gone');
    });
    const waiting = it.next();
    h.commit(1);
    h.notify(1);
    expect((await waiting).value).toMatchObject({ id: 1 });
    await it.return!();
  });
});

describe('stream groups', () => {
  it('share one bus listener and one read per cursor; each stream keeps its own access filter', async () => {
    const h = harness();
    const all = resumableStream(h.bus, h.source('t', 0, { group: 'g' }));
    const odd = resumableStream(h.bus, h.source('t', 0, { group: 'g', accept: (i) => i.id % 2 === 1 }));
    const others = Array.from({ length: 20 }, () => resumableStream(h.bus, h.source('t', 0, { group: 'g' })));
    await tick();
    expect(h.listenerCount()).toBe(1);
    const before = h.reads;
    h.commit(1);
    h.commit(2);
    h.notify(2);
    expect(await take(all, 2)).toEqual([1, 2]);
    expect(await take(odd, 1)).toEqual([1]);
    expect(await nothingMore(odd)).toBe(true);
    for (const o of others) expect(await take(o, 2)).toEqual([1, 2]);
    expect(h.reads - before).toBe(1);
    await Promise.all([all, odd, ...others].map((s) => s.return!()));
    expect(h.listenerCount()).toBe(0);
  });

  it('lets a stream whose consumer lags read on its own, missing nothing and repeating nothing', async () => {
    const h = harness();
    const fast = resumableStream(h.bus, h.source('t', 0, { group: 'g' }), { pageSize: 2 });
    const slow = resumableStream(h.bus, h.source('t', 0, { group: 'g' }), { pageSize: 2 });
    await tick();
    for (let id = 1; id <= 7; id++) {
      h.commit(id);
      h.notify(id);
      expect(await take(fast, 1)).toEqual([id]);
    }
    expect(await take(slow, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    h.commit(8);
    h.notify(8);
    expect(await take(slow, 1)).toEqual([8]);
    expect(await take(fast, 1)).toEqual([8]);
    expect(await nothingMore(slow)).toBe(true);
    await Promise.all([fast.return!(), slow.return!()]);
  });

  it('retries a failed group read in every stream', async () => {
    const h = harness();
    const streams = [0, 1].map(() => resumableStream(h.bus, h.source('t', 0, { group: 'g' }), { retryDelayMs: 5 }));
    await tick();
    h.failNext(1);
    h.commit(1);
    h.notify(1);
    for (const s of streams) expect(await take(s, 1)).toEqual([1]);
    await Promise.all(streams.map((s) => s.return!()));
  });

  it('retries in the stream whose access filter throws, and delivers to the others', async () => {
    const h = harness();
    let broken = true;
    const fragile = resumableStream(
      h.bus,
      h.source('t', 0, {
        group: 'g',
        accept: () => {
          if (broken) throw new Error('no actor');
          return true;
        },
      }),
      { retryDelayMs: 5 },
    );
    const sound = resumableStream(h.bus, h.source('t', 0, { group: 'g' }));
    await tick();
    h.commit(1);
    h.notify(1);
    expect(await take(sound, 1)).toEqual([1]);
    broken = false;
    h.commit(2);
    h.notify(2);
    expect(await take(sound, 1)).toEqual([2]);
    expect(await take(fragile, 1)).toEqual([2]);
    await Promise.all([fragile.return!(), sound.return!()]);
  });

  it('keeps groups of different topics, and streams without a group, apart', async () => {
    const h = harness();
    const a = resumableStream(h.bus, h.source('t', 0, { group: 'g' }));
    const b = resumableStream(h.bus, h.source('u', 0, { group: 'g' }));
    const alone = resumableStream(h.bus, h.source('t', 0));
    await tick();
    h.commit(1, 'u');
    h.notify(1, 'u');
    h.commit(2);
    h.notify(2);
    expect(await take(a, 1)).toEqual([2]);
    expect(await take(alone, 1)).toEqual([2]);
    expect(await take(b, 1)).toEqual([1]);
    expect(h.listenerCount('t')).toBe(2);
    await Promise.all([a, b, alone].map((s) => s.return!()));
  });
});
