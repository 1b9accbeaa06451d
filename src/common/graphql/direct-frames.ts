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

/** The start of a `next` frame of subscription `id`, in graphql-ws's key order. */
export function nextFramePrefix(id: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":`;
}

export function registerFrameTarget(args: object, socket: WebSocket, id: string): void {
  // a string, not a Buffer: an idle subscription keeps as little as possible
  const prefix = nextFramePrefix(id);
  const prefixBytes = Buffer.byteLength(prefix);
  targets.set(args, {
    sendNext(payloadJson) {
      if (socket.readyState !== socket.OPEN || socket.bufferedAmount > 0) return false;
      // one buffer per frame: the shared payload is copied, not encoded again per subscriber
      const frame = Buffer.allocUnsafe(prefixBytes + payloadJson.length + 1);
      frame.write(prefix, 0);
      payloadJson.copy(frame, prefixBytes);
      frame[frame.length - 1] = CLOSING_BRACE;
      socket.send(frame, TEXT);
      return true;
    },
  });
}

export function frameTargetOf(args: object): FrameTarget | undefined {
  return targets.get(args);
}
