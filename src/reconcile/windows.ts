// Approved change windows: recurring (days of the week, a time of day range in a zone, which may
// run past midnight into the next day) or one-off (a start and end with the ticket that approved it).

import type { ChangeWindow } from './roster.js';
import { compileScope, type DeviceRef } from './scope.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC (ms) during the hour containing `t`. Real zones change offset on
 * the hour at most, so one lookup per zone and hour serves every record in it (attributing a
 * large store asks for tens of thousands).
 */
function offsetAt(zone: string, t: number): number {
  const hour = Math.floor(t / 3_600_000);
  const key = `${zone}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(hour * 3_600_000)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - hour * 3_600_000;
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
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
