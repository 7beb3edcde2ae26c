// How a batch crosses from the reading thread to the store thread (ThreadSink → writer-worker):
// postMessage copies what it is given by structured clone, which rebuilds every object on the far
// side one property at a time. The counts' batch (once a second, writer.ts COUNTS_MS) carries a
// traffic row and a last-heard row per device heard (on an aaa-only feed, up to 2,800 of each), and
// cloning those objects cost more than everything else posted (measured when every batch of 500
// messages carried ~300 of each). So those rows, and messages, cross as
// JSON text (flat arrays, no keys), which V8 writes and reads back faster than it clones objects.
// Records (RecordLine, already text) cross as the array of their strings: cloning 500 strings cost
// less on both sides than joining them into one and splitting it again (per aaa-only message,
// reading thread 0.90–1.03 → 0.58–0.67 µs, store thread 1.02–1.11 → 0.43–0.49 µs, with the rows as
// JSON; shared machine, preliminary).

import type { ActivityRow, IngestBatch, MessageRow, TrafficRow } from './batch.js';

/** A batch as posted to the store thread. */
export type WireBatch = Omit<IngestBatch, 'messages' | 'traffic' | 'activity'> & {
  /** JSON: MessageRow[]. */
  messages: string;
  /** JSON: device, program, messages, recognised, for each traffic row in turn. */
  traffic: string;
  /** JSON: device, source, first, last, for each last-heard row in turn; first and last less `activityFrom`. */
  activity: string;
  /** What the activity rows' times are counted from (see `activityFrom`). */
  activityFrom: number;
};

const HOUR_MS = 3_600_000;

/**
 * Last-heard times go as ms past the start of the batch's hour, where every one of them falls
 * (the writer hands a batch over when the hour turns): small whole numbers, which V8 writes and
 * reads back as such, where an epoch ms is a double to format and parse: fromWire 0.55 → 0.35 µs a
 * message on aaa-only, 0.40 → 0.31 on mixed-random (the store thread's side); the writer's counting
 * and toWire 0.98× and 0.85× (in-process, alternated, 2026-12-05, load 7). A time that would not
 * come back exactly (not a safe whole number) keeps every time of its batch whole.
 */
function activityFrom(b: IngestBatch): number {
  const from = b.hour * HOUR_MS;
  if (!Number.isSafeInteger(from)) return 0;
  for (const a of b.activity) {
    if (!Number.isSafeInteger(a.first) || !Number.isSafeInteger(a.last) || !Number.isSafeInteger(a.first - from) || !Number.isSafeInteger(a.last - from)) return 0;
  }
  return from;
}

export function toWire(b: IngestBatch): WireBatch {
  const traffic: Array<string | number> = new Array<string | number>(b.traffic.length * 4);
  let i = 0;
  for (const t of b.traffic) {
    traffic[i++] = t.device;
    traffic[i++] = t.program;
    traffic[i++] = t.messages;
    traffic[i++] = t.recognised;
  }
  const activity: Array<string | number | null> = new Array<string | number | null>(b.activity.length * 4);
  const from = activityFrom(b);
  i = 0;
  for (const a of b.activity) {
    activity[i++] = a.device;
    activity[i++] = a.source;
    activity[i++] = a.first - from;
    activity[i++] = a.last - from;
  }
  return {
    ...b,
    messages: JSON.stringify(b.messages),
    traffic: JSON.stringify(traffic),
    activity: JSON.stringify(activity),
    activityFrom: from,
  };
}

/** The batch `toWire` made `w` from. Throws on text that is not what `toWire` writes. */
export function fromWire(wire: WireBatch): IngestBatch {
  const { activityFrom: from, ...w } = wire;
  const t = JSON.parse(w.traffic) as Array<string | number>;
  const traffic: TrafficRow[] = new Array<TrafficRow>(t.length / 4);
  for (let i = 0, k = 0; i < t.length; i += 4) {
    traffic[k++] = { device: t[i] as string, program: t[i + 1] as string, messages: t[i + 2] as number, recognised: t[i + 3] as number };
  }
  const a = JSON.parse(w.activity) as Array<string | number | null>;
  const activity: ActivityRow[] = new Array<ActivityRow>(a.length / 4);
  for (let i = 0, k = 0; i < a.length; i += 4) {
    activity[k++] = { device: a[i] as string, source: a[i + 1] as string | null, first: (a[i + 2] as number) + from, last: (a[i + 3] as number) + from };
  }
  return {
    ...w,
    messages: JSON.parse(w.messages) as MessageRow[],
    traffic,
    activity,
  };
}
