// The systemd journal as journalctl exports it, for `aaawatch import`:
//
// - `journalctl -o json`: an entry a line, each field a string, or an array of bytes when it is not
//   UTF-8 or holds control characters, or null when too large to print; a field given several
//   times, an array of its values. `-o json-pretty`, and arrays of entries (`jq -s`), read too.
// - `journalctl -o export`: `KEY=value` lines, a field that is not printable text as the key's line,
//   then its length (64 bits, little-endian) and its bytes and an LF; an empty line after each entry.
//
// Read as lines, each entry was a JSON text or one field a line that no platform reads: nothing of
// a host's journal was stored. Each entry is handed on as the line journald forwards to syslog
// for it, `<PRI>TIME HOST IDENTIFIER[PID]: MESSAGE`, stamped with __REALTIME_TIMESTAMP (when
// journald received it, to the microsecond): so its useradd, usermod and sshd messages give the
// records the same lines give over syslog. A MESSAGE that is not UTF-8 is read as such a syslog
// line is (Latin-1, stored byte for byte, counted `not-utf8`). The other fields (environment,
// command lines, core dumps) are not kept.

import { isUtf8 } from 'node:buffer';
import { JsonEvents } from '../../parsers/lib/json-records.js';
import type { ImportFormat, ImportItem, ImportReader } from '../types.js';

/** One entry's fields: the bytes of each one's first value. */
type Fields = (name: string) => Buffer | undefined;

/** The text of a field (ASCII fields: numbers, names); undefined when absent or empty. */
const textOf = (b: Buffer | undefined): string | undefined => (b && b.length ? b.toString('utf8') : undefined);

/**
 * __REALTIME_TIMESTAMP (µs since the epoch) as RFC 3339 UTC with its microseconds, or undefined
 * when it is none.
 */
