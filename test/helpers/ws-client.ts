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
