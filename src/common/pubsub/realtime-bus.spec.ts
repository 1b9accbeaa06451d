import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { RealtimeBus, type BusEvent } from './realtime-bus';

/** Feeds a raw NOTIFY payload as if it came from PostgreSQL. */
function deliver(bus: RealtimeBus, payload: string): void {
  (bus as unknown as { dispatch(raw: string): void }).dispatch(payload);
}

describe('RealtimeBus local fan-out', () => {
  const bus = new RealtimeBus({} as DataSource, {} as AppConfig);

  it('keeps delivering to the other listeners when one throws', () => {
    const got: BusEvent[] = [];
    const offBad = bus.on('ticket:1', () => {
      throw new Error('broken subscriber');
    });
    const offGood = bus.on('ticket:1', (e) => got.push(e));
    expect(() => deliver(bus, JSON.stringify({ kind: 'message', id: 7, topics: ['ticket:1'] }))).not.toThrow();
    expect(got).toEqual([{ kind: 'message', id: 7, topics: ['ticket:1'] }]);
    offBad();
    offGood();
    expect(bus.listenerCount('ticket:1')).toBe(0);
  });

  it('delivers once per listener even when a topic is listed twice, and ignores malformed payloads', () => {
    const got: unknown[] = [];
    const off = bus.on('inbox:a', (e) => got.push(e.id));
    deliver(bus, JSON.stringify({ kind: 'message', id: 1, topics: ['inbox:a', 'inbox:a'] }));
    deliver(bus, 'not json');
    deliver(bus, JSON.stringify({ kind: 'message', id: 2, topics: 'inbox:a' }));
    deliver(bus, JSON.stringify({ kind: 'message', id: 3, topics: ['__resync'] }));
    expect(got).toEqual([1]);
    off();
  });

  it('removes exactly the subscription that is ended when one function subscribes twice', () => {
    const got: unknown[] = [];
    const listener = (e: BusEvent) => got.push(e.id);
    const first = bus.on('t', listener);
    bus.on('t', listener);
    first();
    first();
    deliver(bus, JSON.stringify({ kind: 'message', id: 9, topics: ['t'] }));
    expect(got).toEqual([9]);
  });
});
