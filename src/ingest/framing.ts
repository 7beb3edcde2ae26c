// Stream framing for syslog over TCP and TLS: RFC 6587 octet counting (`LEN SP MSG`) and
// LF-terminated ("non-transparent") framing, detected per frame on the same connection, as
// rsyslog's imtcp does. Pure: bytes in, frames and errors out; the socket code decides what an
// error costs (it closes that connection only).

import { isAscii, isUtf8 } from 'node:buffer';

export interface FrameSink {
  frame(text: string, latin1: boolean): void;
  /** A framing error; the stream is unusable after it. `sample` is the start of the offending bytes. */
  error(reason: FramingError, sample: Buffer): void;
}

export type FramingError = 'oversize-frame' | 'bad-octet-count' | 'truncated-frame';

/**
 * Hand a frame to `sink`: as UTF-8 when the bytes are valid UTF-8, else byte for byte as Latin-1,
 * so nothing a device sent is lost or silently replaced.
 */
export function deliver(buf: Buffer, start: number, end: number, sink: Pick<FrameSink, 'frame'>, ascii = false): void {
  // ASCII (checked once for a whole chunk) reads the same as Latin-1, without UTF-8 decoding or the check below.
  if (ascii) {
    sink.frame(buf.toString('latin1', start, end), false);
    return;
  }
  const text = buf.toString('utf8', start, end);
  // U+FFFD in the result means invalid bytes, or a sender that really sent U+FFFD: check.
  if (text.indexOf('\uFFFD') < 0 || isUtf8(buf.subarray(start, end))) sink.frame(text, false);
  else sink.frame(buf.toString('latin1', start, end), true);
}

export class Framer {
  private pending: Buffer | undefined;
  private failed = false;

  constructor(
    private readonly maxFrame: number,
    private readonly sink: FrameSink,
  ) {}

  /** Feed bytes; returns false once the stream has failed and should be closed. */
  push(chunk: Buffer): boolean {
    if (this.failed) return false;
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
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
        while (j < len && j - pos < 11) {
          const d = buf[j]!;
          if (d < 48 || d > 57) break;
          count = count * 10 + (d - 48);
          j++;
        }
        if (j === len) {
          // Digits up to the end of what has arrived: wait for more to tell the framing apart.
          if (j - pos >= 11) return this.fail('bad-octet-count', buf, pos);
          break;
        }
        if (buf[j] === 32) {
          if (count > this.maxFrame) return this.fail('oversize-frame', buf, pos);
          const start = j + 1;
          const end = start + count;
          if (end > len) break;
          deliver(buf, start, end, this.sink, ascii);
          pos = end;
          continue;
        }
        if (j - pos >= 11) return this.fail('bad-octet-count', buf, pos);
      }
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        if (len - pos > this.maxFrame) return this.fail('oversize-frame', buf, pos);
        break;
      }
      if (nl - pos > this.maxFrame) return this.fail('oversize-frame', buf, pos);
      let end = nl;
      if (end > pos && buf[end - 1] === 13) end--;
      if (end > pos) deliver(buf, pos, end, this.sink, ascii);
      pos = nl + 1;
    }
    if (pos < len) this.pending = Buffer.from(buf.subarray(pos));
    return true;
  }

  /** Bytes received but not yet a whole frame (a sender that stalls mid-frame holds these). */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  /** At connection end: a last LF-less message is still a message (loggen and `logger` end this way). */
  end(): void {
    const rest = this.pending;
    this.pending = undefined;
    if (this.failed || !rest || rest.length === 0) return;
    // A partial octet-counted frame is incomplete, not a message.
    if (/^[1-9]\d{0,10} /.test(rest.subarray(0, 12).toString('latin1'))) {
      this.sink.error('truncated-frame', rest.subarray(0, 256));
      return;
    }
    deliver(rest, 0, rest.length, this.sink);
  }

  private fail(reason: FramingError, buf: Buffer, pos: number): false {
    this.failed = true;
    this.pending = undefined;
    this.sink.error(reason, Buffer.from(buf.subarray(pos, pos + 256)));
    return false;
  }
}
