// Turning a device's wall-clock stamp into UTC: the zone a stamp names, a wall clock in an IANA
// zone, the year a stamp without one belongs to. Pure functions; the only state is a cache of Intl
// formatters and UTC offsets, which are expensive to compute and never change. Shared by the
// header scanner (src/ingest/header.ts) and the platforms' body stamps (stamp.ts, record-time.ts).

/** Zone abbreviations devices print after their stamps, with their UTC offsets in minutes. */
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UT: 0, WET: 0, BST: 60, IST: 330, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120,
  EET: 120, EEST: 180, MSK: 180, GST: 240, PKT: 300, ICT: 420, SGT: 480, HKT: 480, AWST: 480, CST: -360,
  CDT: -300, EST: -300, EDT: -240, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480,
  HST: -600, JST: 540, KST: 540, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

/** The abbreviations by their letters packed five bits each (`A` = 1), so a stamp's zone is looked up without cutting it out. */
const PACKED = new Map<number, number>(Object.entries(ABBREVIATIONS).map(([name, offset]) => [packLetters(name, 0, name.length), offset]));

/** Capital letters `s[start..end)` (at most five) packed five bits each, or -1 for anything else. */
function packLetters(s: string, start: number, end: number): number {
  if (end - start > 5) return -1;
  let key = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return -1;
    key = key * 32 + (c - 64);
  }
  return key;
}

const digitAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57 ? c - 48 : -1;
};

/** Offset in minutes for a zone text a device printed (`UTC`, `CEST`, `UTC+2`, `+01:00`), or undefined when unknown. */
export function zoneOffset(text: string): number | undefined {
  return zoneOffsetAt(text, 0, text.length);
}

/**
 * `zoneOffset` of `s[start..end)`: an abbreviation, or `[UTC|GMT]±h[h][[:]mm]` up to 14 hours
 * (`+1`, `+01`, `+100`, `+0100`, `+1:00`, `+01:00`; three digits read as h and mm).
 */
export function zoneOffsetAt(s: string, start: number, end: number): number | undefined {
  const key = packLetters(s, start, end);
  if (key > 0) return PACKED.get(key);
  let i = start;
  if (end - start > 3 && (s.startsWith('UTC', start) || s.startsWith('GMT', start))) i += 3;
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return undefined;
  i++;
  let digits = 0;
  while (i + digits < end && digitAt(s, i + digits) >= 0) digits++;
  let hours: number;
  let mins = 0;
  if (i + digits === end) {
    // `+h`, `+hh`, `+hmm`, `+hhmm`
    if (digits < 1 || digits > 4) return undefined;
    const hourDigits = digits === 3 ? 1 : Math.min(digits, 2);
    hours = hourDigits === 1 ? digitAt(s, i) : digitAt(s, i) * 10 + digitAt(s, i + 1);
    if (digits > 2) mins = digitAt(s, i + hourDigits) * 10 + digitAt(s, i + hourDigits + 1);
  } else {
    // `+h:mm`, `+hh:mm`
    if (digits < 1 || digits > 2 || s.charCodeAt(i + digits) !== 58 || end - (i + digits + 1) !== 2) return undefined;
    const m1 = digitAt(s, i + digits + 1);
    const m2 = digitAt(s, i + digits + 2);
    if (m1 < 0 || m2 < 0) return undefined;
    hours = digits === 1 ? digitAt(s, i) : digitAt(s, i) * 10 + digitAt(s, i + 1);
    mins = m1 * 10 + m2;
  }
  const minutes = hours * 60 + mins;
  if (minutes > 14 * 60) return undefined;
  return sign === 45 ? -minutes : minutes;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function offsetAt(zone: string, utcMs: number): number {
  // Offsets change at most on the hour in every real zone, so one lookup per zone-hour suffices.
  const hour = Math.floor(utcMs / 3_600_000);
  const key = zone + '|' + hour;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(hour * 3_600_000)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = Math.round((wall - hour * 3_600_000) / 60_000);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** UTC epoch ms for a wall-clock time (given as if it were UTC) in an IANA zone. */
export function wallToUtc(wallAsUtc: number, zone: string): number {
  let utc = wallAsUtc - offsetAt(zone, wallAsUtc) * 60_000;
  // Second pass settles the offset on the right side of a DST change.
  utc = wallAsUtc - offsetAt(zone, utc) * 60_000;
  return utc;
}

// The receive time's year, cached: every RFC 3164 message asks, and it changes once a year.
let yearStart = 0;
let yearEnd = -1;
let cachedYear = 1970;

function utcYear(ms: number): number {
  if (ms < yearStart || ms >= yearEnd) {
    cachedYear = new Date(ms).getUTCFullYear();
    yearStart = Date.UTC(cachedYear, 0, 1);
    yearEnd = Date.UTC(cachedYear + 1, 0, 1);
  }
  return cachedYear;
}

/** How far ahead of the collector a device clock may run before its stamp is taken for last year's. */
const FUTURE_TOLERANCE_MS = 7 * 86_400_000;

/**
 * RFC 3164 stamps carry no year. Logs describe the past, so take the latest year that does not
 * put the stamp more than a week after the receive time: a December stamp received in January
 * belongs to the old year, a `Jan  1 00:00:05` from a fast clock received on 31 December to the new.
 */
export function inferYear(month: number, day: number, msOfDay: number, receivedAt: number): number {
  if (month === 1 && day === 29) return leapDayYear(msOfDay, receivedAt);
  const y = utcYear(receivedAt);
  if (y !== dayYear || month !== dayMonth || day !== dayOfMonth) {
    dayYear = y;
    dayMonth = month;
    dayOfMonth = day;
    nextYearDay = Date.UTC(y + 1, month, day);
    thisYearDay = Date.UTC(y, month, day);
  }
  const latest = receivedAt + FUTURE_TOLERANCE_MS;
  if (nextYearDay + msOfDay <= latest) return y + 1;
  if (thisYearDay + msOfDay <= latest) return y;
  return y - 1;
}

/**
 * `Feb 29` is only in leap years: the latest of them whose leap day does not put the stamp more than
 * a week after the receive time, as for any other day. Taken in a year without one it was read as
 * 1 March (Date.UTC rolls it over; seeds24). Not found within eight years (a time that is not a
 * number), the year before the receive year, as any day's last resort.
 */
function leapDayYear(msOfDay: number, receivedAt: number): number {
  const y = utcYear(receivedAt);
  const latest = receivedAt + FUTURE_TOLERANCE_MS;
  for (let year = y + 1; year >= y - 8; year--) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (leap && Date.UTC(year, 1, 29) + msOfDay <= latest) return year;
  }
  return y - 1;
}

// The day's start in the receive year and the next, for the last (year, month, day) asked: a feed's
// stamps fall on one or two days, and two Date.UTC calls a message were most of inferYear's ~0.7%
// of the reading thread (aaa-only and mixed-random).
let dayYear = Number.NaN;
let dayMonth = Number.NaN;
let dayOfMonth = Number.NaN;
let nextYearDay = 0;
let thisYearDay = 0;

/**
 * `Date.UTC(year, month, day)`, answered from the day inferYear kept when it is that day (the
 * header's wall time for the year inferYear gave: a third Date.UTC call a message otherwise).
 */
export function utcDay(year: number, month: number, day: number): number {
  if (month === dayMonth && day === dayOfMonth) {
    if (year === dayYear) return thisYearDay;
    if (year === dayYear + 1) return nextYearDay;
  }
  return Date.UTC(year, month, day);
}
