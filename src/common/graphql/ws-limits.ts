import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { WebSocketServer } from 'ws';
import { logger } from '../logging/logger';

const log = logger('websocket');

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
    socket.removeAllListeners('error');
    socket.on('error', (err) => {
      log.warn({ err: err.message }, 'websocket closed after an error');
      if (socket.readyState === socket.OPEN) socket.close(1011, 'Internal server error');
    });
  });
  return true;
}
