// A file (or standard input) as a source of messages for `aaawatch import`: read as a stream,
// gunzipped when it is gzip (by name or by its magic bytes), cut into lines no longer than the
// configured message size. Nothing holds more than a chunk and one line, whatever the file's size.

import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { deliver } from './framing.js';

export interface Input {
  /** The file's name as given, or `-` for standard input. */
  name: string;
  /** Its size in bytes, when it is a regular file (for the progress line). */
  size: number | undefined;
  /** Bytes read from it so far (compressed bytes, for a gzip file). */
  bytesRead(): number;
  /** SHA-256 (hex) of the bytes read so far, as they are in the file (compressed, for a gzip file): `sha256sum FILE` once it is read whole. */
  sha256(): string;
  /** Its content, decompressed, in chunks. */
  chunks: AsyncIterable<Buffer>;
}

const GZIP = [0x1f, 0x8b];

/** Open `name` (`-`: standard input) for reading as a stream. */
export function openInput(name: string): Input {
  let size: number | undefined;
  if (name !== '-') {
    let st;
    try {
      st = statSync(name);
    } catch (err) {
      throw new Error(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    // Refused before the store is opened: read, it failed part way (EISDIR) with an activity-log entry of a failed import.
    if (st.isDirectory()) throw new Error(`cannot read ${name}: it is a directory; import its files one at a time, or all through standard input (cat ${name}/* | aaawatch import -)`);
    if (st.isFile()) size = st.size;
  }
  const stream = name === '-' ? process.stdin : createReadStream(name);
  let read = 0;
  const hash = createHash('sha256');
  const counted = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      read += chunk.length;
      hash.update(chunk);
      yield chunk;
    }
  })();
  return { name, size, bytesRead: () => read, sha256: () => hash.copy().digest('hex'), chunks: asUtf8(gunzipped(counted, name.endsWith('.gz'))) };
}

/** Bytes looked at to tell UTF-16 without a byte order mark: its first characters, each a byte and a NUL. */
const UTF16_HEAD = 32;
/** Characters that must be seen so: fewer (a short file) decide nothing. */
const UTF16_MIN = 4;

/**
 * UTF-16 without a byte order mark, told by its first characters: every one of them a byte that is
 * no NUL beside a NUL, on the same side (`utf-16le`: NUL second). Text in any 8-bit form has no
 * NUL, and a run of NULs (a file truncated under its writer) has them on both sides.
 */
function unmarkedUtf16(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.min(head.length, UTF16_HEAD) >> 1;
  if (pairs < UTF16_MIN) return undefined;
  let le = true;
  let be = true;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i]!;
    const b = head[2 * i + 1]!;
    le &&= a !== 0 && b === 0;
    be &&= a === 0 && b !== 0;
  }
  return le ? 'utf-16le' : be ? 'utf-16be' : undefined;
}

/**
 * The chunks as UTF-8: text that opens with a UTF-16 byte order mark (what Windows tools write:
 * PowerShell's `>`, `wevtutil qe … > file`, Event Viewer's saved text), or is UTF-16 without one
 * (unmarkedUtf16), is decoded from UTF-16 as it streams and handed on re-encoded, its mark
 * dropped; anything else passes through unchanged. Read as bytes, UTF-16 was a line of
 * NUL-interleaved text, counted malformed (`not-utf8`); without its mark, each NUL would now end a line.
 */
export async function* asUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  // Standard input may hand over a single byte first.
  while (head.length < UTF16_HEAD) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = head.length ? Buffer.concat([head, next.value]) : next.value;
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (ended) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  };
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : unmarkedUtf16(head);
  if (!encoding) {
    yield* rest();
    return;
  }
  const decoder = new TextDecoder(encoding);
  for await (const chunk of rest()) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const last = decoder.decode();
  if (last) yield Buffer.from(last, 'utf8');
}

/** The chunks, gunzipped when `hint` says so or they begin with gzip's magic bytes. */
export async function* gunzipped(chunks: AsyncIterable<Buffer>, hint: boolean): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  const all = (async function* () {
    yield head;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  })();
  if (!hint && !(head[0] === GZIP[0] && head[1] === GZIP[1])) {
    yield* all;
    return;
  }
  yield* Readable.from(all).pipe(createGunzip()) as AsyncIterable<Buffer>;
}

/**
 * The first `bytes` of the chunks (at least; whole chunks), and all of the chunks again, from the
 * start: to decide a file's format from its beginning without reading it twice.
 */
export async function peek(chunks: AsyncIterable<Buffer>, bytes: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < bytes) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    seen.push(next.value);
    size += next.value.length;
  }
  const all = (async function* () {
    yield* seen;
    if (ended) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  })();
  return { head: Buffer.concat(seen), all };
}

/**
 * A line of the file: its text (Latin-1 when it is not valid UTF-8), its start when it was too
 * long to keep, or a run of NUL bytes (`nul`), which is no line.
 */
export type Line = { text: string; latin1: boolean } | { oversize: Buffer } | { nul: true };

