// Time stamps found inside records (CloudTrail `eventTime`, ISE's segment stamp, tac_plus file
// lines, Snare's ctime field), as opposed to the syslog header's stamp that src/ingest reads.
// A record's own stamp is preferred over the header's because relays re-stamp and batch.

import { digitsAt } from './digits.js';
import { inferYear, wallToUtc } from './wall-clock.js';
import type { RecogniseContext, SyslogMessage } from '../../src/types.js';

/** A stamp read from a record: epoch ms, and whether the text said its zone. */
export interface Stamp {
  ms: number;
  zoned: boolean;
}

const MONTHS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
});


// `Fri Sep 17 16:37:26 2021` (ctime(3), as Snare, FreeRADIUS detail files and tac_plus write it).
const CTIME = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;
// `Feb  2 18:41:38` (strftime `%h %e %T`, shrubbery tac_plus's accounting file): no year.
const YEARLESS = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Largest date JavaScript can print as ISO 8601; anything beyond is not a real stamp. */
const MAX_MS = 8.64e15;

function valid(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) < MAX_MS ? ms : undefined;
}

// Each UTC day's epoch ms by (year, month, day) as `Date.UTC` gives it (a month's day 31 rolls
// over, a year under 100 is 19xx, as in Date): few days are seen, the table is emptied if it grows.
const DAY_MS = new Map<number, number>();
const MAX_DAY_MS = 4096;

function dayMs(year: number, month: number, day: number): number {
  const key = (year * 16 + month + 1) * 32 + day;
  let ms = DAY_MS.get(key);
  if (ms === undefined) {
    if (DAY_MS.size >= MAX_DAY_MS) DAY_MS.clear();
    ms = Date.UTC(year, month, day);
    DAY_MS.set(key, ms);
  }
  return ms;
}

/**
 * Epoch ms for an ISO 8601-like stamp with `T` or a space between date and time, any fraction,
 * and an optional zone: `2019-01-01T00:00:00Z`, `2022-09-27 17:09:18`,
 * `2024-12-16 16:32:16.087554000`, `2020-02-21 19:13:08.328 +00:00` (ISE), `2020-07-17 17:41:26
 * +0000` (tac_plus); the whole text, nothing before or after. `zoned` tells whether the stamp said
 * its zone; callers decide what a zoneless stamp means (cloud services log UTC; Windows hosts log
 * their local time).
 *
 * Read by hand, the day's epoch ms kept: the expression
 * `^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: ?(Z|z|[+-]\d{2}:?\d{2}))?$`
 * with its captures turned into numbers and `Date.UTC` was a fifth of a tac_plus file line's CPU
 * (every such line, and ISE's, CloudTrail's, Entra's, Falco's records, pass here); the same
 * answers for every text (test/parsers/record-time.test.ts holds the expression as its oracle).
 */
export function parseIsoLike(text: string | undefined): Stamp | undefined {
  // A JSON record's stamp field may be missing: no stamp, as for a text that is none.
  if (text === undefined) return undefined;
  const n = text.length;
  if (n < 19 || n > 40) return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const sep = text.charCodeAt(10);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  if (
    y < 0 || mo < 0 || day < 0 || h < 0 || mi < 0 || s < 0 || (sep !== 84 && sep !== 32) ||
    text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58
  ) return undefined;
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    let j = i + 1;
    while (j < n && j - i <= 10) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
      // The first three digits are the milliseconds; the rest are dropped.
      if (j - i <= 3) ms += (c - 48) * (j - i === 1 ? 100 : j - i === 2 ? 10 : 1);
      j++;
    }
    // `.` and one to nine digits; a tenth digit, or none, leaves no way to match.
    if (j === i + 1 || j - i > 10) return undefined;
    i = j;
  }
  let zoned = false;
  let offset = 0;
  if (i < n) {
    if (text.charCodeAt(i) === 32) i++;
    const z = text.charCodeAt(i);
    if (z === 90 || z === 122) {
      i++;
    } else if (z === 43 || z === 45) {
      const hh = digitsAt(text, i + 1, 2);
      const colon = text.charCodeAt(i + 3) === 58 ? 1 : 0;
      const mm = digitsAt(text, i + 3 + colon, 2);
      if (hh < 0 || mm < 0) return undefined;
      offset = (z === 45 ? -1 : 1) * (hh * 60 + mm);
      if (hh * 60 + mm > 14 * 60) return undefined;
      i += 5 + colon;
    } else {
      return undefined;
    }
    if (i !== n) return undefined;
    zoned = true;
  }
  const month = mo - 1;
  if (month > 11 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const t = dayMs(y, month, day) + ((h * 60 + mi) * 60 + Math.min(s, 59)) * 1000 + ms - offset * 60_000;
  const checked = valid(t);
  return checked === undefined ? undefined : { ms: checked, zoned };
}

