// Retransmissions a NAS made new: RFC 2866 §5.2 has a NAS that retransmits an Accounting-Request
// raise its Acct-Delay-Time, which changes the packet and so its Identifier and Request
// Authenticator, and the duplicate cache (duplicates.ts) cannot know it. Such a request says what
// an earlier one of its sender said, attribute for attribute but for Acct-Delay-Time, the
// Message-Authenticator (a digest of the rest) and Proxy-State (a proxy's own state: one that
// relays the NAS's new request gives it a new one), about the same moment (its event time,
// received time less the delay, or its Event-Timestamp), with a longer delay. Without this it was
// stored again, a second session start or command.
//
// Requests are known by a 30-bit FNV-1a hash of those attributes (a small integer V8 keeps as it
// is), with their sender, moment and delay to check; a hash shared by two requests of one sender
// at one moment, one with a longer delay, is a 1-in-a-billion chance. The table adds no object a
// request: those fields are the duplicate cache's entry's own (duplicates.ts `Pending`, written
// for the garbage collector), chained under their hash. Bounded: two generations of `max / 2`
// requests each, the older dropped whole when the newer fills or is older than the time kept, so
// nothing is ordered or evicted one by one (bench:aaa's cost of it: BENCHMARKS.md, native26).

import { ATTR_MESSAGE_AUTHENTICATOR, ATTR_PROXY_STATE, type RadiusPacket } from './packet.js';
import type { Pending } from './duplicates.js';

const ATTR_ACCT_DELAY_TIME = 41;
/** Event times this close are one moment: a delay counts whole seconds, and the network adds its own. */
const SAME_MOMENT_MS = 1500;

/** The hash of a request's attributes but Acct-Delay-Time, Message-Authenticator and Proxy-State, each with its type and length. */
export function contentHash(p: RadiusPacket): number {
  const b = p.bytes;
  let h = 0x811c9dc5;
  for (const a of p.attributes) {
    if (a.vendor === undefined && (a.type === ATTR_ACCT_DELAY_TIME || a.type === ATTR_MESSAGE_AUTHENTICATOR || a.type === ATTR_PROXY_STATE)) continue;
    h = Math.imul(h ^ a.type, 0x01000193);
    h = Math.imul(h ^ (a.vendorType ?? 0x100), 0x01000193);
    for (let i = a.start; i < a.end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    h = Math.imul(h ^ (a.end - a.start), 0x01000193);
  }
  return h >>> 2;
}

export class DelayedRetransmissions {
  private current = new Map<number, Pending>();
  private previous = new Map<number, Pending>();
  private since = Number.NaN;
  /** Requests in the newer generation (a hash's chain counts each: one sender repeating itself fills it as fast as many). */
  private added = 0;
  /** The first request's time: moments are kept relative to it. */
  private epoch = Number.NaN;

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {
    if (!exercised) {
      exercised = true;
      exercise();
    }
  }

  /** The stored request that `hash` from `source` repeats with a longer delay, if one is known. */
  find(hash: number, source: string, eventAt: number, delay: number): Pending | undefined {
    const moment = eventAt - this.epoch;
    for (const map of [this.current, this.previous]) {
      for (let e = map.get(hash); e; e = e.nextSame) {
        if (e.source !== source || delay <= e.delay || Math.abs(e.moment - moment) > SAME_MOMENT_MS) continue;
        // One that could not be stored is no answer: the retransmission is stored in its place.
        if (e.answered || e.live) return e;
      }
    }
    return undefined;
  }

  /** A request being stored (the duplicate cache's entry for it), for its retransmissions to find. */
  add(hash: number, eventAt: number, delay: number, entry: Pending, now: number): void {
    if (Number.isNaN(this.since)) this.since = this.epoch = now;
    if (this.added >= this.max / 2 || now - this.since > this.ttlMs) {
      this.previous = this.current;
      this.current = new Map();
      this.since = now;
      this.added = 0;
    }
    this.added++;
    entry.moment = eventAt - this.epoch;
    entry.delay = delay;
    entry.nextSame = this.current.get(hash);
    this.current.set(hash, entry);
  }
}

let exercised = false;

/**
 * Every path, run once before the first table is used (as the duplicate cache's `exercise`): the
 * first turn of the generations, 32,768 requests or a minute in, would otherwise deoptimise the
 * request path that inlines `add`. Requests found in either generation, by a longer delay, not by
 * a shorter one or another moment, under shared hashes, with their first answered or not stored.
 */
function exercise(): void {
  const table = new DelayedRetransmissions(4, 8);
  const source = Buffer.from('192.0.2.1').toString('latin1');
  const entry = (answered: boolean, live: boolean): Pending => ({
    key: 0, next: undefined, at: 0, answered, waiters: undefined, source, peer: 1, request: source, live, moment: 0, delay: 0, nextSame: undefined,
  });
  for (let i = 0; i < 200; i++) {
    const hash = i & 3;
    table.add(hash, i * 1000, i & 1, entry((i & 2) === 0, (i & 4) === 0), i * 3);
    table.find(hash, source, i * 1000, 2);
    table.find(hash, source, i * 1000 + 5000, 2);
    table.find(hash ^ 1, source, i * 1000, 0);
  }
}
