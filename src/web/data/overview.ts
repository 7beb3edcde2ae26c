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
  if (name.startsWith('kernel.')) return 'dropped';
  if (name.startsWith('rejected.') || name.startsWith('malformed.') || name.startsWith('errors.')) return 'refused';
  return 'other';
}
