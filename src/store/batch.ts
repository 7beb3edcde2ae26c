// What one ingest write carries: plain data only, so a batch can be handed to a worker thread
// as easily as to the store in the same thread.

import type { AaaRecord, SyslogMessage } from '../types.js';
import { jsonString, lastBodyHadLoneSurrogate, lastValueText, openingText, REPEATED, repeatedText, startBody, timeText, valueText } from './chain.js';
import { lastIsoTimeMs } from '../../parsers/lib/record-time.js';
import { isoEpoch } from './iso-epoch.js';

/**
 * A record on its way to the store: its chain body (the JSON text the hash chain covers, see
 * `chainBody`), a tab, then its arrival as JSON. It is encoded once, where it is read; the store
 * hashes the body's text as it stands and never encodes the record again. JSON text holds no raw
 * tab or newline, so both can separate.
 */
export type RecordLine = string;

/**
 * Where and when the message a record came from arrived, and how its kept text stands for it:
 * stored with the record, outside the chain. `escaped`: the raw text is the escaped form of bytes
 * that were not UTF-8 (the store keeps the bytes too, src/store/raw-bytes.ts); `truncated`: only
 * the message's start was kept.
 */
export type Arrival = [receivedAt: number, transport: string, source: string | null, timeText: string | null, escaped: 0 | 1, truncated: 0 | 1];

/** How a kept message's text stands for what arrived (see `Arrival`). */
export interface RawForm {
  escaped: boolean;
  truncated: boolean;
}

/** A message kept as it arrived: UTF-8, whole. */
export const WHOLE_UTF8: RawForm = Object.freeze({ escaped: false, truncated: false });

/** The chain body's values, in `chainBody` order. */
export type ChainValues = [
  kind: string, action: string, time: number, device: string, platform: string, actor: string | null,
  actorAddress: string | null, target: string | null, privilege: string | null, role: string | null,
  grp: string | null, path: string | null, technique: string | null, command: string | null,
  session: string | null, container: string | null, raw: string | null,
];

/** An optional value as a column value: SQLite and JSON have null, not undefined. */
export const orNull = (v: string | undefined): string | null => (v === undefined ? null : v);

/**
 * A record's time text as epoch ms: the last `isoTime` (record-time.ts: parsers and native
 * receivers alike) without parsing (the text is its own, so the same time), others read by position.
 */
const epochOf = (text: string): number => lastIsoTimeMs(text) ?? isoEpoch(text);

/**
 * SQLite stores text as UTF-8, which has no lone surrogates: a value decoded from a JSON escape
 * such as `\ud800` would come back changed and break the chain at verify. JSON.stringify writes
 * each lone surrogate as such an escape, so the body shows when the slow path is needed.
 */
function wellFormedBody(body: string): string {
  if (!body.includes('\\ud')) return body;
  const values = JSON.parse(body) as unknown[];
  return JSON.stringify(values.map((v) => (typeof v === 'string' ? v.toWellFormed() : v)));
}

/**
 * A record read from `msg`, whose kept (redacted) text is `raw`, ready for the store. The body is
 * chain.ts `chainBody`'s values in its order, written here from the record: each value's text with
 * the comma after it, those a record of this kind never has as the constant text of their nulls,
 * added up as one rope that postMessage flattens when the batch goes to the store thread. A join
 * or a rope costs per piece (~18 ns a piece to join or flatten, ~1 ns for 50 characters): the 17
 * values joined by commas, the kind's nulls among them, were ~45 pieces, and are ~25 here. With
 * the batch's hand-over and postMessage, 3.17 → 2.84 µs a record on mixed-random, 3.15 → 2.76 on
 * aaa-only; the reading thread 0.97× and 0.965× (each build a process, alternated, 2026-12-07,
 * load 1.4–6.6; BENCHMARKS.md enc28).
 */
export function encodeRecord(r: AaaRecord, raw: string, msg: SyslogMessage, form: RawForm = WHOLE_UTF8): RecordLine {
  const account = r.kind === 'account';
  const session = r.kind === 'session';
  const time = epochOf(r.time);
  startBody();
  const line = openingText(r.kind, r.action) + timeText(Number.isNaN(time) ? msg.time : time) + repeatedText(REPEATED.device, r.device) +
    repeatedText(REPEATED.platform, r.platform) + repeatedText(REPEATED.actor, orNull(r.actor)) + valueText(orNull(r.actorAddress)) +
    (account ? valueText(r.target) : 'null,') + repeatedText(REPEATED.privilege, orNull(r.privilege)) +
    (account ? valueText(orNull(r.role)) + valueText(orNull(r.group)) : 'null,null,') + repeatedText(REPEATED.path, orNull(r.path)) +
    (account ? valueText(orNull(r.technique)) : 'null,') +
    // command, session, container
    (session ? 'null,' + valueText(orNull(r.session)) + 'null,' : valueText(orNull(r.command)) + (r.container ? 'null,' + valueText(JSON.stringify(r.container)) : 'null,null,')) +
    lastValueText(raw, ']\t') + arrivalText(msg, form);
  if (!lastBodyHadLoneSurrogate()) return line;
  // JSON text holds no raw tab: the first one ends the body.
  const tab = line.indexOf('\t');
  return wellFormedBody(line.slice(0, tab)) + line.slice(tab);
}

