// What the store thread writes with a batch and what it holds to write later with other batches'
// (writer-worker.ts, COUNTS_MS): traffic rows are held, and on SQLite the sender rows
// (device_senders) too. Last-heard rows (device_activity) stay with their batch: reconciliation
// reads them for telemetry gaps. An aaa-only batch of 500 records names ~300 devices, each a sender
// upsert (with RETURNING, and a trim when the sender is new) every batch; once a second instead,
// merged: without them the store thread spent 3.3 µs less per record (median of three pairs,
// 50.2 → 44.4, 41.8 → 38.5, 44.0 → 43.2; shared machine, preliminary). The sender check and the
// pages see a sender a second later at most. PostgreSQL merges these rows per transaction already
// (pg/group-counts.ts) and takes no rows apart.

import type { IngestBatch } from './batch.js';

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
