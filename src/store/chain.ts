// The hash chain over stored records: each event row carries the hash of the row before it, over
// its own fields and the raw message it came from. Editing, removing or reordering a stored
// record breaks the chain at that row, and `aaawatch verify` says where.

import { hash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { unescapeBytes } from './raw-bytes.js';

export const GENESIS = Buffer.alloc(32);

/** An event row's record columns, in their stored form (ids and hashes aside). */
export interface EventColumns {
  kind: string;
  action: string;
  time: number;
  device: string;
  platform: string;
  actor: string | null;
  actor_address: string | null;
  target: string | null;
  privilege: string | null;
  role: string | null;
  grp: string | null;
  path: string | null;
  technique: string | null;
  command: string | null;
  session: string | null;
  container: string | null;
}

/** The fields the chain covers: the record's columns and the raw message it came from. */
export interface ChainedFields extends EventColumns {
  /** The stored (redacted) raw message; null only in a row migrated without one. */
  raw: string | null;
}

/**
 * The text the chain covers for a record: its columns and raw message as a JSON array, byte for
 * byte what `JSON.stringify` makes of the array (every stored hash is over that text). Built as
 * src/store/batch.ts `encodeRecord` builds a record line's body (see there): each value's text
 * with the comma after it, added up, flattened once where it is read.
 */
export function chainBody(e: ChainedFields): string {
  startBody();
  return openingText(e.kind, e.action) + timeText(e.time) + repeatedText(REPEATED.device, e.device) + repeatedText(REPEATED.platform, e.platform) +
    repeatedText(REPEATED.actor, e.actor) + valueText(e.actor_address) + valueText(e.target) + repeatedText(REPEATED.privilege, e.privilege) +
    valueText(e.role) + valueText(e.grp) + repeatedText(REPEATED.path, e.path) + valueText(e.technique) + valueText(e.command) +
    valueText(e.session) + valueText(e.container) + lastValueText(e.raw, ']');
}

/** A body is begun: `lastBodyHadLoneSurrogate` answers for the values written from here. */
export function startBody(): void {
  lone = false;
}

/**
 * `[`, then the kind and the action, each with its comma: the pair a feed repeats most, so the
 * last pair written with nothing to escape is kept whole (one piece of the body, not five).
 */
export function openingText(kind: string, action: string): string {
  if (kind === opening.kind && action === opening.action) return opening.text;
  const text = '[' + valueText(kind) + valueText(action);
  // Kept only when both are quoted as they stand (nothing escaped, so never a lone surrogate) and short.
  if (kind.length < LONG && action.length < LONG && text.length === kind.length + action.length + 7) {
    opening.kind = kind;
    opening.action = action;
    opening.text = text;
  }
  return text;
}
const opening = { kind: '', action: '', text: '["","",' };

/** A string value (or null) as `JSON.stringify` writes it inside an array, then a comma. */
export function valueText(v: string | null): string {
  if (typeof v === 'string') return plain(v) ? '"' + v + '",' : escapedJson(v) + ',';
  // A value missing at run time (undefined) is null, as in the array.
  return 'null,';
}

/** The places `repeatedText` remembers a value of. */
export const REPEATED = { device: 0, platform: 1, actor: 2, privilege: 3, path: 4 } as const;

/**
 * The values a feed repeats record after record (device, platform, actor, privilege, path; kind
 * and action in `openingText`): `valueText`, with the last short value each place was given and
 * its text kept, so a value the same as the last record's is neither tested for escapes nor quoted
 * again. Only a value with nothing to escape is kept (so a lone surrogate always reaches
 * `escapedJson`), and only a short one (a long one seldom repeats, and comparing it costs what it
 * saves). Seven values are held at a time (these five and `openingText`'s two), each perhaps a
 * slice of the frame it was cut from: at most seven frames kept past their record, until their
 * places take other values. The RADIUS path in process (bench:aaa's Starts: reader, pipeline,
 * writer, gate) 0.957× and 0.975× (two sets of both orders, 200 paired blocks of 2,000 requests,
 * base and this in one process, load 14); aaa-only and mixed-random lines 1.003× and 1.002×
 * (2026-12-06, rad23).
 */
export function repeatedText(place: number, v: string | null): string {
  if (v === lastIn[place]) return lastOut[place]!;
  const text = valueText(v);
  if (typeof v === 'string' && v.length < LONG && text.length === v.length + 3) {
    lastIn[place] = v;
    lastOut[place] = text;
  }
  return text;
}
const lastIn: string[] = Array.from({ length: 5 }, () => '');
const lastOut: string[] = Array.from({ length: 5 }, () => '"",');

/**
 * The last value (the raw message; null only in a row migrated without one) as JSON, then `end`:
 * `]` ends a body, `]\t` a record line's body. A message with nothing to escape (nearly every one)
 * is quoted as it stands: JSON.stringify of an ISE accounting line (~1,100 characters) was 12% of
 * reading one, and testing it costs about half of that.
 */
export function lastValueText(v: string | null, end: ']' | ']\t'): string {
  if (typeof v !== 'string') return 'null' + end;
  if (plain(v)) return '"' + v + (end === ']' ? '"]' : '"]\t');
  return escapedJson(v) + end;
}

/** What `JSON.stringify` escapes in a string (a surrogate only when lone; any sends it there). */
const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;
const CONTROL = /[\u0000-\u001f]/;

/**
 * Whether `JSON.stringify` writes a long string as it stands between quotes. indexOf finds a
 * character with memchr, and an expression of one range scans faster than ESCAPED's several: on
 * aaa-only raw messages (~300 characters) 0.59 µs against 0.94 for ESCAPED (2026-12-04, load 9).
 * isWellFormed answers a one-byte string without reading it.
 */
const plainLong = (v: string): boolean => v.indexOf('"') < 0 && v.indexOf('\\') < 0 && !CONTROL.test(v) && v.isWellFormed();

/** Strings this long or longer (a raw message) take plainLong; a short value's test is one call of ESCAPED. */
const LONG = 64;

/** Whether `JSON.stringify` writes `v` as it stands between quotes. */
const plain = (v: string): boolean => (v.length < LONG ? !ESCAPED.test(v) : plainLong(v));

/**
 * A string with something JSON escapes, as JSON.stringify writes it, noting a lone surrogate: only
 * a string that comes here can hold one (ESCAPED and plainLong refuse every surrogate and every
 * string that is not well-formed), so the caller learns it without asking each value again.
 */
function escapedJson(v: string): string {
  if (!v.isWellFormed()) lone = true;
  return JSON.stringify(v);
}

/**
 * Whether a value of the body begun last (`startBody`) held a lone surrogate
 * (JSON.stringify wrote it as a `\ud…` escape, which SQLite's UTF-8 cannot keep: see batch.ts
 * `wellFormedBody`). Asking each of a record's fifteen string values `isWellFormed` again, and
 * JSON.stringify of the arrival's stamp text, made `encodeRecord` 2.02 µs a record against
 * 1.78–1.84 (aaa-only; in-process, both builds alternated, 2026-12-05, load 2–3).
 */
export const lastBodyHadLoneSurrogate = (): boolean => lone;
let lone = false;

/** A string as JSON.stringify writes it: quoted as it stands when nothing in it is escaped. */
export const jsonString = (v: string): string => (plain(v) ? '"' + v + '"' : JSON.stringify(v));

/**
 * A number (the time) as JSON.stringify writes it, then a comma (JSON.stringify of the time and
 * the nulls was a third of encoding a record, 2% of the reading thread on aaa-only lines). A time
 * (a whole number of ms past 1970) is written from its millions, kept from the last time (the same
 * for 16 minutes), and two table lookups: String of a 13-digit number cost as much as testing a
 * raw message for escapes.
 */
export function timeText(v: number): string {
  if (!(v >= 1e6 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))) return Number.isFinite(v) ? String(v) + ',' : 'null,';
  const low = v % 1e6;
  // Exact: v − low is a whole multiple of a million below 2^53.
  const millions = (v - low) / 1e6;
  if (millions !== lastMillions) {
    lastMillions = millions;
    millionsText = String(millions);
  }
  const thousands = (low - (low % 1000)) / 1000;
  return millionsText + THREE_DIGITS[thousands]! + THREE_DIGITS_COMMA[low % 1000]!;
}
let lastMillions = -1;
let millionsText = '';
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const THREE_DIGITS_COMMA = THREE_DIGITS.map((d) => d + ',');

