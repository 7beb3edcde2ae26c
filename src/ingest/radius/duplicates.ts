// Retransmissions: a RADIUS client that hears no answer sends the same request again (same source
// address and port, Identifier and Request Authenticator: RFC 5080 §2.2.2). A retransmission is
// never stored twice: while the first is being stored it waits for the same answer, and once
// answered it gets the same answer again. Bounded in entries and in time: the oldest answered
// entries go first; one still being stored is kept until it is answered (and while every entry
// waits for its commit, the cache holds as many more than its bound as the receiver lets wait).
//
// An entry is found by a key and then checked to be for the same request (its sender and its
// octets 1–19): the receiver keys by a number taken from the Request Authenticator, which hashes
// without a string being built for it (see radius/requests.ts). Requests under one key (a
// collision of the number) are chained and told apart by that check, so none is forgotten early.
//
// Written for the garbage collector: the cache holds ~65,536 entries that each request renews, so
// each entry is one object (and its octets' string), with its key and time small integers that V8
// keeps inside it, and the arrival order is an array of the entries themselves (live-order.ts). With a Map of
// 52-bit keys (a heap number each), a wrapper per entry and the time as a heap number, an entry
// was five objects that every scavenge copied and every major collection marked.

import { LiveOrder } from './live-order.js';

/** Who sent a request: its address, and what tells two senders behind it apart (a UDP port, a connection). */
export interface Sent {
  source: string;
  peer: string | number;
}

export interface Pending {
  /** Its key, and the next entry under the same key. */
  readonly key: number;
  next: Pending | undefined;
  /** When it arrived, in ms since the cache's first request (a small integer for 12 days, then a heap number; correct either way). */
  at: number;
  /**
   * Answered. The answer itself is not kept: it depends only on the request's Identifier, Request
   * Authenticator and Proxy-States, which a retransmission repeats, and the shared secret, so it is
   * made again from the retransmission, byte for byte the same. 65,536 entries held a 20-byte Buffer
   * each (an object and a share of an 8 KiB pool slab) for the garbage collector to trace.
   */
  answered: boolean;
  /** Retransmissions that arrived while it was being stored, to answer with it (made for the first). */
  waiters: Array<{ reply(response: Buffer): void }> | undefined;
  /** Which request it is, besides its key: its sender, and its octets as the receiver gave them. */
  readonly source: string;
  readonly peer: string | number;
  readonly request: string;
  /** Still in the cache: false once forgotten (its place in the arrival order is then skipped). */
  live: boolean;
  /**
   * What tells a retransmission a longer Acct-Delay-Time made new (delayed.ts, which sets them and
   * keys them by the hash of its attributes): its moment (ms since that table's first request), its
   * delay, and the next request under the same hash. Kept here so that a request is still one object.
   */
  moment: number;
  delay: number;
  nextSame: Pending | undefined;
}

/**
 * Entries still being stored stepped over for one new request. Commits come in arrival order, so
 * the oldest entry waiting for one usually means every later one waits too: a few looks suffice.
 */
const KEPT_PER_REQUEST = 8;

export class DuplicateCache {
  private readonly byKey = new Map<number, Pending>();
  private readonly order = new LiveOrder<Pending>();
  private count = 0;
  /** The first request's time: entries keep theirs relative to it. */
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

  get size(): number {
    return this.count;
  }

  private since(now: number): number {
    if (Number.isNaN(this.epoch)) this.epoch = now;
    return now - this.epoch;
  }

  /** The request this one (from `from`, with octets `request`) repeats, if it was seen within the time kept. */
  find(key: number, now: number, from: Sent, request: string): Pending | undefined {
    for (let e = this.byKey.get(key); e; e = e.next) {
      if (e.request !== request || e.peer !== from.peer || e.source !== from.source) continue;
      if (this.since(now) - e.at > this.ttlMs && e.answered) {
        this.forget(e);
        return undefined;
      }
      return e;
    }
    return undefined;
  }

