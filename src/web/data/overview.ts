// The overview's ingest figures: counters (received, recognised, malformed and rejected by
// reason, kernel drops) and records per hour.

import type { Db } from '../../store/db.js';

export interface HourCount {
  /** Start of the hour, epoch ms. */
  hour: number;
  records: number;
}

/** Records per hour over the last `hours` hours, every hour present (zero when none arrived). */
export function recordsPerHour(db: Db, now: number, hours: number): HourCount[] {
  const end = Math.floor(now / 3_600_000) + 1;
  const start = end - hours;
  const rows = db
    .prepare('SELECT time / 3600000 AS h, count(*) AS n FROM events WHERE time >= ? AND time < ? GROUP BY h')
    .all(start * 3_600_000, end * 3_600_000) as Array<{ h: number; n: number }>;
  const byHour = new Map(rows.map((r) => [r.h, r.n]));
  const out: HourCount[] = [];
  for (let h = start; h < end; h++) out.push({ hour: h * 3_600_000, records: byHour.get(h) ?? 0 });
  return out;
}

export type CounterGroup = 'received' | 'recognised' | 'dropped' | 'refused' | 'other';

/** Which group a counter belongs to on the overview (kernel drops and refusals stand out). */
export function counterGroup(name: string): CounterGroup {
  if (name.startsWith('received.')) return 'received';
  if (name.startsWith('recognised.')) return 'recognised';
  if (name.startsWith('kernel.') || name.startsWith('dropped.')) return 'dropped';
  if (name.startsWith('rejected.') || name.startsWith('malformed.') || name.startsWith('errors.')) return 'refused';
  return 'other';
}

const MIB = 1024 * 1024;

/**
 * Why input was lost, in words an operator can act on: records aaawatch itself dropped (its store
 * behind, or not writable), and the kernel's UDP drops told apart by what aaawatch was doing then —
 * reading paused for the store (a larger receive buffer would not help), or reading, slower than
 * the datagrams came. A UDP flood (issue 14) showed only a count, with no reason beside it.
 */
export function dropReasons(counters: ReadonlyArray<{ name: string; value: number }>): string[] {
  const value = (name: string): number => counters.find((c) => c.name === name)?.value ?? 0;
  const n = (x: number): string => x.toLocaleString('en-US');
  const out: string[] = [];
  const behind = value('dropped.store-behind');
  const unwritable = value('dropped.store-unwritable');
  if (behind) out.push(`${n(behind)} records and messages dropped by aaawatch because the store fell behind what arrived (dropped.store-behind): the store is the limit.`);
  if (unwritable) out.push(`${n(unwritable)} records and messages dropped by aaawatch while the store could not be written (dropped.store-unwritable).`);
  const kernel = value('kernel.udp.socket_drops');
  const paused = value('kernel.udp.socket_drops.store-behind') + value('kernel.udp.socket_drops.store-unwritable');
  if (paused) out.push(`${n(paused)} of the kernel's UDP drops came while aaawatch had stopped reading because the store was behind or could not be written: a larger receive buffer would not help.`);
  const reading = kernel - paused;
  if (reading > 0) {
    const buffer = value('udp.recv_buffer_bytes');
    out.push(
      `${n(reading)} UDP datagrams came faster than aaawatch read them${buffer ? ` with a ${(buffer / MIB).toFixed(buffer >= MIB ? 0 : 2)} MiB receive buffer` : ''}, and the kernel dropped them: ` +
        'if the log warned that the buffer was capped, raise net.core.rmem_max; otherwise the senders outran what this machine reads.',
    );
  }
  return out;
}
