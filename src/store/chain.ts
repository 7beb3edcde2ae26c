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
 * byte what `JSON.stringify` makes of the array (every stored hash is over that text).
 */
export function chainBody(e: ChainedFields): string {
  const p = bodyParts(e);
  p[16] += ']';
  return p.join(',');
}

/**
 * `chainBody(e)`, a tab, then `tail` (a record line, src/store/batch.ts), as one flat string.
 * Joined at once: the body added up piece by piece was a rope of ~40 strings, which the reading
 * thread then flattened to post it to the store thread (v8.serialize of a batch 8.7% of the thread
 * on aaa-only, 1.7% after, the join's copy in its place). The reading thread 0.98× on aaa-only
 * and mixed-random with batches v8.serialize'd, ~0.99× (0.97–1.02, within the noise) posted to a
 * worker as serve does (in-process harness, both orders, 2026-12-05, load 4–17): less garbage,
 * not less work.
 */
export function chainLine(e: ChainedFields, tail: string): string {
  const p = bodyParts(e);
  p[16] += ']\t' + tail;
  return p.join(',');
}

/**
 * The body's values as JSON text, in order, in one array reused for every record (`[` before the
 * first). Made packed (Array.from), not `new Array(17).fill('')`, which V8 keeps as holey: `join`
 * of a holey array takes its slow path, 1.7 against 0.7–1.0 µs a record (scratch loop, load 10).
 */
const PARTS: string[] = Array.from({ length: 17 }, () => '');

function bodyParts(e: ChainedFields): string[] {
  lone = false;
  const p = PARTS;
  p[0] = '[' + repeated(0, e.kind);
  p[1] = repeated(1, e.action);
  p[2] = json(e.time);
  p[3] = repeated(3, e.device);
  p[4] = repeated(4, e.platform);
  p[5] = repeated(5, e.actor);
  p[6] = json(e.actor_address);
  p[7] = json(e.target);
  p[8] = repeated(8, e.privilege);
  p[9] = json(e.role);
  p[10] = json(e.grp);
  p[11] = repeated(11, e.path);
  p[12] = json(e.technique);
  p[13] = json(e.command);
  p[14] = json(e.session);
  p[15] = json(e.container);
  p[16] = json(e.raw);
  return p;
}

/**
 * The values a feed repeats record after record (kind, action, device, platform, actor, privilege,
 * path): the last short one each place was given and its JSON text, so a value the same as the
 * last record's is neither tested for escapes nor quoted again. Only a value with nothing to
 * escape is kept (so a lone surrogate always reaches `escapedJson`), and only a short one (a long
 * one seldom repeats, and comparing it costs what it saves). Seven values are held at a time, each
 * perhaps a slice of the frame it was cut from: at most seven frames kept past their record, until
 * their places take other values. The RADIUS path in process (bench:aaa's Starts: reader,
 * pipeline, writer, gate) 0.957× and 0.975× (two sets of both orders, 200 paired blocks of 2,000
 * requests, base and this in one process, load 14); aaa-only and mixed-random lines 1.003× and
 * 1.002× (2026-12-06, rad23).
 */
const lastIn: string[] = Array.from({ length: 12 }, () => '');
const lastOut: string[] = Array.from({ length: 12 }, () => '""');

function repeated(i: number, v: string | null): string {
  if (v === lastIn[i]) return lastOut[i]!;
  const out = json(v);
  // Kept only when quoted as it stands (nothing escaped, so never a lone surrogate) and short.
  if (typeof v === 'string' && v.length < LONG && out.length === v.length + 2) {
    lastIn[i] = v;
    lastOut[i] = out;
  }
  return out;
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
 * A value as `JSON.stringify` writes it inside an array. A string with nothing to escape (nearly
 * every raw message) is quoted as it stands: JSON.stringify of an ISE accounting line (~1,100
 * characters) was 12% of reading one, and testing it costs about half of that.
 */
function json(v: string | number | null): string {
  if (typeof v === 'string') return plain(v) ? '"' + v + '"' : escapedJson(v);
  // Most of a body's values are null, and a time is a whole number of ms: calling JSON.stringify
  // for them was a third of encoding a record (2% of the reading thread on aaa-only lines).
  if (v === null || v === undefined) return 'null';
  return wholeMs(v);
}

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
 * Whether a value of the body `chainBody` or `chainLine` made last held a lone surrogate
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
 * A number as JSON.stringify writes it. A time (a whole number of ms past 1970) is written from
 * its millions, kept from the last time (the same for 16 minutes), and two table lookups: String of
 * a 13-digit number cost as much as testing a raw message for escapes.
 */
function wholeMs(v: number): string {
  if (!(v >= 1e6 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))) return Number.isFinite(v) ? String(v) : 'null';
  const low = v % 1e6;
  // Exact: v − low is a whole multiple of a million below 2^53.
  const millions = (v - low) / 1e6;
  if (millions !== lastMillions) {
    lastMillions = millions;
    millionsText = String(millions);
  }
  const thousands = (low - (low % 1000)) / 1000;
  return millionsText + THREE_DIGITS[thousands]! + THREE_DIGITS[low % 1000]!;
}
let lastMillions = -1;
let millionsText = '';
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

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
