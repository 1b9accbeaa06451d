import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Where a graphql-ws subscription's `next` frames go when they are written directly instead of
 * through graphql-ws's per-subscriber chain (async iterator, `onNext`, `JSON.stringify`, send
 * promise). Registered by `onSubscribe` on the execution arguments it returns, which graphql-ws
 * hands unchanged to `subscribe` (`sharedSubscribe`).
 */
export interface FrameTarget {
  /**
   * Writes `{"id":…,"type":"next","payload":<payload>}`, byte for byte what graphql-ws sends,
   * given the payload's JSON in UTF-8. Returns false, writing nothing, when the socket is not
   * open or has not flushed what it was given before: the slow path then takes over, and its
   * wait for each write paces the stream.
   */
  sendNext(payloadJson: Buffer): boolean;
}

const targets = new WeakMap<object, FrameTarget>();
/** A Buffer is sent as a text frame with this (ws would send it as binary otherwise). */
const TEXT = { binary: false };
const CLOSING_BRACE = 0x7d;
/** FIN and the text opcode: a whole text message in one frame, as ws sends it. */
const FIN_TEXT = 0x81;

/** The start of a `next` frame of subscription `id`, in graphql-ws's key order. */
export function nextFramePrefix(id: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":`;
}

/** Bytes of a server (unmasked) frame header for a payload of `length` bytes (RFC 6455 §5.2). */
function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

function writeHeader(frame: Buffer, length: number): void {
  frame[0] = FIN_TEXT;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
}

/**
 * `socket` is graphql-ws's WebSocket; `raw`, when given, the connection under it (the upgrade
 * request's socket, which ws writes its frames to). With `raw`, a frame is built whole — header,
 * prefix, payload, brace — in one buffer and written to the connection in one call, the bytes ws
 * would write for it, without ws's framing, cork/uncork and two-chunk writev per subscriber. Only
 * when ws has nothing of its own pending (`bufferedAmount` is 0: no queued, compressing or
 * unflushed frame) and no extension is negotiated (a compressed connection goes through ws), so
 * frames never overtake or interleave with ws's.
 */
export function registerFrameTarget(args: object, socket: WebSocket, id: string, raw?: Duplex): void {
  // a string, not a Buffer: an idle subscription keeps as little as possible
  const prefix = nextFramePrefix(id);
  const prefixBytes = Buffer.byteLength(prefix);
  // extensions are agreed in the handshake, before any subscription
  const whole = raw !== undefined && socket.extensions === '' ? raw : undefined;
  targets.set(args, {
    sendNext(payloadJson) {
      if (socket.readyState !== socket.OPEN || socket.bufferedAmount > 0) return false;
      const length = prefixBytes + payloadJson.length + 1;
      if (whole?.writable) {
        const header = headerBytes(length);
        const frame = Buffer.allocUnsafe(header + length);
        writeHeader(frame, length);
        frame.write(prefix, header);
        payloadJson.copy(frame, header + prefixBytes);
        frame[frame.length - 1] = CLOSING_BRACE;
        whole.write(frame);
        return true;
      }
      // one buffer per frame: the shared payload is copied, not encoded again per subscriber
      const message = Buffer.allocUnsafe(length);
      message.write(prefix, 0);
      payloadJson.copy(message, prefixBytes);
      message[length - 1] = CLOSING_BRACE;
      socket.send(message, TEXT);
      return true;
    },
  });
}

export function frameTargetOf(args: object): FrameTarget | undefined {
  return targets.get(args);
}