/**
 * NULs in a row, inside a line, that make a hole rather than the line's own bytes: a hole is blocks
 * long (a file's old length, a crash's unwritten blocks), while a hostile or odd line holds one or
 * a few (`username bob secret\0x`, which the listeners keep as sent, and so does import).
 */
const HOLE_MIN = 16;

/**
 * Bytes in, lines out (LF, with a CR before it dropped). A line longer than `maxBytes` is not
 * kept: its first bytes are handed on as a sample and the rest skipped up to its end. A hole — a
 * run of NUL bytes at a line's start, or of HOLE_MIN or more inside one — ends the line it is in and
 * is handed on once, as `nul`, however long: what `copytruncate` leaves when a writer keeps its
 * offset (the file's old length in NULs, then the new lines), or a crash leaves in place of blocks
 * it had not written. Read as part of a line, it hid the line after it (its header no longer at
 * the start) and was counted as nothing. Fewer NULs inside a line are the line's.
 */
export class LineSplitter {
  private pending: Buffer | undefined;
  /** Skipping the rest of a line found too long. */
  private skipping = false;
  /** The last byte read was a hole's NUL: more of the run is skipped, not handed on again. */
  private inNul = false;
  /** NULs that ended the last chunk inside a line, fewer than HOLE_MIN: a hole or the line's, told by what follows. */
  private heldNuls = 0;

  /** `keepEmpty`: hand on empty lines too (as empty text), for a reader that numbers lines. */
  constructor(
    private readonly maxBytes: number,
    private readonly keepEmpty = false,
  ) {}

  push(chunk: Buffer): Line[] {
    const out: Line[] = [];
    if (this.heldNuls > 0) {
      // Read again with what follows them (they are inside a line: `pending` holds its start).
      chunk = Buffer.concat([Buffer.alloc(this.heldNuls), chunk]);
      this.heldNuls = 0;
    }
    let start = 0;
    // One native scan: a chunk without a NUL (nearly every one) is cut at its LFs alone.
    let nul = chunk.indexOf(0);
    while (start < chunk.length) {
      if (this.inNul) {
        while (start < chunk.length && chunk[start] === 0) start++;
        if (start === chunk.length) break;
        this.inNul = false;
        nul = chunk.indexOf(0, start);
      }
      const stop = nul < 0 ? chunk.length : nul;
      for (let nl = chunk.indexOf(10, start); nl >= 0 && nl < stop; nl = chunk.indexOf(10, start)) {
        this.take(chunk, start, nl, true, out);
        start = nl + 1;
      }
      if (nul < 0) {
        if (start < chunk.length) this.take(chunk, start, chunk.length, false, out);
        break;
      }
      const inLine = start < stop || this.pending !== undefined || this.skipping;
      let run = 0;
      while (run < HOLE_MIN && stop + run < chunk.length && chunk[stop + run] === 0) run++;
      if (inLine && run < HOLE_MIN) {
        if (stop + run === chunk.length) {
          // Too few to tell yet: the next chunk says whether the run goes on.
          if (start < stop) this.take(chunk, start, stop, false, out);
          this.heldNuls = run;
          break;
        }
        // The line's own NULs: it goes on past them.
        nul = chunk.indexOf(0, stop + run);
        continue;
      }
      // A hole: it ends the line it is in.
      if (inLine) this.take(chunk, start, stop, true, out);
      out.push({ nul: true });
      this.inNul = true;
      start = stop;
    }
    return out;
  }

  end(): Line[] {
    const out: Line[] = [];
    // NULs that ended the file inside its last line are that line's.
    if (this.heldNuls > 0 && !this.skipping) this.pending = Buffer.concat([this.pending ?? Buffer.alloc(0), Buffer.alloc(this.heldNuls)]);
    this.heldNuls = 0;
    if (this.pending && !this.skipping) this.line(this.pending, out);
    this.pending = undefined;
    this.skipping = false;
    this.inNul = false;
    return out;
  }

  /** The bytes `start`…`end` of `chunk`: the rest of a line (`complete`), or a part of one. */
  private take(chunk: Buffer, start: number, end: number, complete: boolean, out: Line[]): void {
    if (this.skipping) {
      if (complete) this.skipping = false;
      return;
    }
    const part = chunk.subarray(start, end);
    const size = (this.pending?.length ?? 0) + part.length;
    if (size > this.maxBytes) {
      out.push({ oversize: Buffer.concat([this.pending ?? Buffer.alloc(0), part.subarray(0, 1024)]).subarray(0, 1024) });
      this.pending = undefined;
      this.skipping = !complete;
      return;
    }
    // A copy: the chunk is not kept alive by a line that spans it.
    const line = this.pending ? Buffer.concat([this.pending, part]) : complete ? part : Buffer.from(part);
    if (complete) {
      this.pending = undefined;
      this.line(line, out);
    } else {
      this.pending = line;
    }
  }

  private line(buf: Buffer, out: Line[]): void {
    const end = buf.length > 0 && buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
    if (end === 0) {
      if (this.keepEmpty) out.push({ text: '', latin1: false });
      return;
    }
    deliver(buf, 0, end, { frame: (text, latin1) => void out.push({ text, latin1 }) });
  }
}