/**
 * Where a digest's input is laid out, reused: the previous hash, then the body's UTF-8. One call
 * of crypto's one-shot `hash` over it, where a Hash object per record (made, updated twice,
 * digested) was 2.8–3.0 µs against 1.4 (a RADIUS record's body, 300,000 hashes, shared machine).
 * Each thread has its own (a module per thread), and hashes one record at a time.
 */
let input = Buffer.alloc(4096);

/**
 * The views of `input` handed to the digest, one per length up to VIEWS_UP_TO bytes, made once:
 * a `subarray` per record is a new typed array each (~0.1 µs). `hashBodyInto` with the views alone,
 * base → branch: 1.25 → 1.17 µs a record on aaa-only chain bodies (455 characters on average),
 * 1.35 → 1.26 on mixed-random (median pair ratios 0.90, 0.92; both builds in one process, 11
 * alternated passes, load 10; store15, 2026-12-05). A longer input takes a view of its own.
 */
const VIEWS_UP_TO = 4096;
const noViews = (): Array<Buffer | undefined> => new Array<Buffer | undefined>(VIEWS_UP_TO + 1);
let views = noViews();

function laidOut(prev: Buffer, body: string): Buffer {
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
  const room = prev.length + body.length * 3;
  if (input.length < room) {
    input = Buffer.alloc(room);
    views = noViews();
  }
  prev.copy(input, 0);
  const n = prev.length + input.write(body, prev.length, 'utf8');
  return n <= VIEWS_UP_TO ? (views[n] ??= input.subarray(0, n)) : input.subarray(0, n);
}

