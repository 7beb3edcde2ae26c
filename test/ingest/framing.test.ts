import { describe, expect, it } from 'vitest';
import { Framer, type FramingError } from '../../src/ingest/framing.js';

function run(chunks: Buffer[], max = 65536): { frames: string[]; latin1: boolean[]; errors: FramingError[]; ok: boolean[] } {
  const frames: string[] = [];
  const latin1: boolean[] = [];
  const errors: FramingError[] = [];
  const f = new Framer(max, {
    frame: (t, l) => {
      frames.push(t);
      latin1.push(l);
    },
    error: (r) => errors.push(r),
  });
  const ok = chunks.map((c) => f.push(c));
  f.end();
  return { frames, latin1, errors, ok };
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

  it('an octet count larger than the maximum fails at once, before buffering (2^31)', () => {
    const r = run([Buffer.from('2147483648 <13>x'), Buffer.from('more')]);
    expect([r.frames, r.errors, r.ok]).toEqual([[], ['oversize-frame'], [false, false]]);
  });

  it('a digit run too long to be a count is an error', () => {
    expect(run([Buffer.from('123456789012345 x')]).errors).toEqual(['bad-octet-count']);
  });

  it('an LF-framed message longer than the maximum fails without waiting for its LF', () => {
    const r = run([Buffer.from('<13>' + 'a'.repeat(200))], 100);
    expect([r.frames, r.errors]).toEqual([[], ['oversize-frame']]);
  });

  it('frames before an oversize one are delivered; nothing after it is read', () => {
    const r = run([Buffer.from('<13>ok\n999999 <13>x\n<13>after\n')], 1000);
    expect([r.frames, r.errors]).toEqual([['<13>ok'], ['oversize-frame']]);
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
});
