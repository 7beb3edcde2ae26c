// Text that came from devices (account names, hostnames, actors) is hostile: it can carry
// terminal escapes, bidirectional overrides or line breaks meant to forge a log line or an alert.
// Sentences and summaries are built from `printable` values only; pages and exports still escape
// for their own format.

import { remembered } from './remembered.js';

/** Longest device-supplied value put into a sentence. */
const MAX = 256;

/** C0/C1 controls, DEL, line/paragraph separators, format characters (zero-width, bidi controls, tags) and what Unicode draws as nothing (src/report/text.ts): shown by code in a sentence or a terminal, `\\u` escapes in JSON (jsonEscaped). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** UNSAFE without the global flag, to test (a global expression's `test` keeps a position between calls). */
const ANY_UNSAFE = new RegExp(UNSAFE.source, 'u');

/** The value with every control or invisible formatting character shown as `\u{…}`, cut to a bounded length. */
export function printable(value: string, max = MAX): string {
  const cut = value.length > max ? value.slice(0, max) + '…' : value;
  // Nearly every value is clean: a test first spares replace's call for it.
  return ANY_UNSAFE.test(cut) ? cut.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`) : cut;
}

/** JSON text with each such character (UNSAFE) a `\\uXXXX` escape (JSON.stringify escapes only C0): the same value, inert on a screen or in a form. */
export function jsonEscaped(json: string): string {
  return json.replace(UNSAFE, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

/** Minutes already written out, by minute since the epoch: a pass's sentences name the same few minutes. */
const minutes = remembered<string, number>(4096);

/** `2026-11-20 14:02 UTC`: the minute is what a reader needs in a sentence. */
export function minuteUtc(ms: number): string {
  // The minute as Date would give it: it drops a fraction of a millisecond toward zero.
  const minute = Math.floor(Math.trunc(ms) / 60_000);
  return minutes(minute, () => new Date(minute * 60_000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC');
}

/** `3 h 05 min`, `4 min 10 s`, `12 s`, `2 d 3 h`: how far apart two times are. */
export function spanText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** `2026-11-20`. */
export function dayUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 to the second, or null. */
export function isoSeconds(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString().slice(0, 19) + 'Z';
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
