import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';
import { frameTargetOf, nextFramePrefix, registerFrameTarget } from './direct-frames';

/** ws's own framing and parsing (exported by ws, not typed by @types/ws). */
const { Sender, Receiver } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

function socketPair(extensions = '') {
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    extensions,
    sent: [] as Buffer[],
    send(data: Buffer, options: { binary?: boolean }) {
      expect(options.binary).toBe(false);
      this.sent.push(data);
    },
  };
  const raw = { writable: true, written: [] as Buffer[], write: (b: Buffer) => raw.written.push(b) };
  return { ws, raw };
}

function target(pair: ReturnType<typeof socketPair>, id: string, withRaw = true) {
  const args = {};
  registerFrameTarget(args, pair.ws as unknown as WebSocket, id, withRaw ? (pair.raw as unknown as Duplex) : undefined);
  return frameTargetOf(args)!;
}

/** What ws writes for a text message: its header and the message, as one buffer. */
const wsBytes = (text: string) =>
  Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));

/** The messages a client's ws receiver reads from `bytes`. */
function received(bytes: Buffer): string[] {
  const out: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    out.push(data.toString());
  });
  receiver.write(bytes);
  return out;
}

describe('direct frames', () => {
  // payloads around the header's size classes: 7-bit, 16-bit and 64-bit lengths
  it.each([10, 80, 125, 126, 5_000, 65_535, 65_536, 200_000])(
    'are the bytes ws writes for the whole message, written once to the connection (%i bytes of payload)',
    (size) => {
      const pair = socketPair();
      const payload = JSON.stringify({ data: { text: '크'.repeat(Math.floor(size / 6)) + 'x'.repeat(size % 6) } });
      const text = nextFramePrefix('s"1') + payload + '}';
      expect(target(pair, 's"1').sendNext(Buffer.from(payload))).toBe(true);
      expect(pair.ws.sent).toEqual([]);
      expect(pair.raw.written).toHaveLength(1);
      expect(pair.raw.written[0].equals(wsBytes(text))).toBe(true);
      expect(received(pair.raw.written[0])).toEqual([text]);
    },
  );

  it('go through ws when a compression extension is negotiated or the connection is unknown', () => {
    const payload = Buffer.from('{"data":{"n":1}}');
    const text = `${nextFramePrefix('1')}{"data":{"n":1}}}`;
    for (const [pair, withRaw] of [
      [socketPair('permessage-deflate'), true],
      [socketPair(), false],
    ] as const) {
      expect(target(pair, '1', withRaw).sendNext(payload)).toBe(true);
      expect(pair.raw.written).toEqual([]);
      expect(pair.ws.sent.map((b) => b.toString())).toEqual([text]);
    }
  });

  it('write nothing while the socket is closing or has not flushed, nor when the connection is gone', () => {
    const payload = Buffer.from('{"data":{}}');
    const closing = socketPair();
    closing.ws.readyState = 2;
    const behind = socketPair();
    behind.ws.bufferedAmount = 10;
    for (const pair of [closing, behind]) {
      expect(target(pair, '1').sendNext(payload)).toBe(false);
      expect([...pair.raw.written, ...pair.ws.sent]).toEqual([]);
    }
    const gone = socketPair();
    gone.raw.writable = false;
    expect(target(gone, '1').sendNext(payload)).toBe(true);
    expect(gone.raw.written).toEqual([]);
    expect(gone.ws.sent).toHaveLength(1); // ws decides what to do with a send on a dead connection
  });
});
