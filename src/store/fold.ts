// Batches that cannot be queued for the store (its backlog is at its bound, because it is slow or
// cannot write) are folded into one: their records and messages are dropped and counted, and what
// describes the traffic (counters, per-device traffic, last heard, rejects kept, unknown types,
// native senders) is merged, so memory stays bounded however long the store is held up and the
// counts still reach the store when it catches up.

import type { ActivityRow, IngestBatch, NativeRow, UnknownRow } from './batch.js';

/** The batch as it can wait: no records or messages, their number added to `droppedAs`. */
export function withoutRecords(b: IngestBatch, droppedAs: string): IngestBatch {
  const dropped = b.records.length + b.messages.length;
  if (dropped === 0) return b;
  return { ...b, records: [], messages: [], counters: [...b.counters, [droppedAs, dropped]] };
}

const keyed = <T>(rows: readonly T[], key: (r: T) => string): Map<string, T> => new Map(rows.map((r) => [key(r), { ...r }]));

/**
 * `later` folded into `earlier` (both without records; the same traffic hour, see `sameHour`).
 * Rejects keep the newest `keepRejects`.
 */
export function fold(earlier: IngestBatch, later: IngestBatch, keepRejects: number): IngestBatch {
  const counters = new Map(earlier.counters);
  for (const [name, n] of later.counters) counters.set(name, (counters.get(name) ?? 0) + n);
  const gauges = new Map([...earlier.gauges, ...later.gauges]);

  const traffic = keyed(earlier.traffic, (t) => `${t.device}\u0000${t.program}`);
  for (const t of later.traffic) {
    const k = `${t.device}\u0000${t.program}`;
    const had = traffic.get(k);
    if (had) {
      had.messages += t.messages;
      had.recognised += t.recognised;
    } else traffic.set(k, { ...t });
  }

  const activity = keyed<ActivityRow>(earlier.activity, (a) => `${a.device}\u0000${a.source ?? ''}`);
  for (const a of later.activity) {
    const k = `${a.device}\u0000${a.source ?? ''}`;
    const had = activity.get(k);
    if (had) {
      had.first = Math.min(had.first, a.first);
      had.last = Math.max(had.last, a.last);
    } else activity.set(k, { ...a });
  }

  const unknowns = keyed<UnknownRow>(earlier.unknowns, (u) => `${u.device}\u0000${u.type}`);
  for (const u of later.unknowns) {
    const k = `${u.device}\u0000${u.type}`;
    const had = unknowns.get(k);
    if (had) {
      had.count += u.count;
      had.first = Math.min(had.first, u.first);
      had.last = Math.max(had.last, u.last);
      had.example = u.example;
    } else unknowns.set(k, { ...u });
  }

  const pair = (n: NativeRow): string => `${n.transport}\u0000${n.source}\u0000${n.device}`;
  const native = keyed<NativeRow>(earlier.native ?? [], pair);
  for (const n of later.native ?? []) {
    const k = pair(n);
    const had = native.get(k);
    if (had) {
      had.last = Math.max(had.last, n.last);
      had.accepted += n.accepted;
      had.badKey += n.badKey;
      had.refused += n.refused;
      had.named += n.named;
      had.lastAccepted = n.lastAccepted ?? had.lastAccepted;
      had.lastBadKey = n.lastBadKey ?? had.lastBadKey;
      had.lastNamed = n.lastNamed ?? had.lastNamed;
      had.malformed += n.malformed;
      if (n.lastMalformed !== null) {
        had.lastMalformed = n.lastMalformed;
        had.lastMalformedReason = n.lastMalformedReason;
      }
    } else native.set(k, { ...n });
  }

  const rejects = [...earlier.rejects, ...later.rejects];
  return {
    records: [],
    messages: [],
    hour: earlier.traffic.length ? earlier.hour : later.hour,
    traffic: [...traffic.values()],
    rejects: rejects.length > keepRejects ? rejects.slice(rejects.length - keepRejects) : rejects,
    unknowns: [...unknowns.values()],
    activity: [...activity.values()],
    native: native.size ? [...native.values()] : undefined,
    resends: undefined,
    counters: [...counters],
    gauges: [...gauges],
  };
}

/** Traffic rows belong to their batch's hour: batches of different hours are not folded together. */
export const sameHour = (a: IngestBatch, b: IngestBatch): boolean => a.hour === b.hour || a.traffic.length === 0 || b.traffic.length === 0;
