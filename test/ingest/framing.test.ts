import { describe, expect, it } from 'vitest';
import { Framer, type FramingError } from '../../src/ingest/framing.js';
import { mulberry32 } from '../support/random.js';

interface Run {
  frames: string[];
  latin1: boolean[];
  truncated: boolean[];
  errors: FramingError[];
  ok: boolean[];
}

function run(chunks: Buffer[], max = 65536): Run {
  const frames: string[] = [];
  const latin1: boolean[] = [];
  const truncated: boolean[] = [];
  const errors: FramingError[] = [];
  const f = new Framer(max, {
    frame: (t, l, cut) => {
      frames.push(t);
      latin1.push(l);
      truncated.push(cut);
    },
    error: (r) => errors.push(r),
  });
  const ok = chunks.map((c) => f.push(c));
  f.end();
  return { frames, latin1, truncated, errors, ok };
}

const octet = (m: string): string => `${Buffer.byteLength(m)} ${m}`;

describe('TCP framing (RFC 6587)', () => {
  it('reads octet-counted and LF-framed messages mixed on one stream', () => {
    const a = '<13>1 2026-11-21T22:10:01Z h a - - - with\nnewline inside';
    const b = '<189>2406: *Nov 21 22:10:01.123 UTC: %SYS-5-CONFIG_I: x';
    const r = run([Buffer.from(octet(a) + b + '\n' + octet('<13>1 - - - - - é') + '<13>tail\r\n')]);
    expect(r.frames).toEqual([a, b, '<13>1 - - - - - é', '<13>tail']);
    expect(r.errors).toEqual([]);
  });

  it('reassembles frames split at every byte boundary', () => {
    const stream = Buffer.from(octet('<13>1 - h a - - - one') + '<13>two\n' + octet('<13>three'));
    for (let cut = 1; cut < stream.length; cut++) {
      const r = run([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(r.frames, `cut at ${cut}`).toEqual(['<13>1 - h a - - - one', '<13>two', '<13>three']);
    }
  });

  it('bare lines that start with digits are LF-framed, not octet counts', () => {
    const lines = ['2020-07-17 17:41:26 +0000\t10.1.1.2\tadmin', '1991219: Mar 24 18:06:03.424 UTC: %SYS-6-LOGOUT: x', '123'];
    expect(run([Buffer.from(lines.join('\n') + '\n')]).frames).toEqual(lines);
  });

  it('a last message without LF at the end of the connection is still a message', () => {
    expect(run([Buffer.from('<13>one\n<13>two')]).frames).toEqual(['<13>one', '<13>two']);
  });

  it('an octet-counted frame cut off by the end of the connection is an error, not a message', () => {
    const r = run([Buffer.from('100 <13>short')]);
    expect([r.frames, r.errors]).toEqual([[], ['truncated-frame']]);
  });

  it('a count no frame can have fails at once, before buffering: 2^31, 11 digits, a long digit run', () => {
    for (const start of ['2147483648 <13>x', '12345678901 <13>x', '123456789012345 x']) {
      const r = run([Buffer.from(start), Buffer.from('more\n<13>after\n')]);
      expect([r.frames, r.errors, r.ok], start).toEqual([[], ['bad-octet-count'], [false, false]]);
    }
  });

  it('a digit run longer than any count, not followed by a space, starts an LF-framed message', () => {
    const line = '1700000000123456789012 epoch';
    expect(run([Buffer.from(`${line}\n<13>next\n`)]).frames).toEqual([line, '<13>next']);
  });

  it('good, oversize, good with LF framing: the oversize message is kept up to the limit, flagged, and reading resumes after its LF', () => {
    const big = '<13>' + 'a'.repeat(200);
    const r = run([Buffer.from(`<13>one\n${big}\n<13>two\n`)], 100);
    expect(r.frames).toEqual(['<13>one', big.slice(0, 100), '<13>two']);
    expect([r.truncated, r.errors, r.ok]).toEqual([[false, true, false], [], [true]]);
  });

  it('an oversize LF-framed message is cut without waiting for its LF, the rest discarded across chunks', () => {
    const f = run([Buffer.from('<13>' + 'b'.repeat(150)), Buffer.from('c'.repeat(5000)), Buffer.from('d\n<13>after\n')], 100);
    expect(f.frames).toEqual(['<13>' + 'b'.repeat(96), '<13>after']);
    expect(f.truncated).toEqual([true, false]);
  });

  it('the cut never splits a UTF-8 character, so the kept start is still UTF-8', () => {
    const r = run([Buffer.from('<13>' + 'é'.repeat(100) + '\n')], 101);
    expect(r.frames).toEqual(['<13>' + 'é'.repeat(48)]);
    expect([r.latin1, r.truncated]).toEqual([[false], [true]]);
  });

  it('good, oversize, good with octet counting: the oversize frame is skipped, counted, and the next read', () => {
    const big = '<13>' + 'x'.repeat(70_000);
    const r = run([Buffer.from(octet('<13>one') + octet(big) + octet('<13>two') + '<13>three\n')]);
    expect([r.frames, r.errors, r.ok]).toEqual([['<13>one', '<13>two', '<13>three'], ['oversize-frame'], [true]]);
  });

  it('an oversize octet-counted frame is skipped across chunks, split anywhere', () => {
    const stream = Buffer.from(octet('<13>one') + octet('<13>' + 'y'.repeat(300)) + '<13>two\n' + octet('<13>three'));
    for (let cut = 1; cut < stream.length; cut += 7) {
      const r = run([stream.subarray(0, cut), stream.subarray(cut, cut + 50), stream.subarray(cut + 50)], 100);
      expect([r.frames, r.errors], `cut at ${cut}`).toEqual([['<13>one', '<13>two', '<13>three'], ['oversize-frame']]);
    }
  });

  it('at a stall, what is held is read as at the end, without reporting a partial octet frame twice', () => {
    const frames: string[] = [];
    const errors: string[] = [];
    const sink = { frame: (t: string) => frames.push(t), error: (r: string) => errors.push(r) };
    const lf = new Framer(100, sink);
    lf.push(Buffer.from('<13>no LF yet'));
    lf.end(false);
    const oc = new Framer(100, sink);
    oc.push(Buffer.from('50 <13>half'));
    expect(oc.sample().toString()).toBe('50 <13>half');
    oc.end(false);
    oc.end();
    expect([frames, errors]).toEqual([['<13>no LF yet'], []]);
  });

  it('knows when it is inside a frame: part of one held, or an oversize one still being discarded', () => {
    const sink = { frame: () => {}, error: () => {} };
    const f = new Framer(100, sink);
    f.push(Buffer.from('<13>whole\n'));
    expect(f.midFrame).toBe(false);
    f.push(Buffer.from('50 <13>half'));
    expect(f.midFrame).toBe(true);
    const g = new Framer(100, sink);
    g.push(Buffer.from('500 <13>start'));
    expect([g.midFrame, g.sample().length]).toEqual([true, 0]);
    const h = new Framer(100, sink);
    h.push(Buffer.from('x'.repeat(200)));
    expect([h.midFrame, h.sample().length]).toEqual([true, 0]);
    h.push(Buffer.from('\n'));
    expect(h.midFrame).toBe(false);
  });

  it('non-UTF-8 bytes are kept byte for byte as Latin-1 and flagged', () => {
    const bytes = Buffer.concat([Buffer.from('<13>user '), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n<13>caf\u00e9\n')]);
    const r = run([bytes]);
    expect(r.frames).toEqual(['<13>user \u00ff\u00fe\u0080', '<13>café']);
    expect(r.latin1).toEqual([true, false]);
  });

  it('a sender that really sends U+FFFD stays UTF-8', () => {
    expect(run([Buffer.from('<13>\uFFFD\n')]).latin1).toEqual([false]);
  });

  it('bytes where a count was expected cost only themselves on an octet-counted connection that sends no LF', () => {
    const good = Array.from({ length: 30 }, (_, i) => `<13>Dec  5 08:00:00 h app: n${i}`);
    // Garbage, a zero count, a count without its space, then every good frame after it.
    const stream = octet(good[0]!) + 'garbage' + good.slice(1, 10).map(octet).join('') + '0 ' + good.slice(10, 20).map(octet).join('') + `${good[20]!.length}${good[20]}` + good.slice(21).map(octet).join('');
    for (const size of [stream.length, 1, 7, 300]) {
      const chunks: Buffer[] = [];
      for (let p = 0; p < stream.length; p += size) chunks.push(Buffer.from(stream.slice(p, p + size)));
      const r = run(chunks, 200);
      expect(r.frames, `chunks of ${size}`).toEqual([good[0], 'garbage', ...good.slice(1, 10), '0 ', ...good.slice(10, 20), `${good[20]!.length}${good[20]}`, ...good.slice(21)]);
      expect(r.errors).toEqual([]);
    }
    // A connection that opens with bytes that are no frame: the first count whose frame another count follows ends them.
    const opening = run([Buffer.from('junk from a device 12 ' + good.slice(0, 5).map(octet).join(''))], 200);
    expect(opening.frames).toEqual(['junk from a device 12 ', ...good.slice(0, 5)]);
  });

  it('counts with leading zeros are read as counts where a syslog message follows (as rsyslog does); a padded number in an LF line is not', () => {
    const a = '<13>Dec  5 08:00:00 h app: one';
    const b = '<13>Dec  5 08:00:00 h app: two';
    const r = run([Buffer.from(`00${octet(a)}0000${octet(b)}000123 not a count\n`)]);
    expect([r.frames, r.errors]).toEqual([[a, b, '000123 not a count'], []]);
  });

  it('an oversize LF-framed read on an octet-counted connection resumes at the next count, not at an LF that never comes', () => {
    const good = (i: number): string => `<13>Dec  5 08:00:00 h app: g${i}`;
    const stream = Buffer.from(octet(good(1)) + 'x'.repeat(1000) + octet(good(2)) + octet(good(3)));
    for (let cut = 150; cut < stream.length; cut += 97) {
      const r = run([stream.subarray(0, cut), stream.subarray(cut)], 200);
      expect([r.frames, r.truncated], `cut at ${cut}`).toEqual([[good(1), 'x'.repeat(200), good(2), good(3)], [false, true, false, false]]);
    }
    // On an LF-framed connection too: the rest of an oversize message is discarded up to its LF or a count header, whichever comes first.
    const count = String(good(4).length);
    const lf = run([Buffer.from('y'.repeat(500)), Buffer.from('y'.repeat(500) + count[0]), Buffer.from(`${count.slice(1)} ${good(4)}${good(5)}\n`)], 200);
    expect(lf.frames).toEqual(['y'.repeat(200), good(4), good(5)]);
  });

  it('NUL-terminated frames (RFC 6587 3.4.2, syslog-ng) are frames; a NUL inside a message is not an end', () => {
    const r = run([Buffer.from('<13>one\0<13>two\0\n<13>three\0<13>four\0')]);
    expect(r.frames).toEqual(['<13>one', '<13>two', '<13>three', '<13>four']);
    for (let cut = 1; cut < 30; cut++) {
      const stream = Buffer.from('<13>one\0<13>two\0<13>password\0secret\n');
      expect(run([stream.subarray(0, cut), stream.subarray(cut)]).frames, `cut at ${cut}`).toEqual(['<13>one', '<13>two', '<13>password\0secret']);
    }
  });

  it('never loses a good octet-counted frame beside bytes that are no frame: 2,000 random LF-less streams, split at random', () => {
    const rnd = mulberry32(5425);
    const junk = ['garbage', '0 ', '00 x', 'abc 12 def', '\u00ff\u00fe', ' ', '12345678901234567890123x', '7x'];
    const failures: string[] = [];
    for (let round = 0; round < 2000; round++) {
      const parts: string[] = [];
      const want: string[] = [];
      for (let i = 0; i < 10; i++) {
        // Bodies that end in digits too (an address), so a count after them reads as part of a longer run.
        const body = `<13>Dec  5 08:00:00 h app: m${round}.${i} from 10.0.0.${Math.floor(rnd() * 256)}`;
        // The connection opens with a good frame (on one that opens with junk, see the test above).
        if (i > 0 && rnd() < 0.25) {
          // A frame whose count lacks its space, or junk: bytes that are no frame, ending in no digit.
          const bad = rnd() < 0.5 ? junk[Math.floor(rnd() * junk.length)]! : `${Buffer.byteLength(body)}${body}x`;
          parts.push(bad);
          want.push(bad);
        }
        parts.push(octet(body));
        want.push(body);
      }
      const stream = Buffer.from(parts.join(''), 'latin1');
      const chunks: Buffer[] = [];
      for (let p = 0; p < stream.length; ) {
        const n = 1 + Math.floor(rnd() * 120);
        chunks.push(stream.subarray(p, p + n));
        p += n;
      }
      const r = run(chunks, 200);
      // Junk beside junk reads as one message: compare what is kept, frame by frame, with the good ones exact.
      const good = want.filter((w) => w.startsWith('<13>'));
      const got = r.frames.filter((f) => f.startsWith('<13>'));
      if (JSON.stringify(got) !== JSON.stringify(good) || r.frames.join('') !== want.join('') || r.errors.length > 0) failures.push(`round ${round}: ${JSON.stringify(r.frames)} ${JSON.stringify(r.errors)}`);
    }
    expect(failures.slice(0, 2)).toEqual([]);
  });

  it('never loses a good frame beside bad ones: 2,000 random streams of good, oversize and absurd frames, split at random', () => {
    const rnd = mulberry32(6587);
    const max = 200;
    const failures: string[] = [];
    for (let round = 0; round < 2000; round++) {
      const parts: string[] = [];
      const want: string[] = [];
      let wantTruncated = 0;
      let wantSkipped = 0;
      let closedAt = -1;
      for (let i = 0; i < 12; i++) {
        const r = rnd();
        const body = `<13>m${round}.${i} ${'z'.repeat(Math.floor(rnd() * 40))}`;
        if (r < 0.4) {
          parts.push(octet(body));
          want.push(body);
        } else if (r < 0.75) {
          parts.push(body + (rnd() < 0.5 ? '\r\n' : '\n'));
          want.push(body);
        } else if (r < 0.85) {
          const big = body + 'L'.repeat(max + Math.floor(rnd() * 3 * max));
          parts.push(big + '\n');
          want.push(big.slice(0, max));
          wantTruncated++;
        } else if (r < 0.97) {
          parts.push(octet(body + 'O'.repeat(max + Math.floor(rnd() * 3 * max))));
          wantSkipped++;
        } else {
          parts.push('98765432109 <13>never');
          closedAt = i;
          break;
        }
      }
      const stream = Buffer.from(parts.join(''));
      const chunks: Buffer[] = [];
      for (let p = 0; p < stream.length; ) {
        const n = 1 + Math.floor(rnd() * 300);
        chunks.push(stream.subarray(p, p + n));
        p += n;
      }
      const r = run(chunks, max);
      const expected = { frames: want, truncated: wantTruncated, skipped: wantSkipped, bad: closedAt >= 0 ? 1 : 0 };
      const got = {
        frames: r.frames,
        truncated: r.truncated.filter(Boolean).length,
        skipped: r.errors.filter((e) => e === 'oversize-frame').length,
        bad: r.errors.filter((e) => e === 'bad-octet-count').length,
      };
      if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`round ${round}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });
});
