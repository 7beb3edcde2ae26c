// Stream framing for syslog over TCP and TLS: RFC 6587 octet counting (`LEN SP MSG`) and
// LF-terminated ("non-transparent") framing, detected per frame on the same connection, as
// rsyslog's imtcp does. Pure: bytes in, frames and faults out.
//
// A bad frame costs that frame only, wherever the stream can be followed past it: an LF-framed
// message over the limit is kept up to the limit (flagged truncated) and reading resumes after its
// LF; an octet-counted frame over the limit is read and discarded, count bytes of it. Only a count
// that cannot be a frame's length leaves no way to find the next frame; the stream fails then, and
// the socket code closes that connection.

import { isAscii, isUtf8 } from 'node:buffer';

export interface FrameSink {
  /** A message; `truncated` when it was longer than the limit and this is its start. */
  frame(text: string, latin1: boolean, truncated: boolean): void;
  /** Bytes that were no message. `sample` is the start of them. After `bad-octet-count` the stream is unusable. */
  error(reason: FramingError, sample: Buffer): void;
}

/**
 * `oversize-frame`: an octet count over the limit, the frame skipped; `bad-octet-count`: a count no
 * frame can have (11 digits or more, or past the skip bound), the stream given up;
 * `truncated-frame`: the connection ended inside an octet-counted frame.
 */
export type FramingError = 'oversize-frame' | 'bad-octet-count' | 'truncated-frame';

/** How much of the offending bytes a fault keeps as its sample. */
const SAMPLE_BYTES = 256;

/**
 * The largest octet count skipped (read and discarded) rather than taken as a broken stream: this
 * many times the message limit, and at least 1 MiB. A count past it is more likely a sender out of
 * step than a frame, and skipping it would swallow the good frames behind it.
 */
const SKIP_FACTOR = 16;
const MIN_SKIP_BOUND = 1 << 20;

/** Digits in the longest count: 10. `12345678901 ` is shaped as a count but is none. */
const MAX_COUNT_DIGITS = 10;
/** A longer digit run (then a space or not) is read as the start of an LF-framed message. */
const MAX_DIGIT_RUN = 20;

/**
 * Hand a frame to `sink`: as UTF-8 when the bytes are valid UTF-8, else byte for byte as Latin-1,
 * so nothing a device sent is lost or silently replaced.
 */
export function deliver(buf: Buffer, start: number, end: number, sink: Pick<FrameSink, 'frame'>, ascii = false, truncated = false): void {
  // ASCII (checked once for a whole chunk) reads the same as Latin-1, without UTF-8 decoding or the check below.
  if (ascii) {
    sink.frame(buf.toString('latin1', start, end), false, truncated);
    return;
  }
  const text = buf.toString('utf8', start, end);
  // U+FFFD in the result means invalid bytes, or a sender that really sent U+FFFD: check.
  if (text.indexOf('\uFFFD') < 0 || isUtf8(buf.subarray(start, end))) sink.frame(text, false, truncated);
  else sink.frame(buf.toString('latin1', start, end), true, truncated);
}

/**
 * Where to cut `buf` to keep at most the bytes `start`…`end`: before a UTF-8 character that `end`
 * would split, so a valid UTF-8 message cut short is still valid UTF-8.
 */
export function cutAtCharacter(buf: Buffer, start: number, end: number): number {
  // The byte after the cut starts a character (or is no UTF-8 at all): the cut is clean.
  if (end >= buf.length || (buf[end]! & 0xc0) !== 0x80) return end;
  let e = end;
  while (e > start && end - e < 3 && (buf[e - 1]! & 0xc0) === 0x80) e--;
  // Before the lead byte of the character the cut would split; bytes that are no UTF-8 are cut where they are.
  return e > start && (buf[e - 1]! & 0xc0) === 0xc0 ? e - 1 : end;
}

export class Framer {
  private pending: Buffer | undefined;
  private failed = false;
  /** Bytes of an oversize octet-counted frame still to discard. */
  private skip = 0;
  /** Discarding the rest of an LF-framed message already delivered truncated, up to its LF. */
  private toLf = false;
  private readonly skipBound: number;

  constructor(
    private readonly maxFrame: number,
    private readonly sink: FrameSink,
  ) {
    this.skipBound = Math.max(maxFrame * SKIP_FACTOR, MIN_SKIP_BOUND);
  }

