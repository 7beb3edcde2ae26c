// Entries by key in the order they were set, for the bounded tables that forget their oldest first
// (the sign-in limiter, auditd's pending syscalls,
// Comware's local-user views; a key set again on use makes it least-recently-used). A Map alone
// keeps that order, but V8 keeps a deleted entry as a hole until the Map is rebuilt, and every walk
// from the front steps over all of them: with the duplicate cache full, forgetting the oldest entry
// for each new request took 42% of the receiver's CPU (60,000 requests in-process, 55–73 µs a
// request against 25 before it was full).
// Here the order is an array walked from a moving head; stale places (a key set again, or
// deleted) are skipped once and dropped as the array is compacted.

interface Place<V, K> {
  key: K;
  value: V;
}

/** Keys are strings, or numbers where a table makes its own (a number hashes without being built and read as text). */
export class ArrivalOrder<V, K extends string | number = string> {
  private readonly byKey = new Map<K, Place<V, K>>();
  private order: Array<Place<V, K>> = [];
  private head = 0;

  get size(): number {
    return this.byKey.size;
  }

  get(key: K): V | undefined {
    return this.byKey.get(key)?.value;
  }

  /** Set `key` as the newest entry (a key set again moves to the end). */
  set(key: K, value: V): void {
    const place = { key, value };
    this.byKey.set(key, place);
    this.order.push(place);
    this.compact();
  }

  delete(key: K): void {
    this.byKey.delete(key);
  }

  /** The oldest entry, or undefined when empty. */
  oldest(): { key: K; value: V } | undefined {
    while (this.head < this.order.length) {
      const place = this.order[this.head]!;
      if (this.byKey.get(place.key) === place) return place;
      this.head++;
    }
    return undefined;
  }

  /** Forget the oldest entries until at most `max` remain. */
  bound(max: number): void {
    while (this.byKey.size > max) this.byKey.delete(this.oldest()!.key);
  }

  keys(): IterableIterator<K> {
    return this.byKey.keys();
  }

  /** Amortised O(1): each compaction at least halves the array it walks. */
  private compact(): void {
    const live = this.order.length - this.head;
    if (live > 2 * this.byKey.size + 64) {
      this.order = this.order.slice(this.head).filter((p) => this.byKey.get(p.key) === p);
      this.head = 0;
    } else if (this.head > 1024 && this.head > live) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