function stamp(usec: string | undefined): string | undefined {
  if (usec === undefined || !/^\d{1,16}$/.test(usec)) return undefined;
  const us = Number(usec);
  const day = new Date(Math.floor(us / 1000));
  if (Number.isNaN(day.getTime())) return undefined;
  return `${day.toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}

/**
 * The syslog line journald forwards for an entry: PRI from PRIORITY and SYSLOG_FACILITY (user, as
 * journald forwards an entry that names none; no PRI when there is no PRIORITY), the identifier
 * and PID as journalctl's own short output takes them (SYSLOG_IDENTIFIER or else _COMM; _PID or
 * else SYSLOG_PID). An entry without _HOSTNAME or a time is not one journalctl wrote.
 */
export function entryLine(field: Fields): ImportItem {
  const host = textOf(field('_HOSTNAME'));
  const time = stamp(textOf(field('__REALTIME_TIMESTAMP')));
  if (host === undefined || time === undefined) {
    return { malformed: 'journal-entry', sample: `an entry without ${host === undefined ? '_HOSTNAME' : 'a __REALTIME_TIMESTAMP'}` };
  }
  const priority = textOf(field('PRIORITY'));
  const facility = textOf(field('SYSLOG_FACILITY'));
  const pri = priority !== undefined && /^[0-7]$/.test(priority) ? `<${(facility !== undefined && /^(?:1?\d|2[0-3])$/.test(facility) ? Number(facility) : 1) * 8 + Number(priority)}>` : '';
  const ident = textOf(field('SYSLOG_IDENTIFIER')) ?? textOf(field('_COMM'));
  const pid = textOf(field('_PID')) ?? textOf(field('SYSLOG_PID'));
  const tag = ident === undefined ? '' : pid !== undefined && /^\d+$/.test(pid) ? ` ${ident}[${pid}]:` : ` ${ident}:`;
  const line = Buffer.concat([Buffer.from(`${pri}${time} ${host}${tag} `), field('MESSAGE') ?? Buffer.alloc(0)]);
  return isUtf8(line) ? { text: line.toString('utf8') } : { text: line.toString('latin1'), latin1: true };
}

/** A `-o json` field's first value as bytes: a string, or an array of bytes; several values are an array of those. */
function jsonValue(v: unknown): Buffer | undefined {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (v.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)) return Buffer.from(v as number[]);
  return jsonValue(v[0]);
}

/** A JSON entry (a compact object, from JsonEvents or a line) as its syslog line. */
function jsonEntry(text: string): ImportItem {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return { malformed: 'json-syntax', sample: text.slice(0, 256) };
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return { malformed: 'not-a-record', sample: text.slice(0, 256) };
  const fields = entry as Record<string, unknown>;
  return entryLine((name) => (Object.hasOwn(fields, name) ? jsonValue(fields[name]) : undefined));
}

const REALTIME_KEY = /"__REALTIME_TIMESTAMP"\s*:/;

/**
 * A file whose first value is an object (or an array of them) naming __REALTIME_TIMESTAMP among
 * its first keys: journalctl prints it second (after __CURSOR), and tools that sort the keys
 * still put it among the double-underscore fields at the top or the bottom of a few KiB.
 */
export function claimsJournalJson(head: string): boolean {
  const text = head.replace(/^[\uFEFF\s]+/, '');
  return /^(?:\[\s*)?\{/.test(text) && REALTIME_KEY.test(text);
}

/**
 * `-o json` entries as the text arrives: a line each, so a damaged line costs itself only, when
 * the first line is a whole object; else (`-o json-pretty`, an array) the JSON values one after
 * another, as JSON events are read.
 */
export class JournalJson implements ImportReader {
  private mode: 'first' | 'lines' | 'values' = 'first';
  private pending = '';
  /** In a line found too long: skipping to its end. */
  private skipping = false;
  private values: JsonEvents | undefined;

  constructor(private readonly maxChars: number) {}

  push(text: string): ImportItem[] {
    if (this.values) return this.entries(this.values.push(text));
    this.pending += text;
    if (this.mode === 'first') {
      const start = this.pending.search(/[^\uFEFF\s]/);
      if (start < 0) return [];
      const nl = this.pending.indexOf('\n', start);
      if (nl < 0 && this.pending.length - start <= this.maxChars) return [];
      const first = this.pending.slice(start, nl < 0 ? undefined : nl).trim();
      if (!(first.startsWith('{') && first.endsWith('}'))) {
        this.mode = 'values';
        this.values = new JsonEvents(new Set(), this.maxChars);
        const all = this.pending;
        this.pending = '';
        return this.entries(this.values.push(all));
      }
      this.mode = 'lines';
    }
    return this.lines(false);
  }

  end(): ImportItem[] {
    if (this.values) return this.entries(this.values.end());
    return this.lines(true);
  }

  private lines(atEnd: boolean): ImportItem[] {
    const out: ImportItem[] = [];
    let start = 0;
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n', start)) {
      if (this.skipping) this.skipping = false;
      else this.line(this.pending.slice(start, nl), out);
      start = nl + 1;
    }
    let rest = this.pending.slice(start);
    if (!this.skipping && rest.length > this.maxChars) {
      out.push({ malformed: 'oversize-record', sample: rest.slice(0, 256) });
      this.skipping = true;
    }
    if (this.skipping) rest = '';
    if (atEnd) {
      if (rest) this.line(rest, out);
      rest = '';
      this.skipping = false;
    }
    this.pending = rest;
    return out;
  }

  private line(text: string, out: ImportItem[]): void {
    const line = text.trim();
    if (!line) return;
    out.push(line.length > this.maxChars ? { malformed: 'oversize-record', sample: line.slice(0, 256) } : jsonEntry(line));
  }

  private entries(items: ImportItem[]): ImportItem[] {
    return items.map((item) => ('text' in item ? jsonEntry(item.text) : item));
  }
}

/**
 * A file whose first line is a field of an entry (`KEY=value`, journalctl's first being
 * `__CURSOR=`) and whose first entry names its __REALTIME_TIMESTAMP.
 */
export function claimsJournalExport(head: string): boolean {
  if (!/^[A-Z_][A-Z0-9_]*=/.test(head)) return false;
  const entry = head.split(/\n\n/, 1)[0]!;
  return /^__REALTIME_TIMESTAMP=\d+$/m.test(entry);
}

/** LF, the end of a field's line, and of a binary field's bytes. */
const LF = '\n';
/** The bytes of a binary field's length. */
const LENGTH_BYTES = 8;

/**
 * `-o export` entries as the text arrives, read a character a byte (`encoding: 'latin1'`), since a
 * binary field's length counts bytes. An entry longer than `maxChars` is counted, not kept: its
 * fields are followed to its end without keeping them.
 */
export class JournalExport implements ImportReader {
  private pending = '';
  /** The entry being read: each field's first value, as Latin-1 text (a character a byte). */
  private fields = new Map<string, string>();
  private size = 0;
  /** The entry is past the bound: followed, not kept. */
  private over = false;
  /** Bytes of a binary value past the bound still to skip, with the LF after it. */
  private skip = 0;
  /** Skipping the rest of a line past the bound. */
  private skipLine = false;

  constructor(private readonly maxChars: number) {}

  push(text: string): ImportItem[] {
    this.pending += text;
    return this.read();
  }

  end(): ImportItem[] {
    const out = this.read();
    const cut = this.pending.length > 0 || this.skip > 0 || this.skipLine;
    this.pending = '';
    this.skip = 0;
    this.skipLine = false;
    // The last entry may lack its empty line; one cut inside a field is not whole.
    if (cut) {
      if (this.fields.size || this.over) out.push({ malformed: 'journal-entry', sample: 'the file ends inside an entry' });
      this.reset();
    } else this.finish(out);
    return out;
  }

  private read(): ImportItem[] {
    const out: ImportItem[] = [];
    const buf = this.pending;
    let pos = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - pos);
        pos += n;
        this.skip -= n;
        if (this.skip > 0) break;
      }
      const nl = buf.indexOf(LF, pos);
      if (this.skipLine) {
        if (nl < 0) {
          pos = buf.length;
          break;
        }
        this.skipLine = false;
        pos = nl + 1;
        continue;
      }
      if (nl < 0) {
        if (buf.length - pos > this.maxChars) {
          this.over = true;
          this.skipLine = true;
          pos = buf.length;
        }
        break;
      }
      if (nl === pos) {
        this.finish(out);
        pos = nl + 1;
        continue;
      }
      const eq = buf.indexOf('=', pos);
      if (eq >= 0 && eq < nl) {
        this.field(buf.slice(pos, eq), buf.slice(eq + 1, nl));
        pos = nl + 1;
        continue;
      }
      // A binary field: its name's line, its length, its bytes, an LF.
      if (buf.length < nl + 1 + LENGTH_BYTES) break;
      const length = Buffer.from(buf.slice(nl + 1, nl + 1 + LENGTH_BYTES), 'latin1').readBigUInt64LE();
      const from = nl + 1 + LENGTH_BYTES;
      if (length > BigInt(this.maxChars)) {
        this.over = true;
        pos = from;
        // Past any bound a file can reach: nothing after it can be read as entries.
        this.skip = length > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(length) + 1;
        continue;
      }
      const to = from + Number(length);
      if (buf.length < to + 1) break;
      this.field(buf.slice(pos, nl), buf.slice(from, to));
      pos = to + 1;
    }
    this.pending = buf.slice(pos);
    return out;
  }

  private field(name: string, value: string): void {
    if (this.over) return;
    this.size += name.length + value.length;
    if (this.size > this.maxChars) {
      this.over = true;
      this.fields.clear();
      return;
    }
    if (!this.fields.has(name)) this.fields.set(name, value);
  }

  private finish(out: ImportItem[]): void {
    if (this.over) out.push({ malformed: 'oversize-record', sample: `a journal entry of more than ${this.maxChars} bytes` });
    else if (this.fields.size) {
      const fields = this.fields;
      out.push(entryLine((name) => {
        const v = fields.get(name);
        return v === undefined ? undefined : Buffer.from(v, 'latin1');
      }));
    }
    this.reset();
  }

  private reset(): void {
    this.fields = new Map();
    this.size = 0;
    this.over = false;
  }
}

/** The formats `aaawatch import` tries after the platforms' own, before JSON events. */
export const journalJson: ImportFormat = { claims: claimsJournalJson, reader: (maxChars) => new JournalJson(maxChars) };
export const journalExport: ImportFormat = { claims: claimsJournalExport, encoding: 'latin1', reader: (maxChars) => new JournalExport(maxChars) };
