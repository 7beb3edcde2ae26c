// Sign-in rate limit. An attempt is counted before its password is checked: `attempt` reserves a
// place on every key (the user name, the address) in one transaction of the store, so a hundred
// guesses sent at once, to one node or to several sharing a PostgreSQL store, get no more checks
// than the limit, whatever the asynchronous hash does meanwhile. A failed attempt keeps its place
// for the window; a key that reaches its limit is locked for the lockout (PCI DSS 8.3.4: at least
// 30 minutes), counted from the moment it locked. A success withdraws its own reservation and
// clears the name's failures (the address keeps its own). Kept in the store (`web_login_limits`),
// not in memory: a restart does not forget a lock, and every node counts the same guesses. What
// each step does to a key's state is decided here, by pure functions over the rows the store read
// under its lock (SQLite's write lock, PostgreSQL's row locks); the store only reads and writes
// them (`WebAccess.limitStep`). Bounded: a key whose attempts left the window and whose lock ended
// says nothing and is deleted; past `maxKeys` keys those whose state ends soonest go first, and
// how many is told (a spray of made-up names or sources cannot grow the table without end).
// Addresses are counted by source (limitSource): an IPv6 /64, an IPv4 address however written.

import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { ArrivalOrder } from '../../parsers/lib/arrival-order.js';
import type { WebAccess } from './data/access.js';

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

/** Keys the limiter keeps at most, as the in-memory limiter did (a row each in `web_login_limits`). */
export const LIMIT_KEYS = 100_000;

export interface LimitRules {
  windowMs: number;
  lockoutMs: number;
  /** Keys kept at most (rows of `web_login_limits`). */
  maxKeys: number;
}

/** One key's state, as the store keeps it (a row of `web_login_limits`). */
export interface LimitRow {
  key: string;
  /** Failed and in-flight attempts within the window (epoch ms). */
  attempts: number[];
  lockedUntil: number;
  /** Attempts refused since the lock began. */
  refused: number;
  /** The last attempt, refused or not: among keys ending together, the one attempted least recently goes first. */
  lastAt: number;
  /** When this state says nothing any more (its attempts out of the window, its lock over): deleted then. */
  expiresAt: number;
}

/** What one step does to its keys' rows: each key is written, or (saying nothing) removed. */
export interface LimitChange {
  write: LimitRow[];
  remove: string[];
}

/** One step over the rows of its keys (missing: no state), run by the store under its lock. */
export type LimitStep<T> = (rows: ReadonlyMap<string, LimitRow>) => { value: T; change: LimitChange };

const worthLogging = (n: number): boolean => n === 1 || (n % 10 === 0 && /^10*$/.test(String(n)));

/**
 * The key a user name is counted under. A user's name as it is (names are not secret: they are in
 * `web_users`); a name that is no user may be a password typed into the wrong field, so it is
 * never stored: it is counted in one of 65,536 buckets by 16 bits of its SHA-256 (a list of 10^8
 * likely passwords puts ~1,500 in each; with the database and that user's scrypt hash, that is
 * still a filter before the hash, for the window the row lives: README, sign-in), and still locks
 * a made-up name as a real one would, so a lock does not tell which names exist.
 */
export function nameKey(name: string, isUser: boolean): string {
  const lower = name.toLowerCase();
  return isUser ? `user:${lower}` : `name#${createHash('sha256').update(lower).digest('hex').slice(0, 4)}`;
}

/** The key an address is counted under: its source; a proxy's odd value past 200 characters by its SHA-256. */
export function addressKey(address: string): string {
  const source = limitSource(address);
  return source.length <= 200 ? `addr:${source}` : `addr#${createHash('sha256').update(source).digest('hex')}`;
}

/** A key's state at `now`: attempts out of the window dropped. */
function current(row: LimitRow | undefined, key: string, now: number, rules: LimitRules): LimitRow {
  if (!row) return { key, attempts: [], lockedUntil: 0, refused: 0, lastAt: now, expiresAt: 0 };
  return { ...row, attempts: row.attempts.filter((t) => now - t < rules.windowMs) };
}

