// Who gets a connection slot on a TCP or TLS listener, so that one sender cannot starve the rest:
// a source holds at most its own cap of connections; when the whole table is full, a newcomer
// takes the slot of the connection quiet longest among the sources holding most (a host that
// opened hundreds of half frames loses its own first). Pure: the listener does the closing.

export interface AdmissionLimits {
  maxConnections: number;
  maxConnectionsPerSource: number;
}

/** One admitted connection. `lastActive` (epoch ms) is kept current by the listener as it makes progress (syslog: whole frames, not bytes). */
export interface Slot<T> {
  readonly source: string;
  readonly conn: T;
  lastActive: number;
}

export type Admission<T> =
  | { admitted: true; slot: Slot<T>; evicted: Slot<T> | undefined }
  | { admitted: false; reason: 'source-connection-limit' | 'connection-limit' };

/**
 * A connection that made progress this recently is not closed to make room: bytes of it may
 * still be on their way (a plain TCP sender counts them as delivered), and a busy sender is not the
 * one starving the others. When every connection is this busy, the newcomer is refused instead.
 * Progress is what the listener says it is: for syslog a whole frame, since a byte of half a frame
 * every 300 ms kept a full table's every slot "busy" and locked newcomers out.
 */
export const EVICT_QUIET_MS = 1000;

export class ConnectionTable<T> {
  private readonly bySource = new Map<string, Set<Slot<T>>>();
  private count = 0;

  constructor(private readonly limits: AdmissionLimits) {}

  get size(): number {
    return this.count;
  }

  /**
   * A new connection from `source`. `mayEvict` is false while the listener is not reading (the
   * store is behind): a connection not read lately may then hold bytes not yet read.
   */
  admit(source: string, conn: T, now: number, mayEvict: boolean): Admission<T> {
    const own = this.bySource.get(source);
    if (own && own.size >= this.limits.maxConnectionsPerSource) return { admitted: false, reason: 'source-connection-limit' };
    let evicted: Slot<T> | undefined;
    if (this.count >= this.limits.maxConnections) {
      evicted = mayEvict ? this.victim(now) : undefined;
      if (!evicted) return { admitted: false, reason: 'connection-limit' };
      this.remove(evicted);
    }
    const slot: Slot<T> = { source, conn, lastActive: now };
    let set = this.bySource.get(source);
    if (!set) this.bySource.set(source, (set = new Set()));
    set.add(slot);
    this.count++;
    return { admitted: true, slot, evicted };
  }

  /** A connection gone (closed by either end); removing one twice is harmless. */
  remove(slot: Slot<T>): void {
    const set = this.bySource.get(slot.source);
    if (!set?.delete(slot)) return;
    this.count--;
    if (set.size === 0) this.bySource.delete(slot.source);
  }

  /** The quiet connection to close: of the sources holding most connections, the one quiet longest. */
  private victim(now: number): Slot<T> | undefined {
    let best: Slot<T> | undefined;
    let bestHeld = 0;
    for (const set of this.bySource.values()) {
      if (set.size < bestHeld) continue;
      for (const s of set) {
        if (now - s.lastActive < EVICT_QUIET_MS) continue;
        if (!best || set.size > bestHeld || s.lastActive < best.lastActive) {
          best = s;
          bestHeld = set.size;
        }
      }
    }
    return best;
  }
}
