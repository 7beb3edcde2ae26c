// The text of one (reassembled) ISE message:
//   2020-02-21 19:13:08.328 +00:00 0018415781 3300 NOTICE Tacacs-Accounting: TACACS+ Accounting
//   with Command, ConfigVersionId=1829, Device IP Address=81.2.69.144, CmdSet=[ CmdAV=show
//   mac-address-table <cr> ], …, Response={AcctReply-Status=Success; }
// A stamp, a sequence number, the message code, a severity, `Class: description`, then
// `Name=value` attributes separated by `, ` (names may hold spaces; some repeat, such as AVPair).

import { isSpace } from '../lib/white-space.js';

export interface IseMessage {
  stamp: string;
  code: string;
  description: string;
  /**
   * The first value of each attribute records.ts reads, by its place in `WANTED`, trimmed: records
   * read only the first (`first`), so a repeat is not cut out.
   */
  values: Array<string | undefined>;
  /** Every `AVPair` value in order: they repeat, one per TACACS+ attribute-value pair ISE relays. */
  avPairs: string[];
  /**
   * Reads the next attribute into `values` and `avPairs`; false once the text is read to its end.
   * Absent: `values` and `avPairs` are whole. `first` and `avPair` read on only as far as their
   * answer: a TACACS+ accounting record's attributes all come before AcctRequest-Flags, a little
   * under half of the line's ~40.
   */
  more?(): boolean;
}

const HEADER =
  /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? ?[+-]\d{2}:?\d{2}) \d+ (\d{3,6}) [A-Z]+ [\w-]{1,64}: /;

/**
 * The attributes records.ts reads. ISE sends fifty or more per message (steps, device groups,
 * profiles); keeping only these halved the cost of reading a TACACS+ accounting line, 1,100
 * characters and ~9 µs before.
 */
const WANTED = [
  'NetworkDeviceName', 'NAS-Identifier', 'Device IP Address', 'NAS-IP-Address', 'User', 'UserName', 'User-Name', 'Remote-Address',
  'Calling-Station-ID', 'AcctRequest-Flags', 'CmdSet', 'Privilege-Level', 'Acct-Status-Type', 'Acct-Session-Id', 'Service-Type',
  'Protocol', 'AdminName', 'AdminIPAddress', 'AdminInterface', 'ObjectType', 'ObjectName', 'FailureFlag', 'OperationMessageText',
  'AVPair',
] as const;
export type Wanted = Exclude<(typeof WANTED)[number], 'AVPair'>;
const AV_PAIR = WANTED.indexOf('AVPair');
const PLACE: ReadonlyMap<string, number> = new Map(WANTED.map((w, k) => [w, k]));

const MAX_ATTRS = 512;
const MAX_NAME = 64;

/**
 * The wanted names by a hash of their characters, laid out for linear probing (a place in
 * `WANTED`, -1 for an empty slot): `nextBoundary` hashes each attribute's name as it reads it, so
 * a name is compared only when its hash is a wanted one's, and its `=` is not searched again.
 * Comparing each name with the wanted names of its length (startsWith) was ~30% of reading an ISE
 * line: readIseMessage 4.19–4.88 → 3.49–3.73 µs an aaa-only ISE line (0.77× and 0.83×, both
 * builds in one process, each order, 2026-12-05, load 12).
 */
const SLOTS = 64;
const SLOT_PLACE = new Int8Array(SLOTS).fill(-1);
const SLOT_HASH = new Int32Array(SLOTS);

/** The hash `nextBoundary` computes over a name's characters. */
const step = (h: number, c: number): number => (Math.imul(h, 31) + c) | 0;

WANTED.forEach((w, k) => {
  let h = 0;
  for (let j = 0; j < w.length; j++) h = step(h, w.charCodeAt(j));
  let s = h & (SLOTS - 1);
  while (SLOT_PLACE[s] !== -1) s = (s + 1) & (SLOTS - 1);
  SLOT_PLACE[s] = k;
  SLOT_HASH[s] = h;
});

/** The place in `WANTED` of the name text[from, to), whose hash is `h`, or -1. */
function wantedPlace(text: string, from: number, to: number, h: number): number {
  for (let s = h & (SLOTS - 1); SLOT_PLACE[s] !== -1; s = (s + 1) & (SLOTS - 1)) {
    const k = SLOT_PLACE[s]!;
    if (SLOT_HASH[s] === h && WANTED[k]!.length === to - from && text.startsWith(WANTED[k]!, from)) return k;
  }
  return -1;
}

