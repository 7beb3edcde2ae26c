// Sign-in rate limit. An attempt is counted before its password is checked: `attempt` reserves a
// place on every key (the user name, the address) synchronously, so a hundred guesses sent at once
// get no more checks than the limit, whatever the asynchronous hash does meanwhile. A failed
// attempt keeps its place for the window; a key that reaches its limit is locked for the lockout
// (PCI DSS 8.3.4: at least 30 minutes), counted from the moment it locked. A success withdraws
// its own reservation and clears the name's failures (the address keeps its own). In memory (a
// restart clears it) and bounded, so a flood of made-up names cannot grow it without end: past the
// bound the keys attempted least recently are forgotten first. Addresses are counted by source
// (limitSource): an IPv6 /64, an IPv4 address however written.

import { isIPv6 } from 'node:net';
import { ArrivalOrder } from '../../parsers/lib/arrival-order.js';

/**
 * The source a sign-in limit per address counts against. An IPv6 client by its /64: one host or
 * home is handed a whole /64 and could take a new address in it for every guess, which would make
 * a limit per address none; so a /64 is what one IPv4 address is (one site behind NAT). An IPv4
 * address written as IPv6 (`::ffff:192.0.2.12`, as a dual-stack socket or a proxy gives it) is that
 * IPv4 address, so it is one source however it is written. Anything else (a proxy's odd value) as is.
 */
export function limitSource(address: string): string {
  const bare = address.split('%')[0]!.toLowerCase();
  if (!isIPv6(bare)) return address;
  let text = bare;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = (tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]).map((g) => parseInt(g, 16));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

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

/**
 * A refusal says how many the lock has refused, and whether this one is worth a line in the
 * activity log: the first of a lock, then the 10th, 100th, 1000th… A flood of guesses at a locked
 * name or source writes a handful of lines that still tell its size, not one line a request.
 */
export type AttemptDecision = { allowed: true; ticket: Ticket } | { allowed: false; retryAfter: number; refused: number; log: boolean };

interface KeyState {
  /** Failed and in-flight attempts within the window. */
  times: number[];
  lockedUntil: number;
  /** Attempts refused since the lock began. */
  refused: number;
}

const worthLogging = (n: number): boolean => n === 1 || (n % 10 === 0 && /^10*$/.test(String(n)));

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
    let refused = 0;
    const states = keys.map(({ key, max }) => {
      const s = this.get(key, now);
      // Attempted now, refused or not: a key under attack is the last to be forgotten.
      this.state.set(key, s);
      if (s.lockedUntil <= now && s.times.length >= max) this.lock(s, now);
      if (s.lockedUntil > now) {
        retryAfter = Math.max(retryAfter, Math.ceil((s.lockedUntil - now) / 1000));
        refused = Math.max(refused, ++s.refused);
      }
      return s;
    });
    this.state.bound(this.maxKeys);
    if (retryAfter > 0) return { allowed: false, retryAfter, refused, log: worthLogging(refused) };
    for (const s of states) s.times.push(now);
    return { allowed: true, ticket: { keys, at: now } };
  }

  /** The attempt failed: it stays counted; a key now at its limit locks. */
  fail(ticket: Ticket, now: number): void {
    for (const { key, max } of ticket.keys) {
      const s = this.get(key, now);
      if (s.times.length >= max) this.lock(s, now);
    }
  }

  /** Lock for the lockout from now (a lock already running is lengthened, its refusals still counted). */
  private lock(s: KeyState, now: number): void {
    if (s.lockedUntil <= now) s.refused = 0;
    s.lockedUntil = Math.max(s.lockedUntil, now + this.lockoutMs);
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
      s = { times: [], lockedUntil: 0, refused: 0 };
      this.state.set(key, s);
    } else {
      const recent = s.times.filter((t) => now - t < this.windowMs);
      if (recent.length !== s.times.length) s.times = recent;
    }
    return s;
  }
}

/**
 * Refusals of requests from nobody signed in (a 401, a sign-in form that did not come from this
 * site, /metrics from elsewhere), counted per source (limitSource) within a window: the 1st, 10th,
 * 100th… of a window are worth a line in the activity log, with the count, so every source that was
 * refused is in the log and a flood from one writes a handful of lines. Bounded like the limiter.
 */
export class RefusalSampler {
  private readonly state = new ArrivalOrder<{ count: number; since: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  note(source: string, now: number): { count: number; log: boolean } {
    let s = this.state.get(source);
    if (!s || now - s.since >= this.windowMs) s = { count: 0, since: now };
    s.count++;
    this.state.set(source, s);
    this.state.bound(this.maxKeys);
    return { count: s.count, log: worthLogging(s.count) };
  }
}
