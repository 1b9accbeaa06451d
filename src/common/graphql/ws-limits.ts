import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { WebSocket, WebSocketServer } from 'ws';
import { logger } from '../logging/logger';

const log = logger('websocket');

/** Frames one connection may send per window before it is closed with 4429 (widgets, API clients alike). */
export const MAX_FRAMES_PER_WINDOW = 200;
const FRAME_WINDOW_MS = 10_000;

/**
 * A client sending more than MAX_FRAMES_PER_WINDOW frames in 10 s is closed with 4429 "Too many
 * messages": one misbehaving widget (or script) cannot keep a process busy parsing its frames.
 */
function limitFrameRate(socket: WebSocket): void {
  let windowStart = Date.now();
  let frames = 0;
  socket.on('message', () => {
    const now = Date.now();
    if (now - windowStart > FRAME_WINDOW_MS) {
      windowStart = now;
      frames = 0;
    }
    if (++frames > MAX_FRAMES_PER_WINDOW && socket.readyState === socket.OPEN) {
      log.warn({ frames }, 'websocket closed: too many frames');
      socket.close(4429, 'Too many messages');
    }
  });
}

interface SubscriptionServers {
  /** graphql-transport-ws (graphql-ws), the protocol Sori speaks. */
  wss?: WebSocketServer;
}

/**
 * `ws` accepts frames of up to 100 MiB by default and @nestjs/graphql offers no option to lower
 * it, so a single client could make the process buffer and parse huge messages. This caps frames
 * at `maxBytes` (the socket closes with 1009 "message too big").
 * Call after the app is initialised; returns false when the library internals have moved.
 */
export function limitWebSocketFrames(app: INestApplication, maxBytes: number): boolean {
  const module = app.get<GraphQLModule, { graphQlAdapter?: { _subscriptionService?: SubscriptionServers } }>(
    GraphQLModule,
    { strict: false },
  );
  const servers = module.graphQlAdapter?._subscriptionService;
  if (!servers?.wss?.options) return false;
  servers.wss.options.maxPayload = maxBytes;
  // graphql-ws reports socket errors (an oversized frame is one) with console.error; log them as JSON.
  servers.wss.on('connection', (socket) => {
    limitFrameRate(socket);
    socket.removeAllListeners('error');
    socket.on('error', (err) => {
      log.warn({ err: err.message }, 'websocket closed after an error');
      if (socket.readyState === socket.OPEN) socket.close(1011, 'Internal server error');
    });
  });
  return true;
}