/**
 * `JSON.stringify` of a record's `Arrival`, with the part every message of a TCP chunk shares
 * (arrival time, transport, sender) written once: the array stringified whole per record was a
 * quarter of `encodeRecord` on mixed-random lines.
 */
function arrivalText(msg: SyslogMessage, form: RawForm): string {
  const source = orNull(msg.source);
  if (msg.receivedAt !== arrivalOf.receivedAt || msg.transport !== arrivalOf.transport || source !== arrivalOf.source) {
    arrivalOf.receivedAt = msg.receivedAt;
    arrivalOf.transport = msg.transport;
    arrivalOf.source = source;
    arrivalOf.prefix = `[${JSON.stringify(msg.receivedAt)},${JSON.stringify(msg.transport)},${JSON.stringify(source)},`;
  }
  // A device's stamp text is quoted as it stands when nothing in it is escaped (JSON.stringify a call per record).
  const stamp = msg.timeText === undefined ? 'null' : jsonString(msg.timeText);
  return arrivalOf.prefix + stamp + FORM_TEXT[(form.escaped ? 2 : 0) + (form.truncated ? 1 : 0)]!;
}
/** The arrival's last two values by `RawForm` (escaped, truncated), each pair one piece of the line. */
const FORM_TEXT = [',0,0]', ',0,1]', ',1,0]', ',1,1]'];
const arrivalOf = { receivedAt: Number.NaN, transport: '', source: '' as string | null, prefix: '' };

export interface DecodedRecord {
  /** The chain body's text, to hash as it is. */
  body: string;
  values: ChainValues;
  arrival: Arrival;
}

export function decodeRecord(line: RecordLine): DecodedRecord {
  const values: unknown[] = new Array<unknown>(CHAIN_VALUES + ARRIVAL_VALUES);
  const tab = readRecordLine(line, values, 0);
  return { body: line.slice(0, tab), values: values.slice(0, CHAIN_VALUES) as ChainValues, arrival: values.slice(CHAIN_VALUES) as Arrival };
}

const CHAIN_VALUES = 17;
const ARRIVAL_VALUES = 6;

/**
 * A record line's values, the chain body's then the arrival's (`ChainValues` then `Arrival`),
 * written into `into` from `at`; returns where the body ends (the tab). Throws on a line that is
 * not what `encodeRecord` writes. The store thread reads every record with it: on aaa-only lines
 * 1.1 µs a record against 1.6 for JSON.parse of the body and the arrival (0.9 against 1.7 on a
 * line without escapes; 2026-12-05, load 11), and the store thread's writes 14.1 → 13.2 and 14.6 →
 * 13.5 µs a record, the row's values read into one array reused for every record.
 */
export function readRecordLine(line: RecordLine, into: unknown[], at: number): number {
  const tab = line.indexOf('\t');
  if (tab < 0) throw new SyntaxError('a record line without its arrival');
  const backslash = line.indexOf('\\');
  if (readFlatArray(line, 0, tab, backslash, into, at) !== CHAIN_VALUES ||
    readFlatArray(line, tab + 1, line.length, backslash >= 0 && backslash < tab ? line.indexOf('\\', tab) : backslash, into, at + CHAIN_VALUES) !== ARRIVAL_VALUES) {
    throw new SyntaxError('a record line of other values than a record\'s');
  }
  return tab;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const ZERO = 0x30;

/**
 * The values of `text[from, to)`, a JSON array of strings, numbers and nulls as JSON.stringify
 * writes it (no white space, nothing nested), into `into` from `at`; returns how many. A string
 * without an escape is a slice of the text, found with indexOf (memchr), where JSON.parse read it
 * character by character and copied it; one with an escape is left to JSON.parse. `backslash`:
 * the first backslash at or after `from`, or -1.
 */
function readFlatArray(text: string, from: number, to: number, backslash: number, into: unknown[], at: number): number {
  if (text.charCodeAt(from) !== OPEN || text.charCodeAt(to - 1) !== CLOSE) throw malformed();
  let i = from + 1;
  let n = 0;
  if (i === to - 1) return 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      if (end < 0 || end >= to) throw malformed();
      if (backslash < 0 || backslash > end) into[at + n] = text.slice(i + 1, end);
      else {
        // A quote ends the string unless an odd number of backslashes stands before it.
        while (backslashesBefore(text, end) % 2 === 1) {
          end = text.indexOf('"', end + 1);
          if (end < 0 || end >= to) throw malformed();
        }
        into[at + n] = JSON.parse(text.slice(i, end + 1)) as string;
        backslash = text.indexOf('\\', end + 1);
      }
      i = end + 1;
    } else if (c === 0x6e) {
      if (!text.startsWith('null', i)) throw malformed();
      into[at + n] = null;
      i += 4;
    } else {
      // A whole number (a time, 0 or 1) read digit by digit; any other JSON number by Number.
      let v = 0;
      let j = i;
      for (let d = text.charCodeAt(j) - ZERO; d >= 0 && d <= 9; d = text.charCodeAt(++j) - ZERO) v = v * 10 + d;
      const next = text.charCodeAt(j);
      if (j === i || (next !== COMMA && next !== CLOSE) || v > Number.MAX_SAFE_INTEGER) {
        while (j < to - 1 && text.charCodeAt(j) !== COMMA) j++;
        v = Number(text.slice(i, j));
        if (j === i || Number.isNaN(v)) throw malformed();
      }
      into[at + n] = v;
      i = j;
    }
    n++;
    if (i === to - 1) return n;
    if (text.charCodeAt(i) !== COMMA) throw malformed();
    i++;
  }
}

