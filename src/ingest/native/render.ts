// The raw evidence a native accounting record keeps: a one-line text rendering of the decoded
// packet, since the packet itself is binary (and, for TACACS+, obfuscated with a key that must
// never be stored). Fields are separated by tabs; inside a value every control byte and the
// backslash are written as `\xNN`, so the line is faithful, one line, and unambiguous.

import { isUtf8 } from 'node:buffer';

/**
 * `b[start, end)` as text: UTF-8 when it is, else Latin-1 (each byte one character). ASCII, the
 * usual case, is read without a view: a Buffer made for each field was garbage for every one.
 */
export function textAt(b: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if (b[i]! >= 0x80) return isUtf8(b.subarray(start, end)) ? b.toString('utf8', start, end) : b.toString('latin1', start, end);
  }
  return b.toString('latin1', start, end);
}

/** A value with control characters (C0, DEL, C1) and backslashes as `\xNN`; with `spaces`, spaces too. */
export function escapeValue(s: string, spaces = false): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x5c || (c >= 0x7f && c <= 0x9f) || (spaces && c === 0x20)) {
      out += s.slice(from, i) + '\\x' + c.toString(16).padStart(2, '0');
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * A time as sent in an accounting attribute, as epoch ms: seconds (`stop_time=1596565644`), or
 * the milli-, micro- or nanoseconds some devices send (FortiOS: `start_time=1631288152644311549`),
 * told apart by their number of digits. Undefined when not a plausible time.
 */
export function epochSeconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,19}$/.test(text)) return undefined;
  const digits = text.length;
  const ms = digits <= 11 ? Number(text) * 1000 : digits <= 14 ? Number(text) : digits <= 17 ? Number(text.slice(0, -3)) : Number(text.slice(0, -6));
  return ms > 0 && ms < 8.64e15 ? ms : undefined;
}
