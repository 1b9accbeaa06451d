import WebSocket from 'ws';

/**
 * Talks to a child process started with `--inspect=127.0.0.1:<port>`: forces a full garbage
 * collection and reads the heap, so memory per idle connection is measured on live objects,
 * not on garbage left by the handshakes.
 */
export async function collectGarbage(inspectPort: number): Promise<{ heapUsedMb: number }> {
  const list = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const socket = new WebSocket(list[0].webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let seq = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => {
      const id = ++seq;
      const onMessage = (raw: Buffer) => {
        const msg = JSON.parse(raw.toString()) as { id?: number; result?: { result?: { value?: unknown } } };
        if (msg.id !== id) return;
        socket.off('message', onMessage);
        resolve(msg);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const r = await call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
    return { heapUsedMb: Number(r.result?.result?.value ?? NaN) / 1024 / 1024 };
  } finally {
    socket.close();
  }
}
