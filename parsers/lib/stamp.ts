// Event times a message body carries, for lines whose syslog header had no stamp (a relay that
// stripped it, a headerless file): IOS `at 19:22:00 CEST Mon Sep 29 2025`, an IOS-XR node stamp,
// FortiOS `eventtime=`/`date= time= tz=`, the PAN-OS high-resolution timestamp. Only stamps that
// say their zone are taken; anything else is left to the receive time.

import { inferYear, zoneOffset } from './wall-clock.js';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

function utc(y: number, mon: number, d: number, h: number, mi: number, s: number, ms: number, zone: string): number | undefined {
  const offset = zoneOffset(zone);
  if (offset === undefined || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  return Date.UTC(y, mon, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
}

/** IOS SEC_LOGIN: `… at 19:22:00 CEST Mon Sep 29 2025`. */
export function iosAtStamp(text: string): number | undefined {
  const m = / at (\d{2}):(\d{2}):(\d{2}) (\S{1,8}) [A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const mon = MONTHS[m[5]!];
  if (mon === undefined) return undefined;
  return utc(Number(m[7]), mon, Number(m[6]), Number(m[1]), Number(m[2]), Number(m[3]), 0, m[4]!);
}

/** An IOS-XR node stamp `Nov 21 22:10:01.691 +06` or `Sep 25 23:27:22.691 UTC` (no year: inferred). */
export function monthDayStamp(text: string, receivedAt: number): number | undefined {
  const m = /([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))? ([A-Za-z]{1,5}|[+-]\d{1,2}(?::?\d{2})?)\s*:/.exec(text);
  if (!m) return undefined;
  const mon = MONTHS[m[1]!];
  if (mon === undefined) return undefined;
  const day = Number(m[2]);
  const h = Number(m[3]);
  const mi = Number(m[4]);
  const s = Number(m[5]);
  const ms = m[6] ? Number(m[6].padEnd(3, '0')) : 0;
  const year = inferYear(mon, day, ((h * 60 + mi) * 60 + s) * 1000 + ms, receivedAt);
  return utc(year, mon, day, h, mi, s, ms, m[7]!);
}

/** Seconds, ms, µs or ns since the epoch, by magnitude: FortiOS `eventtime`, Falcon's `UTCTimestamp`. */
export function epochAnyUnit(text: string | undefined): number | undefined {
  if (!text || !/^\d{9,20}$/.test(text)) return undefined;
  const n = Number(text);
  if (n >= 1e17) return Math.floor(n / 1e6);
  if (n >= 1e14) return Math.floor(n / 1e3);
  if (n >= 1e11) return n;
  return n * 1000;
}

/** FortiOS `date=2025-04-10 time=05:23:12 tz="+0100"`. */
export function dateTimeZone(date: string | undefined, time: string | undefined, tz: string | undefined): number | undefined {
  if (!date || !time || !tz) return undefined;
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  return utc(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3]), 0, tz);
}

/**
 * FortiOS `date=2017-11-15 time=11:44:16` with no `tz` (older releases): the wall clock read as
 * if it were UTC, for the caller to place in the device's zone (parsers/lib/record-time.ts `inDeviceZone`).
 */
export function dateTimeWall(date: string | undefined, time: string | undefined): number | undefined {
  return dateTimeZone(date, time, 'UTC');
}

/** An RFC 3339 stamp with its offset (`2023-10-25T20:25:39.421+01:00`, PAN-OS high-resolution time). */
export function rfc3339(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}
