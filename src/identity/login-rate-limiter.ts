/**
 * Sliding-window counter of login attempts per client address, in memory. Per-account lockout
 * (in the database) stops guessing one password; this stops one client spraying many accounts.
 */
export class LoginRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly maxAttempts = 20,
    private readonly windowMs = 10 * 60 * 1000,
  ) {}

  /** Records an attempt; returns seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    const recent = this.recent(key, now);
    if (recent.length >= this.maxAttempts) {
      this.hits.set(key, recent);
      return Math.ceil((recent[0] + this.windowMs - now) / 1000);
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10000) this.prune(now);
    return 0;
  }

  /**
   * Takes back the attempt recorded at `at`: a successful sign-in should not count, or a team
   * behind one office address would lock itself out every morning. Counting first and taking
   * back after also keeps a burst of parallel guesses from slipping past the limit.
   */
  release(key: string, at: number): void {
    const times = this.hits.get(key);
    const i = times?.lastIndexOf(at) ?? -1;
    if (times && i >= 0) times.splice(i, 1);
  }

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.hits) {
      if (!times.some((t) => now - t < this.windowMs)) this.hits.delete(key);
    }
  }
}