  /** Feed bytes; returns false once the stream has failed and should be closed. */
  push(chunk: Buffer): boolean {
    if (this.failed) return false;
    let from = 0;
    if (this.skip > 0) {
      from = Math.min(this.skip, chunk.length);
      this.skip -= from;
      if (this.skip > 0) return true;
    }
    if (this.toLf) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) return true;
      this.toLf = false;
      from = nl + 1;
    }
    let buf = from === 0 ? chunk : chunk.subarray(from);
    if (this.pending) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = undefined;
    }
    let pos = 0;
    const len = buf.length;
    const ascii = isAscii(buf);
    while (pos < len) {
      const c = buf[pos]!;
      if (c >= 49 && c <= 57) {
        // Octet counting: a non-zero digit run then a space. Anything else starting with a digit
        // (a bare `2020-07-17 …` tac_plus line, `1991219: Mar …`) is an LF-framed message.
        let count = 0;
        let j = pos;
        while (j < len && j - pos <= MAX_DIGIT_RUN) {
          const d = buf[j]!;
          if (d < 48 || d > 57) break;
          count = count * 10 + (d - 48);
          j++;
        }
        const digits = j - pos;
        // Digits up to the end of what has arrived: wait for more to tell the framing apart.
        if (j === len && digits <= MAX_DIGIT_RUN) break;
        if (digits <= MAX_DIGIT_RUN && buf[j] === 32) {
          // Shaped as a count, and too large for any frame: where the next frame starts is lost.
          if (digits > MAX_COUNT_DIGITS || count > this.skipBound) return this.fail(buf, pos);
          const start = j + 1;
          const end = start + count;
          if (count > this.maxFrame) {
            this.sink.error('oversize-frame', Buffer.from(buf.subarray(pos, Math.min(len, pos + SAMPLE_BYTES))));
            if (end > len) {
              this.skip = end - len;
              return true;
            }
            pos = end;
            continue;
          }
          if (end > len) break;
          deliver(buf, start, end, this.sink, ascii);
          pos = end;
          continue;
        }
      }
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        if (len - pos > this.maxFrame) {
          // Its LF has not come yet, and the message is already too long: keep its start now, so
          // nothing waits in memory for an LF that may never come.
          this.truncate(buf, pos, ascii);
          this.toLf = true;
          return true;
        }
        break;
      }
      let end = nl;
      if (end > pos && buf[end - 1] === 13) end--;
      if (end - pos > this.maxFrame) this.truncate(buf, pos, ascii);
      else if (end > pos) deliver(buf, pos, end, this.sink, ascii);
      pos = nl + 1;
    }
    if (pos < len) this.pending = Buffer.from(buf.subarray(pos));
    return true;
  }

  /** The start of the part of a frame held, as a stalled or closed connection's sample. */
  sample(): Buffer {
    return this.pending ? Buffer.from(this.pending.subarray(0, SAMPLE_BYTES)) : Buffer.alloc(0);
  }

  /** Inside a frame: part of one held, or the rest of an oversize one still to come. */
  get midFrame(): boolean {
    return this.pending !== undefined || this.skip > 0 || this.toLf;
  }

  /**
   * At connection end: a last LF-less message is still a message (loggen and `logger` end this
   * way). What is held of an octet-counted frame is none, and is reported as `truncated-frame`
   * unless `reportPartial` is false (the caller counts the connection's end under its own reason).
   */
  end(reportPartial = true): void {
    const rest = this.pending;
    this.pending = undefined;
    this.skip = 0;
    this.toLf = false;
    if (this.failed || !rest || rest.length === 0) return;
    if (/^[1-9]\d{0,9} /.test(rest.subarray(0, MAX_COUNT_DIGITS + 1).toString('latin1'))) {
      if (reportPartial) this.sink.error('truncated-frame', rest.subarray(0, SAMPLE_BYTES));
      return;
    }
    deliver(rest, 0, rest.length, this.sink);
  }

  /** Deliver the first `maxFrame` bytes from `pos`, flagged truncated. */
  private truncate(buf: Buffer, pos: number, ascii: boolean): void {
    deliver(buf, pos, cutAtCharacter(buf, pos, pos + this.maxFrame), this.sink, ascii, true);
  }

  private fail(buf: Buffer, pos: number): false {
    this.failed = true;
    this.pending = undefined;
    this.sink.error('bad-octet-count', Buffer.from(buf.subarray(pos, pos + SAMPLE_BYTES)));
    return false;
  }
}
