/**
 * The floor of the realtime bench: a bare `ws` server that broadcasts what is POSTed to
 * /publish to every connected socket, in the same graphql-transport-ws frame shape Sori sends.
 * Run as its own process (`node dist/bench/bare-ws-server.js <port>`) so its memory is measured alone.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/readyz') return res.end('ok');
  if (req.method !== 'POST' || req.url !== '/publish') return res.writeHead(404).end();
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const { id, text } = JSON.parse(body) as { id: number; text: string };
    const frame = JSON.stringify({
      id: '1',
      type: 'next',
      payload: { data: { messageAdded: { cursor: String(id), message: { id: String(id), bodyText: text } } } },
    });
    for (const socket of wss.clients) socket.send(frame);
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
});
const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (socket) => {
  socket.on('message', (raw: Buffer) => {
    const msg = JSON.parse(raw.toString()) as { type: string };
    if (msg.type === 'connection_init') socket.send('{"type":"connection_ack"}');
  });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
