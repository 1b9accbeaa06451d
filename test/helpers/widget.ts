import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestApp } from './test-app';

export { collect, type Collected } from './ws-client';

export interface WsSession {
  client: Client;
  socket(): WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  /** One query or mutation over the socket; rejects with the GraphQL errors. */
  run<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** A graphql-ws connection with the given connection params (a visitor: `{ visitorToken }`). */
export function openWs(baseUrl: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  let socket: WebSocket | undefined;
  class Tracked extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      socket = this;
    }
  }
  let onClosed!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  return new Promise<WsSession>((resolve, reject) => {
    let connected = false;
    const client = createClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: Tracked,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      connectionParams: params,
      on: {
        connected: () => {
          connected = true;
          resolve({ client, socket: () => socket as WebSocket, closed, run: (q, v) => run(client, q, v) });
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

export function run<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    let result: T | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors?.length) reject(Object.assign(new Error(r.errors[0].message), { errors: r.errors }));
          else result = r.data as T;
        },
        error: (e) => reject(Object.assign(new Error('failed'), { errors: e })),
        complete: () => resolve(result as T),
      },
    );
  });
}

/** Creates a widget as admin; returns its id and identity secret. */
export async function createWidget(app: TestApp, token: string, input: Record<string, unknown> = {}) {
  const r = await app.gql<{ createWidget: { widget: { id: string }; identitySecret: string } }>(
    `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id } identitySecret } }`,
    { i: { name: 'Website', ...input } },
    { token },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return { id: r.data!.createWidget.widget.id, secret: r.data!.createWidget.identitySecret };
}

/** A new anonymous visitor of a widget, as the browser would get it. */
export async function newVisitor(app: TestApp, widgetId: string, body: Record<string, unknown> = {}) {
  const res = await fetch(`${app.url}/widget/${widgetId}/visitors`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent':
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    },
    body: JSON.stringify({ locale: 'en', timezone: 'Asia/Seoul', ...body }),
  });
  if (res.status !== 201) throw new Error(`visitor: ${res.status} ${await res.text()}`);
  return (await res.json()) as { visitorId: string; token: string };
}

export const SEND = `mutation($i: WidgetMessageInput!) {
  widgetSendMessage(input: $i) { id conversationId bodyText authorKind delivered read } }`;

let clientSeq = 0;
export const clientId = () => `c${Date.now().toString(36)}${(clientSeq++).toString().padStart(4, '0')}`;
