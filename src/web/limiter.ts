// Sign-in rate limit: refused attempts are counted per key (a user name, an address) over a
// sliding window; once any key reaches its limit, further attempts are refused without checking
// the password until the oldest failure leaves the window. Kept in memory (a restart clears it) and
// bounded, so a flood of made-up names cannot grow it without end.

export interface LimitDecision {
  allowed: boolean;
  /** Seconds until the next attempt may be made, when not allowed. */
  retryAfter: number;
}

export interface LimitKey {
  key: string;
  /** Failures within the window that close this key. */
  max: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  check(keys: ReadonlyArray<LimitKey>, now: number): LimitDecision {
    let retryAfter = 0;
    for (const { key, max } of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= max) retryAfter = Math.max(retryAfter, Math.ceil((recent[recent.length - max]! + this.windowMs - now) / 1000));
    }
    return { allowed: retryAfter === 0, retryAfter };
  }

  fail(keys: ReadonlyArray<LimitKey>, now: number): void {
    for (const { key, max } of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key);
      this.failures.set(key, recent.slice(-max));
    }
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A successful sign-in clears that name's failures (the address keeps its own). */
  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }
}
