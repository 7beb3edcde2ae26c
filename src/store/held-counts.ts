// What the store thread writes with a batch and what it holds to write later with other batches'
// (writer-worker.ts, COUNTS_MS): traffic rows are held, and on SQLite the sender rows
// (device_senders) too, and the last-heard rows (device_activity) of devices that have one already
// (HeardDevices, below): reconciliation reads them for telemetry gaps, so a device's first row goes
// with its batch. An aaa-only batch of 500 records names ~300 devices, each a sender
// row written (an insert and a trim when the sender is new) every batch; once a second instead,
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
 * The split of a transaction's last-heard rows (device_activity) into those written with their
 * batch and those held with the traffic rows, written a second later at most. A device's row goes
 * with its batch when the store thread has written none of it yet (a device heard for the first
 * time, as far as this thread knows), or when the device was last heard a minute or more before
 * it by their times (RESUMED_MS) and none of its rows is held: so reconciliation never reads a
 * device heard as unheard, nor as silent once it is heard again. Its other rows are held, and a
 * device heard all the time is upserted once a second: upserting every device every batch was
 * ~1.4 µs a record of this thread on aaa-only (0.61 rows a record; insert14, 2026-12-05). Writing
 * a device's first row after each second's held rows with its batch instead kept half of that
 * (bench:store 18.8 and 18.7 against 17.3 and 17.0 µs a record, base 19.4 and 19.1; WAL pages
 * 0.105 against 0.096, base 0.107; 2026-12-05, load 5–15): a second's first rows of 2,800 devices
 * fall over a dozen commits, each touching most of device_activity's pages. Held rows go in the
 * order heard, after every row of their device written before them, so the table ends as with
 * every row written with its batch.
 */
export class HeardDevices {
  /** Devices with a row written or held by this thread: when each was last heard. */
  private known = new Map<string, number>();
  /** Devices with a row held, not yet written. */
  private pending = new Set<string>();

  /**
   * `group`'s batches with the last-heard rows they write, the rest apart in `held` (undefined when
   * none), and `learn`, to call once the transaction that writes `batches` committed: a group that
   * fails is split the same way when it is tried again.
   */
  split(group: readonly IngestBatch[]): { batches: IngestBatch[]; held: IngestBatch | undefined; learn: () => void } {
    const last = new Map<string, number>();
    const heldNow = new Set<string>();
    const held: ActivityRow[] = [];
    const batches = group.map((b) => {
      if (b.activity.length === 0) return b;
      const direct: ActivityRow[] = [];
      for (const a of b.activity) {
        const was = last.get(a.device) ?? this.known.get(a.device);
        if (was !== undefined && (a.first - was < RESUMED_MS || heldNow.has(a.device) || this.pending.has(a.device))) {
          held.push(a);
          heldNow.add(a.device);
        } else direct.push(a);
        last.set(a.device, was === undefined || a.last > was ? a.last : was);
      }
      return direct.length === b.activity.length ? b : { ...b, activity: direct };
    });
    return {
      batches,
      held: held.length
        ? { records: [], messages: [], hour: group[0]!.hour, traffic: [], activity: held, rejects: [], unknowns: [], counters: [], gauges: [] }
        : undefined,
      learn: () => {
        for (const [device, at] of last) this.known.set(device, at);
        for (const device of heldNow) this.pending.add(device);
      },
    };
  }

  /**
   * The held rows were written (or given up with the counts they rode with). The devices known are
   * forgotten past MAX_KNOWN, now that none is held: their next rows go with their batches again.
   */
  settled(): void {
    if (this.pending.size > 0) this.pending = new Set();
    if (this.known.size >= MAX_KNOWN) this.known = new Map();
  }
}

/** A device last heard this long before a row of it (by their times) is written with the row's batch, unless a row of it is held. */
export const RESUMED_MS = 60_000;

/** Devices remembered: a few MB at most, however many made-up device names a flood brings. */
export const MAX_KNOWN = 100_000;