  /** A new request being stored; the expired and, when full, the oldest answered entries make room. */
  begin(key: number, now: number, from: Sent, request: string): Pending {
    const at = this.since(now);
    let kept = 0;
    for (let o = this.order.oldest(); o && kept < KEPT_PER_REQUEST; o = this.order.oldest()) {
      if (at - o.at <= this.ttlMs && this.count < this.max) break;
      this.order.dropOldest();
      if (!o.answered) {
        // Still being stored: it goes behind the rest, to be forgotten once answered.
        this.order.push(o, this.count);
        kept++;
        continue;
      }
      this.forget(o);
    }
    const e: Pending = {
      key, next: this.byKey.get(key), at, answered: false, waiters: undefined, source: from.source, peer: from.peer, request, live: true,
      moment: 0, delay: 0, nextSame: undefined,
    };
    this.byKey.set(key, e);
    this.count++;
    this.order.push(e, this.count);
    return e;
  }

  /** Stored and answered: retransmissions waiting get the same answer, later ones it made again. */
  answered(e: Pending, response: Buffer): void {
    e.answered = true;
    const waiters = e.waiters;
    e.waiters = undefined;
    if (waiters) for (const w of waiters) w.reply(response);
  }

  /** `e` was not stored: forgotten, so a retransmission is tried again as new. */
  failed(e: Pending): void {
    if (e.live) this.forget(e);
  }

  /** Out of its key's chain and of the count; its place in the order is skipped later. */
  private forget(e: Pending): void {
    e.live = false;
    this.count--;
    const first = this.byKey.get(e.key);
    if (first === e) {
      if (e.next) this.byKey.set(e.key, e.next);
      else this.byKey.delete(e.key);
    } else {
      let p = first;
      while (p && p.next !== e) p = p.next;
      if (p) p.next = e.next;
    }
    e.next = undefined;
  }
}

let exercised = false;

/**
 * Every path of the cache, run once before the first cache is used, on a small cache of its own.
 * V8 optimises a function with the paths that ran before, and a path first taken later deoptimises
 * it and every function it was inlined into: the first eviction (60 s or 65,536 requests in) and
 * the first key shared by two requests threw away the optimised request path (`accounting`, which
 * inlines the cache; recompiled in 120–150 ms of a V8 helper thread under radclient load, and the
 * rounds with such recompiles cost the helper threads 7–13 µs a request against 2.5; BENCHMARKS.md
 * ckpt17, rad18). 1,100 requests: entries evicted by count and by time, kept while being stored,
 * found, answered with retransmissions waiting, failed, chained under one key and forgotten from
 * its middle, found once expired; the arrival order compacted both ways (live-order.ts).
 */
function exercise(): void {
  const cache = new DuplicateCache(4, 8);
  // Strings made at run time, as a request's are: literals are internalised, and a comparison
  // that has seen only those deoptimises at the first string that is not.
  const text = (s: string): string => Buffer.from(s).toString('latin1');
  const from: Sent = { source: text('192.0.2.1'), peer: 1 };
  const waiter = { reply: (): void => undefined };
  const response = Buffer.alloc(20);
  const octets = ['a', 'b', 'c', 'd'].map(text);
  const storing: Pending[] = [];
  let now = 0;
  for (let i = 0; i < 1100; i++) {
    // Now and then a pause longer than the time kept; two requests after each other share a key.
    now += i % 10 === 0 ? 9 : 1;
    const key = (i >> 1) & 7;
    const request = octets[i & 3]!;
    cache.find(key, now, from, request);
    const e = cache.begin(key, now, from, request);
    if (i % 5 === 0) {
      cache.failed(e);
      continue;
    }
    (cache.find(key, now, from, request)!.waiters ??= []).push(waiter);
    storing.push(e);
    if (storing.length > i % 3) cache.answered(storing.shift()!, response);
  }
  for (const e of storing) cache.answered(e, response);
  for (let i = 0; i < 2; i++) {
    now += 10;
    const chain = octets.map((request) => cache.begin(8, now, from, request));
    cache.failed(chain[0]!);
    for (const e of chain.slice(1)) cache.answered(e, response);
    cache.find(8, now + 9, from, octets[1]!);
  }
}
