/**
 * Lets concurrent identical reads share one query. When an event reaches 2,000 subscribers of
 * the same ticket, they all ask for "items after cursor N" in the same tick; the first asks the
 * database and the others wait for its answer. Results are shared: callers must not mutate them.
 * Nothing is cached once a read has settled, so a later read always sees fresh data.
 */
export class SharedReads {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key) as Promise<T> | undefined;
    if (existing) return existing;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Reads currently running (tests, metrics). */
  get size(): number {
    return this.inFlight.size;
  }
}
