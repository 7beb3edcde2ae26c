// Times on the pages: UTC in the text, the configured local zone on hover (a `title`, so no
// script is needed), and a machine-readable `datetime`.

import { html, type SafeHtml } from './html.js';

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-11-20 14:02:03 UTC`. */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

/** One formatter per zone: making one costs more than formatting a hundred times with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function localText(ms: number, zone: string): string {
  const parts = formatterFor(zone).formatToParts(new Date(ms));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')} (${zone})`;
}

/** How long ago, coarse: `5 min`, `3 h`, `12 d`. */
export function age(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export type TimeView = (ms: number | null | undefined) => SafeHtml;

/** A `<time>` element renderer for one zone; absent times render as an em dash. */
export function timeView(zone: string): TimeView {
  return (ms) => (ms === null || ms === undefined ? html`<span class="none">—</span>` : html`<time datetime="${isoUtc(ms)}" title="${localText(ms, zone)}">${utcText(ms)}</time>`);
}

/** A time as typed, and how long the unit it was given to lasts: a day, a minute or a second. */
export interface UtcSpan {
  at: number;
  /** 86,400,000 for a date alone, 60,000 for a time to the minute, 1,000 for one to the second. */
  unit: number;
}

/**
 * Parse a UTC date or date-time typed in a form (`2026-11-20`, `2026-11-20T14:02`, `…Z`), or a
 * date-time with its zone's offset (`2026-03-29T00:00+01:00`, as ISO 8601 and the roster write a
 * time in another zone: a period given in Berlin's time across a DST change), with the precision it
 * was given to; undefined when not one.
 */
export function parseUtcSpan(text: string | undefined): UtcSpan | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:Z|([+-])(\d{2}):?(\d{2}))?)?Z?$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls a day, month or hour past its end into the next (2026-09-31 is 1 October, 2026-13-01
  // is in 2027) and reads a year under 100 as 19xx: a date that does not exist is refused, not moved.
  const d = new Date(ms);
  const exists = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  if (!exists) return undefined;
  const unit = m[4] === undefined ? 86_400_000 : m[6] === undefined ? 60_000 : 1000;
  if (m[7] === undefined) return { at: ms, unit };
  const [oh, om] = [Number(m[8]), Number(m[9])];
  // Offsets in use run from -12:00 to +14:00.
  if (oh > 14 || om > 59) return undefined;
  return { at: ms - (m[7] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000, unit };
}

/** parseUtcSpan's time alone: the start of the unit given. */
export function parseUtc(text: string | undefined): number | undefined {
  return parseUtcSpan(text)?.at;
}
