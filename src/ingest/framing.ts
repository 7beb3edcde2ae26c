// Stream framing for syslog over TCP and TLS: RFC 6587 octet counting (`LEN SP MSG`) and
// LF-terminated ("non-transparent") framing, detected per frame on the same connection, as
// rsyslog's imtcp does. Pure: bytes in, frames and faults out.
//
// A bad frame costs that frame only, wherever the stream can be followed past it: an LF-framed
// message over the limit is kept up to the limit (flagged truncated) and reading resumes after its
// LF; an octet-counted frame over the limit is read and discarded, count bytes of it. Only a count
// that cannot be a frame's length leaves no way to find the next frame; the stream fails then, and
// the socket code closes that connection. An LF-framed message ends at its LF, at a NUL trailer
// (RFC 6587 3.4.2), and on a connection that counts octets (so never sends an LF) at the next count
// header: bytes where a count was expected cost only themselves, not every frame after them.

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

const LF = 10;
const CR = 13;
const NUL = 0;
const SP = 32;
const LT = 60;
const SP_LT = Buffer.from(' <', 'latin1');
/** `countHeader`: one may start here, but its frame has not all arrived to check it. */
const WAIT = -3;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/**
 * Whether a frame can start at `q`: a count header (`COUNT SP <`), or where `lenient`, a syslog
 * message's `<`, or an LF or NUL ending an empty one. Undefined when the bytes that would tell have not arrived.
 */
function frameStartsAt(buf: Buffer, q: number, lenient: boolean): boolean | undefined {
  const c = buf[q]!;
  if (c === LT || c === LF || c === NUL) return lenient;
  if (!isDigit(c)) return false;
  let j = q;
  while (j < buf.length && j - q <= MAX_DIGIT_RUN && isDigit(buf[j]!)) j++;
  if (j + 1 >= buf.length) return j - q <= MAX_DIGIT_RUN ? undefined : false;
  return buf[j] === SP && buf[j + 1] === LT;
}

/** The longest count header: a digit run, its space and the `<` after it. */
const HEADER_BYTES = MAX_DIGIT_RUN + 2;
/** What is held at the end is the start of an octet-counted frame, not a message. */
const PARTIAL_COUNT = /^(?:[1-9]\d{0,9} |0+[1-9]\d{0,9} <)/;

/** Where an LF-framed message ends (`end`) and the next frame starts (`next`); `lf` when at an LF, so a CR before it goes too. */
interface MessageEnd {
  end: number;
  next: number;
  lf: boolean;
}

