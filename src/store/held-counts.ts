// What the store thread writes with a batch and what it holds to write later with other batches'
// (writer-worker.ts, COUNTS_MS): traffic rows are held, and on SQLite the sender rows
// (device_senders) too, and the last-heard rows (device_activity) of devices that have one already
// (HeardDevices, below): reconciliation reads them for telemetry gaps, so a device's first row goes
// with its batch. An aaa-only batch of 500 records names ~300 devices, each a sender
// upsert (with RETURNING, and a trim when the sender is new) every batch; once a second instead,
// merged: without them the store thread spent 3.3 µs less per record (median of three pairs,
// 50.2 → 44.4, 41.8 → 38.5, 44.0 → 43.2; shared machine, preliminary). The sender check and the
// pages see a sender a second later at most. PostgreSQL merges these rows per transaction already
// (pg/group-counts.ts) and takes no rows apart.

import type { ActivityRow, IngestBatch } from './batch.js';

export interface Split {
  /** Written in its own transaction (or its group's). */
  batch: IngestBatch;
  /** Held; undefined when there is nothing to hold. */
  counts: IngestBatch | undefined;
}

/** `all` as the store thread writes it: `sendersApart` on SQLite. */
export function splitCounts(all: IngestBatch, sendersApart: boolean): Split {
  const senders = sendersApart ? all.activity.filter((a) => a.source !== null) : [];
  if (all.traffic.length === 0 && senders.length === 0) return { batch: all, counts: undefined };
  // Split once, here: a PostgreSQL store recognises a batch tried again by the object itself.
  const counts: IngestBatch = {
    records: [], messages: [], hour: all.hour, traffic: all.traffic, activity: [], rejects: [], unknowns: [], counters: [], gauges: [],
    ...(sendersApart ? { senders } : {}),
  };
  return { batch: { ...all, traffic: [], ...(sendersApart ? { senders: [] } : {}) }, counts };
}

/**
 * Devices this store thread has written a last-heard row for (device_activity), and the split of
 * a transaction's last-heard rows by them. A device's first row goes with its batch, so
 * reconciliation never reads a device heard as unheard; a known device's later rows (a newer
 * last_seen, another sender) are held with the traffic rows and written a second later at most.
 * Upserting every known device every batch was ~1.4 µs a record of this thread on aaa-only (0.61
 * rows a record; insert14, 2026-12-05). Nothing deletes device_activity rows, so a device known
 * stays known; the set is emptied once it holds MAX_KNOWN and nothing is held (then its devices'
 * next rows go with their batches again, which is exact, only dearer).
 */
export class HeardDevices {
  private readonly known = new Set<string>();

  /**
   * `group`'s batches with the last-heard rows of devices not yet known (every row of such a device
   * in the first batch that names it), the other rows apart in `held` (undefined when none), and
   * `learn`, to call once the transaction that writes `batches` committed: a group that fails is
   * split the same way when it is tried again.
   */
  split(group: readonly IngestBatch[]): { batches: IngestBatch[]; held: IngestBatch | undefined; learn: () => void } {
    const firstIn = new Map<string, number>();
    const held: ActivityRow[] = [];
    const batches = group.map((b, i) => {
      if (b.activity.length === 0) return b;
      const direct: ActivityRow[] = [];
      for (const a of b.activity) {
        if (this.known.has(a.device)) held.push(a);
        else {
          const first = firstIn.get(a.device);
          if (first === undefined) firstIn.set(a.device, i);
          if (first === undefined || first === i) direct.push(a);
          else held.push(a);
        }
      }
      return direct.length === b.activity.length ? b : { ...b, activity: direct };
    });
    return {
      batches,
      held: held.length
        ? { records: [], messages: [], hour: group[0]!.hour, traffic: [], activity: held, rejects: [], unknowns: [], counters: [], gauges: [] }
        : undefined,
      learn: () => {
        for (const device of firstIn.keys()) this.known.add(device);
      },
    };
  }

  /** Nothing is held: the set may be emptied if it grew to its bound. */
  settled(): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
  }
}

/**
 * Devices remembered as having a last-heard row: a few MB of names at most. Device names come from
 * what devices send, so a flood of made-up names must not grow the set without end.
 */
export const MAX_KNOWN = 100_000;