function backslashesBefore(text: string, at: number): number {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === BACKSLASH) n++;
  return n;
}

const malformed = (): SyntaxError => new SyntaxError('a record line that is not flat JSON arrays');

/** A message kept whole because every message is kept (store.storeAllMessages), and no record came from it. */
export interface MessageRow {
  receivedAt: number;
  time: number;
  timeText: string | null;
  timeQuality: SyslogMessage['timeQuality'];
  source: string | null;
  transport: SyslogMessage['transport'];
  device: string;
  hostname: string | null;
  program: string | null;
  facility: number | null;
  severity: number | null;
  /** Secrets already removed; the escaped form when `escaped` (see `Arrival`). */
  raw: string;
  escaped: boolean;
  truncated: boolean;
}

export interface TrafficRow {
  device: string;
  program: string;
  messages: number;
  recognised: number;
}

export interface RejectRow {
  at: number;
  source: string | null;
  transport: string;
  reason: string;
  raw: Uint8Array;
}

export interface UnknownRow {
  device: string;
  type: string;
  count: number;
  first: number;
  last: number;
  example: string;
}

export interface ActivityRow {
  device: string;
  source: string | null;
  first: number;
  last: number;
}

/** What one native accounting sender (TACACS+, RADIUS) did for or in the name of one device since the last batch. */
export interface NativeRow {
  transport: string;
  source: string;
  device: string;
  first: number;
  last: number;
  accepted: number;
  lastAccepted: number | null;
  badKey: number;
  lastBadKey: number | null;
  refused: number;
  /** Requests whose NAS attributes named this device, from a sender not configured as its proxy. */
  named: number;
  lastNamed: number | null;
  /** Packets that did not read (a bad header, flags, length, attribute…), and the last one's reason: the global counter's, never its bytes. */
  malformed: number;
  lastMalformed: number | null;
  lastMalformedReason: string | null;
}

/** A RELP frame handed over with this batch, remembered to recognise it if its sender sends it again (src/ingest/relp/resends.ts). */
export interface ResendRow {
  session: string;
  source: string;
  seq: number;
  digest: string;
  at: number;
  /** The session's frames after its first `keepFirst` and up to `forgetThrough` are forgotten. */
  keepFirst: number;
  forgetThrough: number;
}

/**
 * A batch of the writer (writer.ts, fold.ts) has every field, `native` and `resends` undefined
 * when it has none, in this order: one shape for every batch. The functions that handle batches
 * on both threads (toWire, fromWire, the store's writes) were optimised for the shapes seen by
 * then, and a shape first seen later (a counts batch without native rows, some minutes into a
 * RADIUS feed) deoptimised them all ("wrong map"; BENCHMARKS.md rad18).
 */
export interface IngestBatch {
  records: RecordLine[];
  messages: MessageRow[];
  /** Traffic counted in `hour` (epoch hours) since the last batch. */
  hour: number;
  traffic: TrafficRow[];
  rejects: RejectRow[];
  unknowns: UnknownRow[];
  activity: ActivityRow[];
  /** Native accounting senders; absent in batches from before they existed. */
  native?: NativeRow[];
  /** RELP frames to remember, and sessions whose frames are forgotten (after the frames are written). */
  resends?: { frames: ResendRow[]; forget: string[] };
  /** Added to cumulative counters. */
  counters: Array<[string, number]>;
  /** Set to absolute values (kernel drop totals). */
  gauges: Array<[string, number]>;
}

export function isEmpty(b: IngestBatch): boolean {
  return !b.records.length && !b.messages.length && !b.traffic.length && !b.rejects.length && !b.unknowns.length &&
    !b.activity.length && !b.counters.length && !b.gauges.length && !b.native?.length &&
    !b.resends;
}
