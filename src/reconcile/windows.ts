// Approved change windows: recurring (days of the week, a time of day range in a zone, which may
// run past midnight into the next day) or one-off (a start and end with the ticket that approved it).

import type { ChangeWindow } from './roster.js';
import { compileScope, type DeviceRef } from './scope.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone and UTC hour: the offset through that hour, or NaN for an hour the offset changes in. */
const offsets = new Map<string, number>();

/** The zone's offset from UTC (ms) at the minute containing `t`. */
function offsetExact(zone: string, t: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  const minute = Math.floor(t / 60_000) * 60_000;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(minute)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - minute;
}

/**
 * The zone's offset from UTC (ms) at `t`. Most hours have one offset throughout, so one lookup per
 * zone and hour serves every record in it (attributing a large store asks for tens of thousands);
 * an hour the offset changes in is looked up at the record's minute, since clocks do not change
 * on a UTC hour everywhere (Adelaide at 16:30 UTC, St. John's at 05:30, Lord Howe by 30 minutes).
 */
function offsetAt(zone: string, t: number): number {
  const hour = Math.floor(t / 3_600_000);
  const key = `${zone}|${hour}`;
  let cached = offsets.get(key);
  if (cached === undefined) {
    const start = offsetExact(zone, hour * 3_600_000);
    cached = start === offsetExact(zone, hour * 3_600_000 + 3_540_000) ? start : Number.NaN;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, cached);
  }
  return Number.isNaN(cached) ? offsetExact(zone, t) : cached;
}

/** Day of the week (0 = Sunday) and minute of the day at `t` in `zone`. */
function localClock(t: number, zone: string): { day: number; minute: number } {
  const local = new Date(t + offsetAt(zone, t));
  return { day: local.getUTCDay(), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** Whether `t` falls in the window (ignoring its device scope). */
export function inWindow(w: ChangeWindow, t: number): boolean {
  if (w.kind === 'once') return t >= w.start && t <= w.end;
  const { day, minute } = localClock(t, w.zone);
  if (w.from < w.to) return w.days.includes(day) && minute >= w.from && minute < w.to;
  // Past midnight: the evening of a listed day, or the early hours of the day after one.
  return (w.days.includes(day) && minute >= w.from) || (w.days.includes((day + 6) % 7) && minute < w.to);
}

/** The first window covering this device at `t`, if any. */
export function windowAt(windows: readonly ChangeWindow[], device: DeviceRef, t: number): ChangeWindow | undefined {
  return windows.find((w) => inWindow(w, t) && compileScope(w.scope)(device));
}

/** `change window "weekly maintenance"` or `change window "core upgrade" (ticket CHG0012345)`. */
export function describeWindow(w: ChangeWindow): string {
  return `change window "${w.name}"${w.ticket ? ` (ticket ${w.ticket})` : ''}`;
}
