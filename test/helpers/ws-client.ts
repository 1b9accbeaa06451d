import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsConnection {
  client: Client;
  /** Resolves with the close code and reason once the server (or we) close the socket. */
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * Opens a graphql-ws connection like an API client would: with `{ token }` connection params
 * or, like the workspace in a browser, with the session cookie (and the page's `origin`) on the
 * upgrade request.
 * Resolves once the server acknowledged the connection; rejects with the close code otherwise.
 */
export function connectWs(
  baseUrl: string,
  auth: { token?: string; cookie?: string; origin?: string },
): Promise<WsConnection> {
  const headers: Record<string, string> = auth.cookie ? { cookie: auth.cookie } : {};
  if (auth.origin) headers.origin = auth.origin;
  class WebSocketWithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  let onClosed!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  return new Promise((resolve, reject) => {
    let connected = false;
    const client = createClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocketWithHeaders,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      connectionParams: auth.token ? { token: auth.token } : {},
      on: {
        connected: () => {
          connected = true;
          resolve({ client, closed });
        },
        closed: (event) => {
          const e = event as { code?: number; reason?: string | Buffer };
          const result = { code: e.code ?? 0, reason: e.reason?.toString() ?? '' };
          onClosed(result);
          if (!connected) reject(Object.assign(new Error(`socket closed with ${result.code}`), result));
        },
      },
    });
  });
}

export interface Ws {
  client: Client;
  /** The raw socket, to kill the connection the hard way. */
  socket(): WebSocket;
}

/** A graphql-ws client authenticated by `{ token }` or by the session cookie on the upgrade request. */
export function openWs(url: string, auth: { token?: string; cookie?: string }): Promise<Ws> {
  let socket: WebSocket | undefined;
  class TrackedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: auth.cookie ? { cookie: auth.cookie } : {} });
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      socket = this;
    }
  }
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: `${url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: TrackedWebSocket,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: reject,
      connectionParams: auth.token ? { token: auth.token } : {},
      on: { connected: () => resolve({ client, socket: () => socket as WebSocket }) },
    });
  });
}

export interface Collected<T> {
  items: T[];
  errors: unknown[];
  until(pred: (items: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

/** Subscribes and collects every payload (data of the single root field) and error. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const items: T[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        if (r.data) items.push(Object.values(r.data)[0]);
      },
      error: (e) => errors.push(...(Array.isArray(e) ? e : [e])),
      complete: () => undefined,
    },
  );
  const until = async (pred: (items: T[]) => boolean, timeoutMs = 8000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pred(items)) {
      if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
      if (Date.now() > deadline) throw new Error(`timed out with ${items.length} items: ${JSON.stringify(items)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return items;
  };
  return { items, errors, until, stop };
}
