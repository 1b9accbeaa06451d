import { GqlWsClient, type WsLike } from './protocol';

/** A fake server end of a graphql-transport-ws socket. */
class FakeSocket implements WsLike {
  readyState = 0;
  sent: Array<{ type: string; id?: string; payload?: { variables?: Record<string, unknown> } }> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  of(type: string) {
    return this.sent.filter((m) => m.type === type);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(onClose?: (code: number) => boolean | void) {
  const sockets: FakeSocket[] = [];
  const timers: Array<() => void> = [];
  const client = new GqlWsClient({
    url: 'ws://x/graphql',
    connectionParams: () => ({ visitorToken: 't' }),
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onClose,
    backoff: () => 1,
    pingIntervalMs: 0,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
  });
  const connect = async (s: FakeSocket) => {
    s.open();
    await flush();
    s.receive({ type: 'connection_ack' });
  };
  const runTimers = () => timers.splice(0).forEach((t) => t());
  return { client, sockets, connect, runTimers };
}

describe('GqlWsClient', () => {
  it('sends connection params, then subscriptions once acknowledged', async () => {
    const { client, sockets, connect } = setup();
    const got: unknown[] = [];
    client.subscribe('subscription { a }', () => ({ after: '1' }), { next: (d) => got.push(d) });
    await connect(sockets[0]);
    expect(sockets[0].sent[0]).toEqual({ type: 'connection_init', payload: { visitorToken: 't' } });
    const sub = sockets[0].of('subscribe')[0];
    sockets[0].receive({ type: 'next', id: sub.id, payload: { data: { a: 1 } } });
    expect(got).toEqual([{ a: 1 }]);
  });

  it('resubscribes after a dropped connection with variables computed again (the latest cursor)', async () => {
    const { client, sockets, connect, runTimers } = setup();
    let cursor = '5';
    client.subscribe('subscription { a }', () => ({ after: cursor }), { next: () => undefined });
    await connect(sockets[0]);
    expect(sockets[0].of('subscribe')[0].payload?.variables).toEqual({ after: '5' });
    cursor = '9';
    sockets[0].close(1006, 'gone');
    runTimers();
    await connect(sockets[1]);
    expect(sockets[1].of('subscribe')[0].payload?.variables).toEqual({ after: '9' });
  });

  it('sends an unanswered request again after reconnecting, and resolves it once', async () => {
    const { client, sockets, connect, runTimers } = setup();
    await connect(sockets[0]);
    const result = client.request<{ ok: boolean }>('mutation { send }', { clientId: 'k' });
    const first = sockets[0].of('subscribe')[0];
    expect(first.payload?.variables).toEqual({ clientId: 'k' });
    sockets[0].close(1006, 'gone');
    runTimers();
    await connect(sockets[1]);
    const again = sockets[1].of('subscribe')[0];
    sockets[1].receive({ type: 'next', id: again.id, payload: { data: { ok: true } } });
    sockets[1].receive({ type: 'complete', id: again.id });
    await expect(result).resolves.toEqual({ ok: true });
  });

  it('rejects a request with its GraphQL errors', async () => {
    const { client, sockets, connect } = setup();
    await connect(sockets[0]);
    const result = client.request('mutation { x }');
    const op = sockets[0].of('subscribe')[0];
    sockets[0].receive({
      type: 'next',
      id: op.id,
      payload: { errors: [{ message: 'no', extensions: { code: 'RATE_LIMITED' } }] },
    });
    await expect(result).rejects.toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
  });

  it('answers pings, stops a subscription with complete, and stops reconnecting when told to', async () => {
    const closes: number[] = [];
    const { client, sockets, connect, runTimers } = setup((code) => {
      closes.push(code);
      return code !== 4401;
    });
    await connect(sockets[0]);
    sockets[0].receive({ type: 'ping' });
    expect(sockets[0].of('pong')).toHaveLength(1);
    const stop = client.subscribe('subscription { a }', () => ({}), { next: () => undefined });
    const sub = sockets[0].of('subscribe')[0];
    stop();
    expect(sockets[0].of('complete')).toEqual([{ id: sub.id, type: 'complete' }]);
    sockets[0].close(4401, 'Invalid visitor token');
    runTimers();
    expect(sockets).toHaveLength(1);
    expect(closes).toEqual([4401]);
  });
});
