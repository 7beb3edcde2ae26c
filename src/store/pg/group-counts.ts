// The per-device and per-name counts of the batches one PostgreSQL transaction writes, merged so
// that each table takes them in one multi-row upsert. Written a row per statement they cost a
// round trip each: an AAA feed from a thousand devices sent ~3 statements per record, and the
// store (serve and server together) spent ten times SQLite's CPU per record on them.
//
// PostgreSQL will not let one INSERT … ON CONFLICT DO UPDATE touch a row twice, so rows are merged
// on their key as PostgreSQL will hold it (pgText: NUL as U+FFFD), else two device names that
// differ only there would fail the whole transaction.

import type { ActivityRow, IngestBatch } from '../batch.js';
import { pgText } from './multi-insert.js';

export interface GroupCounts {
  traffic: Array<[hour: number, device: string, program: string, messages: number, recognised: number]>;
  unknowns: Array<[device: string, type: string, count: number, first: number, last: number, example: string]>;
  /** One row per device: its senders' rows applied in order, as the SQLite store applies them. */
  activity: Array<[device: string, source: string | null, first: number, last: number]>;
  senders: Array<[device: string, source: string, first: number, last: number]>;
  counters: Array<[name: string, value: number]>;
  gauges: Array<[name: string, value: number]>;
}

const key = (...parts: Array<string | number | null>): string => parts.map((p) => (typeof p === 'string' ? pgText(p) : String(p))).join('\u0000');

export function groupCounts(batches: readonly IngestBatch[]): GroupCounts {
  const traffic = new Map<string, GroupCounts['traffic'][number]>();
  const unknowns = new Map<string, GroupCounts['unknowns'][number]>();
  const senders = new Map<string, GroupCounts['senders'][number]>();
  const heard: ActivityRow[] = [];
  const counters = new Map<string, number>();
  const gauges = new Map<string, number>();
  for (const b of batches) {
    for (const t of b.traffic) {
      const k = key(b.hour, t.device, t.program);
      const seen = traffic.get(k);
      if (seen) {
        seen[3] += t.messages;
        seen[4] += t.recognised;
      } else traffic.set(k, [b.hour, t.device, t.program, t.messages, t.recognised]);
    }
    for (const u of b.unknowns) {
      const k = key(u.device, u.type);
      const seen = unknowns.get(k);
      if (seen) {
        // first_seen stays the first row's, as the upsert keeps it.
        seen[2] += u.count;
        seen[4] = Math.max(seen[4], u.last);
        seen[5] = u.example;
      } else unknowns.set(k, [u.device, u.type, u.count, u.first, u.last, u.example]);
    }
    heard.push(...b.activity);
    for (const [name, value] of b.counters) counters.set(name, (counters.get(name) ?? 0) + value);
    for (const [name, value] of b.gauges) gauges.set(name, value);
  }
  // A device's rows in the order they were first heard; the upsert's rule (a later-heard row's
  // source wins, a row without one keeps the one before) applied among them here.
  heard.sort((x, y) => x.first - y.first);
  const activity = new Map<string, GroupCounts['activity'][number]>();
  for (const a of heard) {
    const k = key(a.device);
    const seen = activity.get(k);
    if (!seen) activity.set(k, [a.device, a.source, a.first, a.last]);
    else {
      seen[2] = Math.min(seen[2], a.first);
      if (a.last >= seen[3]) {
        seen[1] = a.source ?? seen[1];
        seen[3] = a.last;
      }
    }
    if (a.source === null) continue;
    const sk = key(a.device, a.source);
    const sender = senders.get(sk);
    if (sender) {
      sender[2] = Math.min(sender[2], a.first);
      sender[3] = Math.max(sender[3], a.last);
    } else senders.set(sk, [a.device, a.source, a.first, a.last]);
  }
  return {
    traffic: [...traffic.values()],
    unknowns: [...unknowns.values()],
    activity: [...activity.values()],
    senders: [...senders.values()],
    counters: [...counters],
    gauges: [...gauges],
  };
}
