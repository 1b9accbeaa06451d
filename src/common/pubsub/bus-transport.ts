/** How bus events cross processes: PostgreSQL LISTEN/NOTIFY by default, Redis pub/sub with REDIS_URL. */
export interface BusTransport {
  /** Connects; `deliver` gets every raw payload, `resynced` is called after each (re)connect. */
  start(deliver: (raw: string) => void, resynced: () => void): Promise<void>;
  /** Publishes the payloads in order, in one round trip. */
  publish(payloads: string[]): Promise<void>;
  stop(): Promise<void>;
}

export const BUS_CHANNEL = 'sori_events';