/** Epoch ms for a ctime(3) stamp read as UTC wall clock, or undefined. */
export function parseCtime(text: string): number | undefined {
  const m = CTIME.exec(text);
  if (!m) return undefined;
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  const day = Number(m[2]);
  if (day < 1 || day > 31 || Number(m[3]) > 23 || Number(m[4]) > 59 || Number(m[5]) > 60) return undefined;
  return valid(Date.UTC(Number(m[6]), month, day, Number(m[3]), Number(m[4]), Math.min(Number(m[5]), 59)));
}

/**
 * Epoch ms for a yearless `Feb  2 18:41:38` read as UTC wall clock, its year the latest that does
 * not put it more than a week after `receivedAt` (as a syslog header's stamp), or undefined.
 */
export function parseYearless(text: string, receivedAt: number): number | undefined {
  const m = YEARLESS.exec(text);
  if (!m) return undefined;
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  const day = Number(m[2]);
  const h = Number(m[3]);
  const mi = Number(m[4]);
  const sec = Math.min(Number(m[5]), 59);
  if (day < 1 || day > 31 || h > 23 || mi > 59 || Number(m[5]) > 60) return undefined;
  const msOfDay = ((h * 60 + mi) * 60 + sec) * 1000;
  return valid(dayMs(inferYear(month, day, msOfDay, receivedAt), month, day) + msOfDay);
}

// Each UTC day's `YYYY-MM-DDT`, by day number: a reader sees few days (today, and the old days of
// a backlog or a corpus), so the table stays small; it is emptied if it ever grows.
const DAYS = new Map<number, string>();
const MAX_DAYS = 4096;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** Last epoch ms `isoTime` builds itself (9999-12-31T23:59:59.999Z); past it, Date prints `+0…`. */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999;

function dayText(day: number): string {
  let text = DAYS.get(day);
  if (text === undefined) {
    if (DAYS.size >= MAX_DAYS) DAYS.clear();
    text = new Date(day * 86_400_000).toISOString().slice(0, 11);
    DAYS.set(day, text);
  }
  return text;
}

/**
 * `new Date(ms).toISOString()`, the same text (and the same RangeError for an invalid time), built
 * from the day's text and table lookups: measured about a tenth of its CPU (52 ns against 544 ns
 * on bench:parse's stamps, load 10). Every record's time passes here.
 */
export function isoTime(ms: number): string {
  // NaN, fractions (Date truncates them), before 1970 or past year 9999: Date's own text.
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR) return new Date(ms).toISOString();
  const day = Math.floor(ms / 86_400_000);
  let r = ms - day * 86_400_000;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  r -= s * 1000;
  lastText = dayText(day) + TWO[h]! + ':' + TWO[m]! + ':' + TWO[s]! + '.' + THREE[r]! + 'Z';
  lastMs = ms;
  return lastText;
}
let lastMs = Number.NaN;
let lastText = '';

/**
 * The epoch ms of a time text `isoTime` made last (a record's time, read back as the record is
 * encoded for the store), else undefined: reading the text back by position cost 2% of the reading
 * thread on aaa-only lines, most of it joining the pieces the text was made of.
 */
export function lastIsoTimeMs(text: string): number | undefined {
  return text === lastText ? lastMs : undefined;
}

/**
 * A zoneless stamp (parsed as if it were UTC) is the wall clock of the host that wrote it: read it
 * in the zone configured for that host (`RecogniseContext.zoneFor`, by the name the host goes by
 * and the sender address), as the header parser does for zoneless header stamps; UTC when no zone
 * is configured. A zoned stamp is returned as it is. The result stays `zoned: false`: a configured
 * zone is a setting, not the host's word, so an exact header stamp still wins in `recordTime`.
 */
export function inDeviceZone(
  stamp: Stamp | undefined, ctx: RecogniseContext, hostname: string | undefined, source: string | undefined,
): Stamp | undefined {
  if (stamp === undefined || stamp.zoned) return stamp;
  const zone = ctx.zoneFor(hostname, source);
  if (zone === undefined) return stamp;
  const ms = valid(wallToUtc(stamp.ms, zone));
  return ms === undefined ? stamp : { ms, zoned: false };
}

/**
 * The time a record is about, as ISO 8601 UTC. A stamp with a zone wins. A zoneless stamp is the
 * sender's wall clock (callers read it in the device's zone first, `inDeviceZone`): when the syslog
 * header carried an exact stamp (year and zone) that one is used instead. No usable stamp: the
 * message time.
 */
export function recordTime(msg: SyslogMessage, stamp: Stamp | undefined): string {
  if (stamp && (stamp.zoned || msg.timeQuality !== 'exact')) return isoTime(stamp.ms);
  return messageTime(msg);
}

/** The message's own time as ISO 8601 UTC (never throws, even for a hostile stamp). */
export function messageTime(msg: SyslogMessage): string {
  return isoTime(valid(msg.time) ?? msg.receivedAt);
}

/** Epoch seconds with a fraction (auditd `audit(1610903553.686:584)`, Falco `evt.time`) as ISO 8601. */
export function epochSecondsToIso(seconds: number): string | undefined {
  const ms = valid(Math.round(seconds * 1000));
  return ms === undefined ? undefined : isoTime(ms);
}
