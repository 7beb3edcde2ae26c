// RELP framing (librelp doc/relp.md, "RELP FRAME"): `TXNR SP COMMAND SP DATALEN [SP DATA] LF`,
// TXNR and DATALEN 1 to 9 digits, COMMAND 1 to 32 letters. Pure: bytes in, frames out. A frame
// whose DATALEN is over the limit is truncated to it (its remaining bytes are read and discarded,
// so memory stays bounded), as rsyslog's imrelp does by default (oversizeMode="truncate"); any
// other violation makes the stream unusable, and the spec's answer to that is closing it.

import { cutAtCharacter } from '../framing.js';

export interface RelpFrame {
  txnr: number;
  command: string;
  data: Buffer;
  /** The DATALEN announced, when it was over the limit and `data` holds only its start. */
  truncatedFrom?: number;
}

export type RelpFrameError = 'relp-bad-frame' | 'relp-bad-trailer';

export interface RelpPush {
  frames: RelpFrame[];
  /** Set when the stream broke: no frame follows it. `sample` is the start of the offending bytes. */
  error?: { reason: RelpFrameError; sample: Buffer };
}

const SP = 32;
const LF = 10;
/** How much of the offending bytes a fault keeps as its sample (as for TCP's framing faults). */
export const SAMPLE_BYTES = 256;
const MAX_DIGITS = 9;
const MAX_COMMAND = 32;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

interface Header {
  txnr: number;
  command: string;
  length: number;
  /** Where DATA starts (or the trailer, when DATALEN is 0). */
  dataAt: number;
}

/** A header at `pos`: 'more' when the bytes end inside it, 'bad' when it breaks the grammar. */
function readHeader(buf: Buffer, pos: number): Header | 'more' | 'bad' {
  let i = pos;
  const number = (): number | 'more' | 'bad' => {
    let n = 0;
    const start = i;
    while (i < buf.length && isDigit(buf[i]!)) {
      if (i - start === MAX_DIGITS) return 'bad';
      n = n * 10 + (buf[i]! - 48);
      i++;
    }
    if (i === buf.length) return 'more';
    return i === start ? 'bad' : n;
  };
  const txnr = number();
  if (typeof txnr !== 'number') return txnr;
  if (buf[i] !== SP) return 'bad';
  i++;
  const start = i;
  while (i < buf.length && isAlpha(buf[i]!)) {
    if (i - start === MAX_COMMAND) return 'bad';
    i++;
  }
  if (i === buf.length) return 'more';
  if (i === start || buf[i] !== SP) return 'bad';
  const command = buf.toString('latin1', start, i);
  i++;
  const length = number();
  if (typeof length !== 'number') return length;
  if (length === 0) return { txnr, command, length, dataAt: i };
  if (buf[i] !== SP) return 'bad';
  return { txnr, command, length, dataAt: i + 1 };
}

export class RelpFramer {
  private pending: Buffer | undefined;
  /** An oversize frame being read: its start is kept, `left` more data bytes are discarded. */
  private skipping: { frame: RelpFrame; left: number } | undefined;
  private failed = false;

  constructor(private readonly maxData: number) {}

  /** Bytes received but not yet a whole frame. */
  get buffered(): number {
    return (this.pending?.length ?? 0) + (this.skipping ? 1 : 0);
  }

  /** The start of the frame held part way (its bytes so far, or an oversize frame's kept start): a cut or stalled session's sample. */
  sample(): Buffer {
    if (this.skipping) return frameSample(this.skipping.frame);
    return this.pending ? Buffer.from(this.pending.subarray(0, SAMPLE_BYTES)) : Buffer.alloc(0);
  }

  push(chunk: Buffer): RelpPush {
    const frames: RelpFrame[] = [];
    if (this.failed) return { frames };
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let pos = 0;
    while (pos < buf.length) {
      if (this.skipping) {
        const s = this.skipping;
        const take = Math.min(s.left, buf.length - pos);
        s.left -= take;
        pos += take;
        if (s.left > 0 || pos === buf.length) break;
        if (buf[pos] !== LF) return this.fail('relp-bad-trailer', buf, pos, frames);
        pos++;
        this.skipping = undefined;
        frames.push(s.frame);
        continue;
      }
      const h = readHeader(buf, pos);
      if (h === 'bad') return this.fail('relp-bad-frame', buf, pos, frames);
      if (h === 'more') break;
      if (h.length > this.maxData) {
        // The byte after the limit too, to see whether the cut splits a UTF-8 character (the frame
        // has more: it is longer than the limit, and a trailer follows).
        if (buf.length - h.dataAt <= this.maxData) break;
        // Never inside a UTF-8 character, so a valid UTF-8 message cut short is still valid UTF-8.
        const cut = cutAtCharacter(buf, h.dataAt, h.dataAt + this.maxData);
        this.skipping = {
          frame: { txnr: h.txnr, command: h.command, data: Buffer.from(buf.subarray(h.dataAt, cut)), truncatedFrom: h.length },
          left: h.length - (cut - h.dataAt),
        };
        pos = cut;
        continue;
      }
      const end = h.dataAt + h.length;
      if (end >= buf.length) break;
      if (buf[end] !== LF) return this.fail('relp-bad-trailer', buf, pos, frames);
      // A copy: a view would hold the whole chunk for as long as the message is held.
      frames.push({ txnr: h.txnr, command: h.command, data: Buffer.from(buf.subarray(h.dataAt, end)) });
      pos = end + 1;
    }
    if (pos < buf.length) this.pending = Buffer.from(buf.subarray(pos));
    return { frames };
  }

  private fail(reason: RelpFrameError, buf: Buffer, pos: number, frames: RelpFrame[]): RelpPush {
    this.failed = true;
    this.pending = undefined;
    this.skipping = undefined;
    return { frames, error: { reason, sample: Buffer.from(buf.subarray(pos, pos + SAMPLE_BYTES)) } };
  }
}

/** The start of a frame as the wire carried it, at most SAMPLE_BYTES: a refused frame's sample. */
export function frameSample(f: RelpFrame): Buffer {
  const head = Buffer.from(`${f.txnr} ${f.command} ${f.truncatedFrom ?? f.data.length}${f.data.length > 0 ? ' ' : ''}`, 'latin1');
  return Buffer.concat([head, f.data.subarray(0, Math.max(0, SAMPLE_BYTES - head.length))]);
}

/** A frame as the wire carries it. */
export function encodeFrame(txnr: number, command: string, data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (body.length === 0) return Buffer.from(`${txnr} ${command} 0\n`, 'latin1');
  return Buffer.concat([Buffer.from(`${txnr} ${command} ${body.length} `, 'latin1'), body, Buffer.from('\n', 'latin1')]);
}