export class Framer {
  private pending: Buffer | undefined;
  private failed = false;
  /** Bytes of an oversize octet-counted frame still to discard. */
  private skip = 0;
  /** Discarding the rest of an LF-framed message already delivered truncated, up to its end. */
  private discarding = false;
  /** The last bytes discarded, so that a count header split between two reads is still found. */
  private discardTail: Buffer | undefined;
  /** The sender has used octet counting: an LF-framed read on this connection also ends where a count header starts. */
  private octet = false;
  /** The next NUL at or after the read position in the buffer being framed, -1 for none, -2 not looked for yet. */
  private nul = -2;
  /** A frame has been read on this connection (its opening bytes no longer decide how it is framed). */
  private framed = false;
  /** The connection has ended: what is held is all there is. */
  private closing = false;
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
    let buf = from === 0 ? chunk : chunk.subarray(from);
    if (this.discarding) {
      const scan = this.discardTail ? Buffer.concat([this.discardTail, buf]) : buf;
      this.nul = -2;
      const e = this.messageEnd(scan, 0, scan.length);
      if (!e) {
        this.discardTail = Buffer.from(scan.subarray(Math.max(0, scan.length - HEADER_BYTES)));
        return true;
      }
      this.discarding = false;
      this.discardTail = undefined;
      buf = scan.subarray(e.next);
    }
    if (this.pending) {
      buf = Buffer.concat([this.pending, buf]);
      this.pending = undefined;
    }
    this.nul = -2;
    let pos = 0;
    const len = buf.length;
    const ascii = isAscii(buf);
    while (pos < len) {
      const c = buf[pos]!;
      if (c >= 48 && c <= 57) {
        // Octet counting: a digit run then a space. Anything else starting with a digit (a bare
        // `2020-07-17 …` tac_plus line, `1991219: Mar …`) is an LF-framed message; so is a run of
        // zeros, or one with leading zeros not followed by a syslog message's `<` (RFC 6587 has
        // no leading zeros; rsyslog reads them as a count).
        let count = 0;
        let zeros = 0;
        let j = pos;
        while (j < len && j - pos <= MAX_DIGIT_RUN) {
          const d = buf[j]!;
          if (d < 48 || d > 57) break;
          if (count === 0 && d === 48) zeros++;
          count = count * 10 + (d - 48);
          j++;
        }
        const digits = j - pos;
        // Digits up to the end of what has arrived, or a padded count's space: wait for more to tell the framing apart.
        if (digits <= MAX_DIGIT_RUN && (j === len || (zeros > 0 && count > 0 && j + 1 === len && buf[j] === SP))) break;
        if (digits <= MAX_DIGIT_RUN && buf[j] === SP && (zeros === 0 || (count > 0 && buf[j + 1] === LT))) {
          // Shaped as a count, and too large for any frame: where the next frame starts is lost.
          if (digits - zeros > MAX_COUNT_DIGITS || count > this.skipBound) return this.fail(buf, pos);
          this.octet = true;
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
      const e = this.messageEnd(buf, pos, len);
      if (!e) {
        if (len - pos > this.maxFrame) {
          // Its end has not come yet, and the message is already too long: keep its start now, so
          // nothing waits in memory for an end that may never come.
          this.truncate(buf, pos, ascii);
          this.discarding = true;
          this.discardTail = Buffer.from(buf.subarray(Math.max(pos + this.maxFrame, len - HEADER_BYTES)));
          return true;
        }
        break;
      }
      let end = e.end;
      if (e.lf && end > pos && buf[end - 1] === CR) end--;
      if (end - pos > this.maxFrame) this.truncate(buf, pos, ascii);
      else if (end > pos) deliver(buf, pos, end, this.sink, ascii);
      if (end > pos) this.framed = true;
      pos = e.next;
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
    return this.pending !== undefined || this.skip > 0 || this.discarding;
  }

  /**
   * At connection end: a last LF-less message is still a message (loggen and `logger` end this
   * way), without a NUL trailer. What is held of an octet-counted frame is none, and is reported as
   * `truncated-frame` unless `reportPartial` is false (the caller counts the connection's end under
   * its own reason).
   */
  end(reportPartial = true): void {
    let rest = this.pending;
    this.pending = undefined;
    this.skip = 0;
    this.discarding = false;
    this.discardTail = undefined;
    if (this.failed || !rest || rest.length === 0) return;
    if (this.octet && !this.closing) {
      // Held bytes may end with whole frames after bytes that were none: framed once more, knowing no more come.
      this.closing = true;
      this.push(rest);
      rest = this.pending as Buffer | undefined;
      this.pending = undefined;
      this.discarding = false;
      if (!rest || rest.length === 0) return;
    }
    if (PARTIAL_COUNT.test(rest.subarray(0, HEADER_BYTES).toString('latin1'))) {
      if (reportPartial) this.sink.error('truncated-frame', rest.subarray(0, SAMPLE_BYTES));
      return;
    }
    let end = rest.length;
    while (end > 0 && rest[end - 1] === NUL) end--;
    if (end > 0) deliver(rest, 0, end, this.sink);
  }

  /**
   * Where the LF-framed message at `pos` ends: at its LF; at a NUL followed by the `<` of the next
   * syslog message or by an LF (RFC 6587 3.4.2: some senders end frames with NUL, as syslog-ng
   * reads them); and, where `counts`, at the start of an octet-count header (`COUNT SP <`), so that
   * bytes where a count was expected cost only themselves on a connection that sends no LF at all.
   * Undefined while no end has arrived.
   */
  private messageEnd(buf: Buffer, pos: number, len: number): MessageEnd | undefined {
    const nl = buf.indexOf(LF, pos);
    let limit = nl < 0 ? len : nl;
    let found: MessageEnd | undefined = nl < 0 ? undefined : { end: nl, next: nl + 1, lf: true };
    // One search for NUL a buffer, not one a message: the next one found is kept until passed
    // (LF framing measured 150 ns a message before NUL trailers, 165-173 ns with them).
    let nul = this.nul;
    if (nul === -2 || (nul >= 0 && nul < pos)) nul = buf.indexOf(NUL, pos);
    while (nul >= 0 && nul < limit) {
      const after = buf[nul + 1];
      if (after === LT || after === LF) {
        limit = nul;
        found = { end: nul, next: nul + 1, lf: false };
        break;
      }
      nul = buf.indexOf(NUL, nul + 1);
    }
    this.nul = nul;
    // On an LF-framed connection past its first frame, an LF (or NUL) is the only end: no count is looked for.
    if (this.octet || this.discarding || !this.framed) {
      const h = this.countHeader(buf, pos, limit, !found && !this.discarding);
      if (h >= 0) return { end: h, next: h, lf: false };
    }
    return found;
  }

  /**
   * The first octet-count header after `pos` and before `limit`: digits (no longer a run than a
   * count has), a count a frame can have, a space and a syslog message's `<`, where the frame it
   * announces ends where a frame can start (a digit, `<`, LF or NUL) or at the end of what arrived.
   * Digits before it may be the end of the message (`… from 10.0.0.1` then `51 <13>…`): the longest
   * count that checks out is taken, one without leading zeros first. WAIT when one cannot be
   * checked yet (its frame not all here) and `mayWait`.
   */
  private countHeader(buf: Buffer, pos: number, limit: number, mayWait: boolean): number {
    // Before any octet-counted frame, only a count whose frame another count follows is taken.
    const lenient = this.octet || this.discarding;
    const region = buf.subarray(pos, limit);
    for (let k = region.indexOf(SP_LT, 1); k >= 0; k = region.indexOf(SP_LT, k + 1)) {
      let first = k;
      while (first > 1 && k - first < MAX_DIGIT_RUN && isDigit(region[first - 1]!)) first--;
      if (first === k) continue;
      let unchecked = -1;
      let unfollowed = -1;
      for (const padded of [false, true]) {
        for (let s = first; s < k; s++) {
          if ((region[s] === 48) !== padded) continue;
          let count = 0;
          let zeros = 0;
          for (let i = s; i < k; i++) {
            if (count === 0 && region[i] === 48) zeros++;
            count = count * 10 + (region[i]! - 48);
          }
          if (count === 0 || k - s - zeros > MAX_COUNT_DIGITS || count > this.skipBound) continue;
          const next = pos + k + 1 + count;
          const starts = next === buf.length ? (this.closing && lenient ? true : undefined) : next > buf.length ? undefined : frameStartsAt(buf, next, lenient);
          if (starts === true) return pos + s;
          if (starts === undefined && unchecked < 0) unchecked = s;
          if (starts === false && unfollowed < 0 && !padded) unfollowed = s;
        }
      }
      // Its frame not all here: wait for it, or (discarding) take it; an end already found is taken over it.
      if (unchecked >= 0) return mayWait ? WAIT : this.discarding ? pos + unchecked : -1;
      // Followed by more bytes that are no frame: on an octet-counted connection still a frame, the longest count.
      if (lenient && unfollowed >= 0) return pos + unfollowed;
    }
    return -1;
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
