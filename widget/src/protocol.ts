/**
 * A minimal graphql-transport-ws client (the protocol of `graphql-ws`), small enough for the
 * widget and written for resumption: every subscription computes its variables again when it
 * is (re)started, so after a dropped connection it asks for what came after its last cursor.
 * Requests (queries, mutations) not answered before a drop are sent again after reconnecting;
 * the widget's mutations are idempotent (messages carry a client id), so nothing is doubled.
 */
export interface Sink<T> {
  next(data: T): void;
  error?(errors: GqlError[]): void;
}

export interface GqlError {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

export interface WsLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface ClientOptions {
  url: string;
  connectionParams: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  createSocket: (url: string) => WsLike;
  /** Called for every close; return false to stop reconnecting (e.g. 4401: the token is invalid). */
  onClose?: (code: number, reason: string) => boolean | void;
  onConnected?: (reconnected: boolean) => void;
  /** Delay before reconnect attempt n (0-based). */
  backoff?: (attempt: number) => number;
  /** Send a ping this often; no pong within `pongTimeoutMs` closes and reconnects. */
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

interface Operation {
  id: string;
  query: string;
  variables: () => Record<string, unknown>;
  sink: Sink<unknown>;
  /** Requests end after their result; subscriptions stay until stopped. */
  once: boolean;
  onDone?: () => void;
}

export const defaultBackoff = (attempt: number): number =>
  Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)) * (0.75 + Math.random() * 0.5);

export class GqlWsClient {
  private socket: WsLike | null = null;
  private acked = false;
  private stopped = false;
  private attempt = 0;
  private everConnected = false;
  private seq = 0;
  private readonly ops = new Map<string, Operation>();
  private retryTimer: unknown;
  private pingTimer: unknown;
  private pongTimer: unknown;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly o: ClientOptions) {
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.connect();
  }

  get connected(): boolean {
    return this.acked;
  }

  /** A query or mutation; resolves with `data`, rejects with the GraphQL errors. */
  request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      let result: T | undefined;
      this.start({
        query,
        variables: () => variables,
        once: true,
        sink: {
          next: (d) => (result = d as T),
          error: (e) => reject(Object.assign(new Error(e[0]?.message), { errors: e })),
        },
        onDone: () => resolve(result as T),
      });
    });
  }

  /** A subscription; `variables` is called at every (re)subscribe. Returns the stop function. */
  subscribe<T>(query: string, variables: () => Record<string, unknown>, sink: Sink<T>): () => void {
    const id = this.start({ query, variables, once: false, sink: sink });
    return () => {
      if (this.ops.delete(id) && this.acked) this.send({ id, type: 'complete' });
    };
  }

  close(): void {
    this.stopped = true;
    this.clearTimer(this.retryTimer);
    this.stopPing();
    this.ops.clear();
    this.socket?.close(1000, 'Normal Closure');
    this.socket = null;
  }

  /** Drops the connection now and reconnects (tests, network changes). */
  reconnect(): void {
    this.socket?.close(4499, 'Reconnecting');
  }

  private start(op: Omit<Operation, 'id'>): string {
    const id = String(++this.seq);
    const full = { ...op, id };
    this.ops.set(id, full);
    if (this.acked) this.sendSubscribe(full);
    return id;
  }

  private sendSubscribe(op: Operation): void {
    this.send({ id: op.id, type: 'subscribe', payload: { query: op.query, variables: op.variables() } });
  }

  private send(msg: unknown): void {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(msg));
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = this.o.createSocket(this.o.url);
    this.socket = socket;
    socket.onopen = () => {
      void Promise.resolve(this.o.connectionParams()).then((payload) => {
        if (this.socket === socket) this.send({ type: 'connection_init', payload });
      });
    };
    socket.onmessage = (ev) => this.onMessage(socket, ev.data);
    socket.onerror = () => undefined;
    socket.onclose = (ev) => this.onSocketClose(socket, ev.code, ev.reason);
  }

  private onMessage(socket: WsLike, raw: unknown): void {
    if (socket !== this.socket) return;
    let msg: {
      type?: 'connection_ack' | 'ping' | 'pong' | 'next' | 'error' | 'complete';
      id?: string;
      payload?: unknown;
    };
    try {
      msg = JSON.parse(String(raw)) as typeof msg;
    } catch {
      return socket.close(4400, 'Invalid message');
    }
    switch (msg.type) {
      case 'connection_ack': {
        this.acked = true;
        this.attempt = 0;
        const reconnected = this.everConnected;
        this.everConnected = true;
        for (const op of this.ops.values()) this.sendSubscribe(op);
        this.startPing();
        this.o.onConnected?.(reconnected);
        return;
      }
      case 'ping':
        return this.send({ type: 'pong' });
      case 'pong':
        return this.clearTimer(this.pongTimer);
      case 'next': {
        const op = this.ops.get(msg.id ?? '');
        const payload = msg.payload as { data?: unknown; errors?: GqlError[] };
        if (!op) return;
        if (payload.errors?.length) {
          op.sink.error?.(payload.errors);
          if (op.once) this.ops.delete(op.id);
          return;
        }
        op.sink.next(payload.data);
        return;
      }
      case 'error': {
        const op = this.ops.get(msg.id ?? '');
        if (!op) return;
        this.ops.delete(op.id);
        op.sink.error?.(msg.payload as GqlError[]);
        return;
      }
      case undefined:
        return;
      case 'complete': {
        const op = this.ops.get(msg.id ?? '');
        if (!op) return;
        this.ops.delete(op.id);
        op.onDone?.();
        return;
      }
    }
  }

  private onSocketClose(socket: WsLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.acked = false;
    this.stopPing();
    const keepGoing = this.o.onClose?.(code, reason);
    if (this.stopped || keepGoing === false) return;
    const delay = (this.o.backoff ?? defaultBackoff)(this.attempt++);
    this.retryTimer = this.setTimer(() => this.connect(), delay);
  }

  private startPing(): void {
    const every = this.o.pingIntervalMs ?? 20_000;
    if (every <= 0) return;
    this.pingTimer = this.setTimer(() => {
      this.send({ type: 'ping' });
      this.pongTimer = this.setTimer(() => this.socket?.close(4408, 'No pong'), this.o.pongTimeoutMs ?? 8_000);
      this.startPing();
    }, every);
  }

  private stopPing(): void {
    this.clearTimer(this.pingTimer);
    this.clearTimer(this.pongTimer);
  }
}
