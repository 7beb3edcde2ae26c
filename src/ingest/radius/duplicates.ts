// Retransmissions: a RADIUS client that hears no answer sends the same request again (same source
// address and port, Identifier and Request Authenticator: RFC 5080 §2.2.2). A retransmission is
// never stored twice: while the first is being stored it waits for the same answer, and once
// answered it gets the same answer again. Bounded in entries and in time: the oldest answered
// entries go first; one still being stored is kept until it is answered (and while every entry
// waits for its commit, the cache holds as many more than its bound as the receiver lets wait).
//
// An entry is found by a key and then checked to be for the same request (its sender and its
// octets 1–19): the receiver keys by a number taken from the Request Authenticator, which hashes
// without a string being built for it (see radius/requests.ts). Two requests under one key (a
// collision of the number) are told apart by that check; the later one takes the key, and the
// earlier is forgotten early, as if it had aged out: a retransmission of it would be stored again,
// never lost.

import { ArrivalOrder } from '../../../parsers/lib/arrival-order.js';

/** Who sent a request: its address, and what tells two senders behind it apart (a UDP port, a connection). */
export interface Sent {
  source: string;
  peer: string | number;
}

export interface Pending {
  at: number;
  /**
   * Answered. The answer itself is not kept: it depends only on the request's Identifier and
   * Request Authenticator, which a retransmission repeats, and the shared secret, so it is made
   * again from the retransmission, byte for byte the same. 65,536 entries held a 20-byte Buffer
   * each (an object and a share of an 8 KiB pool slab) for the garbage collector to trace.
   */
  answered: boolean;
  /** Retransmissions that arrived while it was being stored, to answer with it (made for the first). */
  waiters: Array<{ reply(response: Buffer): void }> | undefined;
  /** Which request it is, besides its key: its sender, and its octets as the receiver gave them. */
  source: string;
  peer: string | number;
  request: string;
}

/**
 * Entries still being stored stepped over for one new request. Commits come in arrival order, so
 * the oldest entry waiting for one usually means every later one waits too: a few looks suffice.
 */
const KEPT_PER_REQUEST = 8;

export class DuplicateCache {
  private readonly entries = new ArrivalOrder<Pending, number>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The request this one (from `from`, with octets `request`) repeats, if it was seen within the time kept. */
  find(key: number, now: number, from: Sent, request: string): Pending | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.at > this.ttlMs && e.answered) {
      this.entries.delete(key);
      return undefined;
    }
    return e.request === request && e.peer === from.peer && e.source === from.source ? e : undefined;
  }

  /**
   * A new request being stored; the expired and, when full, the oldest answered entries make room.
   * Another request under the same key is forgotten (see above).
   */
  begin(key: number, now: number, from: Sent, request: string): Pending {
    let kept = 0;
    for (let o = this.entries.oldest(); o && kept < KEPT_PER_REQUEST; o = this.entries.oldest()) {
      if (now - o.value.at <= this.ttlMs && this.entries.size < this.max) break;
      if (!o.value.answered) {
        // Still being stored: it goes behind the rest, to be forgotten once answered.
        this.entries.set(o.key, o.value);
        kept++;
        continue;
      }
      this.entries.delete(o.key);
    }
    const e: Pending = { at: now, answered: false, waiters: undefined, source: from.source, peer: from.peer, request };
    this.entries.set(key, e);
    return e;
  }

  /** Stored and answered: retransmissions waiting get the same answer, later ones it made again. */
  answered(e: Pending, response: Buffer): void {
    e.answered = true;
    const waiters = e.waiters;
    e.waiters = undefined;
    if (waiters) for (const w of waiters) w.reply(response);
  }

  /** `e` was not stored: forgotten, so a retransmission is tried again as new (unless another request has taken its key since). */
  failed(key: number, e: Pending): void {
    if (this.entries.get(key) === e) this.entries.delete(key);
  }
}