/** The hash of a record whose chain body is `body`, following `prev`: SHA-256 of `prev` then the body's UTF-8. */
export function hashBody(prev: Buffer, body: string): Buffer {
  return hash('sha256', laidOut(prev, body), 'buffer');
}

/**
 * `hashBody`, written into `out` (32 bytes, which must not be `prev`) and returned: for a writer
 * that hands each hash to SQLite (which copies what it binds) and keeps only the last, so it needs
 * no Buffer of its own per record (Node gives each digest Buffer a backing store of its own). The
 * digest's 32 latin1 characters are copied by a loop, not `Buffer.write` (a call into Node's
 * encoders per record); with the views of `laidOut`, base → branch 1.25–1.47 → 1.17–1.30 µs a record
 * on aaa-only bodies, 1.35–1.57 → 1.19–1.49 on mixed-random (median pair ratios 0.85–0.90 and
 * 0.84–0.95; both builds in one process, 11 alternated passes, load 10–12; store15, 2026-12-05).
 */
export function hashBodyInto(prev: Buffer, body: string, out: Buffer): Buffer {
  const digest = hash('sha256', laidOut(prev, body), 'binary');
  for (let i = 0; i < 32; i++) out[i] = digest.charCodeAt(i);
  return out;
}

export function eventHash(prev: Buffer, e: ChainedFields): Buffer {
  return hashBody(prev, chainBody(e));
}

/** The hash the next event must follow: the last row's, or the retention anchor, or genesis. */
export function chainHead(db: Db): Buffer {
  let q = headQueries.get(db);
  if (!q) {
    q = {
      last: db.prepare('SELECT hash FROM events ORDER BY id DESC LIMIT 1'),
      anchor: db.prepare('SELECT hash FROM chain_anchor WHERE id = 1'),
    };
    headQueries.set(db, q);
  }
  const last = q.last.get() as { hash: Buffer } | undefined;
  if (last) return last.hash;
  const anchor = q.anchor.get() as { hash: Buffer } | undefined;
  return anchor?.hash ?? GENESIS;
}

// Read once per stored batch: preparing the two statements each time cost 34–50 µs against
// 2–11 µs prepared (radspeed3, RADIUS commit groups of ~14 records: 2–3 µs a record).
const headQueries = new WeakMap<Db, { last: Statement; anchor: Statement }>();

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstId: number | undefined;
  lastId: number | undefined;
  head: string;
  /** Where it breaks: the first row whose stored hashes do not follow. */
  broken?: { id: number; reason: string };
}

export function verifyChain(db: Db): ChainReport {
  const anchor = db.prepare('SELECT before_id, hash FROM chain_anchor WHERE id = 1').get() as
    | { before_id: number; hash: Buffer }
    | undefined;
  let expectedPrev = anchor?.hash ?? GENESIS;
  let checked = 0;
  let firstId: number | undefined;
  let lastId: number | undefined;
  const rows = db
    .prepare(
      `SELECT id, kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp, path,
              technique, command, session, container, raw, raw_bytes, prev_hash, hash
         FROM events ORDER BY id`,
    )
    .iterate() as IterableIterator<ChainedFields & { id: number; raw_bytes: Buffer | null; prev_hash: Buffer; hash: Buffer }>;
  for (const row of rows) {
    firstId ??= row.id;
    if (anchor && checked === 0 && row.id < anchor.before_id) {
      return report(false, { id: row.id, reason: 'row older than the retention anchor' });
    }
    if (!row.prev_hash.equals(expectedPrev)) {
      return report(false, {
        id: row.id,
        reason: checked === 0 ? 'does not follow the chain start' : `does not follow row before it (a row was removed or reordered)`,
      });
    }
    const h = eventHash(expectedPrev, row);
    if (!h.equals(row.hash)) return report(false, { id: row.id, reason: 'its content or message was changed' });
    // The exact bytes of a message that was not UTF-8 are outside the chain; its escaped form, which
    // is, must still read back to them.
    if (row.raw_bytes !== null && (row.raw === null || !unescapeBytes(row.raw).equals(row.raw_bytes))) {
      return report(false, { id: row.id, reason: 'its message bytes were changed' });
    }
    expectedPrev = h;
    lastId = row.id;
    checked++;
  }
  return report(true);

  function report(ok: boolean, broken?: { id: number; reason: string }): ChainReport {
    return { ok, checked, firstId, lastId, head: expectedPrev.toString('hex'), ...(broken ? { broken } : {}) };
  }
}