/** Lock for the lockout from now (a lock already running is lengthened, its refusals still counted). */
function lock(s: LimitRow, now: number, rules: LimitRules): void {
  if (s.lockedUntil <= now) s.refused = 0;
  s.lockedUntil = Math.max(s.lockedUntil, now + rules.lockoutMs);
}

/** Written when it still says something at `now`, else removed. */
function settle(states: readonly LimitRow[], now: number, rules: LimitRules): LimitChange {
  const change: LimitChange = { write: [], remove: [] };
  for (const s of states) {
    s.expiresAt = Math.max(s.lockedUntil, ...s.attempts.map((t) => t + rules.windowMs));
    if (s.expiresAt > now) change.write.push(s);
    else change.remove.push(s.key);
  }
  return change;
}

/** Reserve an attempt on every key; refused (with seconds to wait) when any key is locked or full. */
export function attemptStep(keys: ReadonlyArray<LimitKey>, now: number, rules: LimitRules): LimitStep<AttemptDecision> {
  return (rows) => {
    let retryAfter = 0;
    let refused = 0;
    const states = keys.map(({ key, max }) => {
      const s = current(rows.get(key), key, now, rules);
      // Attempted now, refused or not: a key under attack is the last to be forgotten among its equals.
      s.lastAt = now;
      if (s.lockedUntil <= now && s.attempts.length >= max) lock(s, now, rules);
      if (s.lockedUntil > now) {
        retryAfter = Math.max(retryAfter, Math.ceil((s.lockedUntil - now) / 1000));
        refused = Math.max(refused, ++s.refused);
      }
      return s;
    });
    if (retryAfter > 0) return { value: { allowed: false, retryAfter, refused, log: worthLogging(refused) }, change: settle(states, now, rules) };
    for (const s of states) s.attempts.push(now);
    return { value: { allowed: true, ticket: { keys, at: now } }, change: settle(states, now, rules) };
  };
}

/** The attempt failed: it stays counted; a key now at its limit locks. */
export function failStep(ticket: Ticket, now: number, rules: LimitRules): LimitStep<void> {
  return (rows) => {
    const states = ticket.keys.map(({ key, max }) => {
      const s = current(rows.get(key), key, now, rules);
      if (s.attempts.length >= max) lock(s, now, rules);
      return s;
    });
    return { value: undefined, change: settle(states, now, rules) };
  };
}

/** The attempt succeeded: its reservation goes, and `clear` (the user name's key) forgets its failures. */
export function succeedStep(ticket: Ticket, clear: string, now: number, rules: LimitRules): LimitStep<void> {
  return (rows) => {
    const states = ticket.keys.map(({ key }) => {
      const s = current(rows.get(key), key, now, rules);
      if (key === clear) return { ...s, attempts: [], lockedUntil: 0, refused: 0 };
      const i = s.attempts.indexOf(ticket.at);
      if (i >= 0) s.attempts.splice(i, 1);
      return s;
    });
    return { value: undefined, change: settle(states, now, rules) };
  };
}

/**
 * The sign-in limiter over the store. What a step had to forget past `maxKeys` is logged (the
 * activity log and the process's log): locks forgotten early are a weakness an operator must see.
 */
export class FailureLimiter {
  constructor(
    private readonly access: WebAccess,
    private readonly rules: LimitRules,
    private readonly forgot: (pruned: number, now: number) => Promise<void> = async () => undefined,
  ) {}

  async attempt(keys: ReadonlyArray<LimitKey>, now: number): Promise<AttemptDecision> {
    const { value, pruned } = await this.access.limitStep(keys.map((k) => k.key), now, this.rules.maxKeys, attemptStep(keys, now, this.rules));
    if (pruned > 0) await this.forgot(pruned, now);
    return value;
  }

  async fail(ticket: Ticket, now: number): Promise<void> {
    await this.access.limitStep(ticket.keys.map((k) => k.key), now, this.rules.maxKeys, failStep(ticket, now, this.rules));
  }

  async succeed(ticket: Ticket, clear: string, now: number): Promise<void> {
    await this.access.limitStep(ticket.keys.map((k) => k.key), now, this.rules.maxKeys, succeedStep(ticket, clear, now, this.rules));
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
