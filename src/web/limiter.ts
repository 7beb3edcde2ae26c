// Sign-in rate limit. An attempt is counted before its password is checked: `attempt` reserves a
// place on every key (the user name, the address) synchronously, so a hundred guesses sent at once
// get no more checks than the limit, whatever the asynchronous hash does meanwhile. A failed
// attempt keeps its place for the window; a key that reaches its limit is locked for the lockout
// (PCI DSS 8.3.4: at least 30 minutes), counted from the moment it locked. A success withdraws
// its own reservation and clears the name's failures (the address keeps its own). In memory (a
// restart clears it) and bounded, so a flood of made-up names cannot grow it without end: past the
// bound the keys attempted least recently are forgotten first.

import { ArrivalOrder } from '../../parsers/lib/arrival-order.js';

export interface LimitKey {
  key: string;
  /** Attempts within the window that lock this key. */
  max: number;
}

/** A reserved attempt: what `fail` and `succeed` are told. */
export interface Ticket {
  keys: ReadonlyArray<LimitKey>;
  at: number;
}

export type AttemptDecision = { allowed: true; ticket: Ticket } | { allowed: false; retryAfter: number };

interface KeyState {
  /** Failed and in-flight attempts within the window. */
  times: number[];
  lockedUntil: number;
}

export class FailureLimiter {
  private readonly state = new ArrivalOrder<KeyState>();

  constructor(
    private readonly windowMs: number,
    private readonly lockoutMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Reserve an attempt on every key; refused (with seconds to wait) when any key is locked or full. */
  attempt(keys: ReadonlyArray<LimitKey>, now: number): AttemptDecision {
    let retryAfter = 0;
    const states = keys.map(({ key, max }) => {
      const s = this.get(key, now);
      // Attempted now, refused or not: a key under attack is the last to be forgotten.
      this.state.set(key, s);
      if (s.lockedUntil <= now && s.times.length >= max) s.lockedUntil = now + this.lockoutMs;
      if (s.lockedUntil > now) retryAfter = Math.max(retryAfter, Math.ceil((s.lockedUntil - now) / 1000));
      return s;
    });
    this.state.bound(this.maxKeys);
    if (retryAfter > 0) return { allowed: false, retryAfter };
    for (const s of states) s.times.push(now);
    return { allowed: true, ticket: { keys, at: now } };
  }

  /** The attempt failed: it stays counted; a key now at its limit locks. */
  fail(ticket: Ticket, now: number): void {
    for (const { key, max } of ticket.keys) {
      const s = this.get(key, now);
      if (s.times.length >= max) s.lockedUntil = Math.max(s.lockedUntil, now + this.lockoutMs);
    }
  }

  /** The attempt succeeded: its reservation goes, and `clear` (the user name's key) forgets its failures. */
  succeed(ticket: Ticket, clear: string): void {
    for (const { key } of ticket.keys) {
      const s = this.state.get(key);
      const i = s ? s.times.indexOf(ticket.at) : -1;
      if (s && i >= 0) s.times.splice(i, 1);
    }
    this.state.delete(clear);
  }

  private get(key: string, now: number): KeyState {
    let s = this.state.get(key);
    if (!s) {
      s = { times: [], lockedUntil: 0 };
      this.state.set(key, s);
    } else {
      const recent = s.times.filter((t) => now - t < this.windowMs);
      if (recent.length !== s.times.length) s.times = recent;
    }
    return s;
  }
}