/**
 * The characters of an attribute name as ISE prints them (`User`, `Device IP Address`, `Model
 * Name`, `cisco-av-pair`): 2 for a letter, which a name starts with; 1 for a digit or one of
 * `:_ .#-`, which may follow, up to 64 characters in all.
 */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z]/.test(ch)) NAME_CHAR[c] = 2;
  else if (/[0-9:_ .#-]/.test(ch)) NAME_CHAR[c] = 1;
}

/**
 * The message's stamp, code and description, its attributes read as they are asked for (`first`,
 * `avPair`): what a record reads of a TACACS+ accounting line comes in its first half (~17 of
 * ~40 attributes, ~500 of ~1,150 characters). Reading every line whole, the reader was 20% of an
 * ISE accounting line's CPU, 12% read so (`--cpu-prof`); the reading thread 0.973× and 0.921× on
 * mixed-random (median pair ratios, in process, alternated, 2026-12-06, load 13–29).
 */
export function readIseMessage(text: string): IseMessage | undefined {
  const h = HEADER.exec(text);
  return h ? new IseText(text, h[1]!, h[2]!, h[0].length) : undefined;
}

/** An ISE message read attribute by attribute (`more`), each boundary found as the whole-text reading found it. */
class IseText implements IseMessage {
  readonly values = new Array<string | undefined>(WANTED.length).fill(undefined);
  readonly avPairs: string[] = [];
  readonly description: string;
  /** The next boundary (`, ` before a name and its `=`), or the text's length; its `=` and its name's hash. */
  private end: number;
  private eq: number;
  private hash: number;
  private count = 0;

  constructor(
    private readonly text: string,
    readonly stamp: string,
    readonly code: string,
    from: number,
  ) {
    // Each boundary found is a `, ` followed by a valid name and `=`: the name needs no second look.
    this.end = nextBoundary(text, from);
    this.eq = boundaryEq;
    this.hash = boundaryHash;
    this.description = text.slice(from, this.end).trim();
  }

  more(): boolean {
    const text = this.text;
    if (this.end >= text.length || this.count >= MAX_ATTRS) return false;
    // The boundary found last: its name ends at its `=`, and was hashed on the way.
    const i = this.end + 2;
    const eq = this.eq;
    const h = this.hash;
    const v = eq + 1;
    // CmdSet=[ … ] and Response={ … }: the command inside may contain `, `.
    const open = text.charCodeAt(v);
    const close = open === 91 /* [ */ ? text.indexOf(' ]', v) : open === 123 /* { */ ? text.indexOf('}', v) : -1;
    let stop: number;
    if (close >= 0) {
      stop = close + (open === 91 ? 2 : 1);
      this.end = nextBoundary(text, stop);
    } else stop = this.end = nextBoundary(text, v);
    this.eq = boundaryEq;
    this.hash = boundaryHash;
    this.count++;
    const k = wantedPlace(text, i, eq, h);
    if (k === AV_PAIR) this.avPairs.push(text.slice(v, stop).trim());
    else if (k >= 0 && this.values[k] === undefined) this.values[k] = text.slice(v, stop).trim();
    return true;
  }

  /** The message as data, read whole (what a test or a log prints of it). */
  toJSON(): Omit<IseMessage, 'more'> {
    while (this.more());
    return { stamp: this.stamp, code: this.code, description: this.description, values: this.values, avPairs: this.avPairs };
  }
}

/**
 * Index of the next `, ` followed by an attribute name and its `=`, or the text length: what
 * `/, (?=[A-Za-z][A-Za-z0-9:_ .#-]{0,63}=)/g` found. Each `, ` by indexOf, its name checked by
 * table up to the first character no name holds: readIseMessage 4.63 to 3.91 µs a bench:ingest
 * TACACS+ accounting line (in-process, alternated, 2026-12-04, load 12). (An earlier loop that
 * looked for each `, `'s `=` with indexOf read to the text's end from every `, ` of a text without one.)
 * The boundary's `=` and its name's hash are left in `boundaryEq` and `boundaryHash`.
 */
function nextBoundary(text: string, from: number): number {
  for (let b = text.indexOf(', ', from); b >= 0; b = text.indexOf(', ', b + 1)) {
    let j = b + 2;
    const c = text.charCodeAt(j);
    if (c < 128 && NAME_CHAR[c] === 2) {
      let h = c;
      const last = Math.min(text.length, j + MAX_NAME);
      for (j++; j < last; j++) {
        const d = text.charCodeAt(j);
        if (d >= 128 || NAME_CHAR[d] === 0) break;
        h = step(h, d);
      }
      if (text.charCodeAt(j) === 61 /* = */) {
        boundaryEq = j;
        boundaryHash = h;
        return b;
      }
    }
  }
  return text.length;
}
let boundaryEq = 0;
let boundaryHash = 0;

// The attributes that name the NAS, in the order records prefer them (records.ts `origin`).
const NAS = /(?:^|, ?)(NetworkDeviceName|NAS-Identifier|Device IP Address|NAS-IP-Address)=([^,]{1,256})/g;
const NAS_ORDER = ['NetworkDeviceName', 'NAS-Identifier', 'Device IP Address', 'NAS-IP-Address'];

/**
 * The NAS a piece of message text names, for a message that could not be read whole (segments
 * lost): the device its loss is counted against. Undefined when the pieces that arrived do not say.
 */
export function nasOf(text: string): string | undefined {
  let best: string | undefined;
  let rank = NAS_ORDER.length;
  for (const m of text.matchAll(NAS)) {
    const r = NAS_ORDER.indexOf(m[1]!);
    const value = m[2]!.trim();
    if (r < rank && value !== '') {
      best = value;
      rank = r;
      if (r === 0) break;
    }
  }
  return best;
}

/** The attribute's first value, unless empty. */
export function first(m: IseMessage, name: Wanted): string | undefined {
  const k = PLACE.get(name)!;
  // Only the first value is kept, so reading stops at it, empty or not.
  if (m.more !== undefined) while (m.values[k] === undefined && m.more());
  const v = m.values[k];
  return v === undefined || v === '' ? undefined : v;
}

/** The value of `AVPair=name=value` (TACACS+ attribute-value pairs ISE relays). */
export function avPair(m: IseMessage, name: string): string | undefined {
  const prefix = name + '=';
  for (let j = 0; ; j++) {
    if (j === m.avPairs.length) {
      // Read on to the next AVPair, if any.
      if (m.more === undefined) return undefined;
      while (j === m.avPairs.length) if (!m.more()) return undefined;
    }
    const v = m.avPairs[j]!;
    if (v.startsWith(prefix)) return v.slice(prefix.length) || undefined;
  }
}


/**
 * The command in `CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=<cr> ]`, arguments joined by spaces:
 * the pieces between the white-space characters that precede `CmdAV=` or `CmdArgAV=`, each trimmed,
 * their prefixes taken off. Found with indexOf, where a split by expression made an array of
 * pieces to trim and a match for each separator: 0.56 to 0.32 µs a bench:ingest TACACS+ accounting
 * message (in-process, alternated, 2026-12-04, load 13).
 */
export function commandOf(m: IseMessage): string | undefined {
  const set = first(m, 'CmdSet');
  if (!set || !set.startsWith('[')) return undefined;
  const inner = set.slice(1, set.endsWith(']') ? -1 : undefined);
  let cmd = '';
  let parts = 0;
  let start = 0;
  for (let q = inner.indexOf('Cmd', 1); ; q = inner.indexOf('Cmd', q + 3)) {
    // A piece ends before a white-space character followed by `CmdAV=` or `CmdArgAV=`, or at the end.
    const cut = q < 0 ? inner.length : q - 1;
    if (q >= 0 && !(isSpace(inner.charCodeAt(cut)) && (inner.startsWith('AV=', q + 3) || inner.startsWith('ArgAV=', q + 3)))) continue;
    const piece = inner.slice(start, cut).trim();
    const value = piece.startsWith('CmdAV=') ? piece.slice(6) : piece.startsWith('CmdArgAV=') ? piece.slice(9) : undefined;
    if (value !== undefined) cmd = parts++ === 0 ? value : cmd + ' ' + value;
    if (q < 0) break;
    start = cut + 1;
  }
  cmd = cmd.trim();
  return cmd.length > 0 ? cmd : undefined;
}
