import WebSocket from 'ws';

/** One subscriber: a raw graphql-transport-ws connection that records when each message arrives. */
export interface Subscriber {
  socket: WebSocket;
  close(): void;
}

export interface Arrivals {
  /** message text → arrival times (performance.now()) across subscribers */
  record(text: string, at: number): void;
}

const SUBSCRIPTION = `subscription($c: ID) { messageAdded(conversationId: $c) { cursor message { id bodyText } } }`;

export function connectSubscriber(
  wsUrl: string,
  params: Record<string, unknown>,
  conversationId: string,
  arrivals: Arrivals,
): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const timer = setTimeout(() => reject(new Error('subscriber did not connect within 20 s')), 20_000);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: params })));
    socket.on('error', (err) => reject(err));
    socket.on('close', (code) => reject(new Error(`socket closed with ${code}`)));
    socket.on('message', (raw: Buffer) => {
      const at = performance.now();
      const msg = JSON.parse(raw.toString()) as {
        type: string;
        payload?: { data?: { messageAdded?: { message: { bodyText: string } } } };
      };
      if (msg.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: SUBSCRIPTION, variables: { c: conversationId } },
          }),
        );
        clearTimeout(timer);
        resolve({ socket, close: () => socket.terminate() });
      } else if (msg.type === 'next' && msg.payload?.data?.messageAdded) {
        arrivals.record(msg.payload.data.messageAdded.message.bodyText, at);
      } else if (msg.type === 'ping') {
        socket.send('{"type":"pong"}');
      }
    });
  });
}

/** Opens `n` subscribers, at most `concurrency` handshakes at a time. */
export async function connectMany(
  n: number,
  concurrency: number,
  open: () => Promise<Subscriber>,
): Promise<Subscriber[]> {
  const out: Subscriber[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      out.push(await open());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
