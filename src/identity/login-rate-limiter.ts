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
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.maxAttempts) {
      this.hits.set(key, recent);
      return Math.ceil((recent[0] + this.windowMs - now) / 1000);
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [key, times] of this.hits) {
      if (!times.some((t) => now - t < this.windowMs)) this.hits.delete(key);
    }
  }
}
