// Retransmissions: a RADIUS client that hears no answer sends the same request again (same source
// address and port, Identifier and Request Authenticator: RFC 5080 §2.2.2). A retransmission is
// never stored twice: while the first is being stored it waits for the same answer, and once
// answered it gets the answer from this cache. Bounded in entries and in time.

export interface Pending {
  at: number;
  /** The answer once sent; undefined while the request is being stored. */
  response: Buffer | undefined;
  /** Retransmissions that arrived while it was being stored, to answer with it. */
  waiters: Array<(response: Buffer) => void>;
}

export class DuplicateCache {
  private readonly entries = new Map<string, Pending>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The request this one repeats, if it was seen within the time kept. */
  find(key: string, now: number): Pending | undefined {
    const e = this.entries.get(key);
    if (e && now - e.at > this.ttlMs && e.response !== undefined) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** A new request being stored; the oldest answered entries make room when full (the receiver bounds those still being stored). */
  begin(key: string, now: number): Pending {
    this.expire(now);
    if (this.entries.size >= this.max) {
      for (const [k, e] of this.entries) {
        if (e.response === undefined) continue;
        this.entries.delete(k);
        if (this.entries.size < this.max) break;
      }
    }
    const e: Pending = { at: now, response: undefined, waiters: [] };
    this.entries.set(key, e);
    return e;
  }

  /** Stored and answered: retransmissions waiting get the same answer, later ones the cached one. */
  answered(e: Pending, response: Buffer): void {
    e.response = response;
    for (const w of e.waiters.splice(0)) w(response);
  }

  /** Not stored: forgotten, so a retransmission is tried again as new. */
  failed(key: string): void {
    this.entries.delete(key);
  }

  private expire(now: number): void {
    // Insertion order is arrival order: the expired ones are at the front.
    for (const [k, e] of this.entries) {
      if (now - e.at <= this.ttlMs) break;
      if (e.response !== undefined) this.entries.delete(k);
    }
  }
}
