// The arrival order of a bounded table whose entries say themselves whether they are still in it
// (RADIUS's duplicate cache and open sessions): an array of the entries from a moving head, those
// no longer live skipped once and dropped as the array is compacted. No wrapper per entry and no
// key kept twice, as the tables' entries are what the garbage collector traces most under load.

export class LiveOrder<T extends { live: boolean }> {
  private entries: T[] = [];
  private head = 0;

  /** The oldest live entry, or undefined when there is none. */
  oldest(): T | undefined {
    while (this.head < this.entries.length) {
      const e = this.entries[this.head]!;
      if (e.live) return e;
      this.head++;
    }
    return undefined;
  }

  /** Step past the oldest entry (`oldest`): forgotten, or pushed again behind the rest. */
  dropOldest(): void {
    this.head++;
  }

  /** `e` as the newest; `live` is how many entries of the table are live. */
  push(e: T, live: number): void {
    this.entries.push(e);
    // Amortised O(1): each compaction at least halves the array it walks.
    const waiting = this.entries.length - this.head;
    if (waiting > 2 * live + 64) {
      this.entries = this.entries.slice(this.head).filter((x) => x.live);
      this.head = 0;
    } else if (this.head > 1024 && this.head > waiting) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
