// Files as a source for `aaawatch import`: lines however the file is cut into chunks, a bound on
// line length that holds across chunks, non-UTF-8 kept byte for byte, gzip by name or by content.

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { asUtf8, gunzipped, LineSplitter, peek, type Line } from '../../src/ingest/file-source.js';

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const c of chunks) all.push(c);
  return Buffer.concat(all);
}

function lines(buf: Buffer, size: number, max = 1 << 16): Line[] {
  const s = new LineSplitter(max);
  const out: Line[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(...s.push(buf.subarray(i, i + size)));
  return [...out, ...s.end()];
}

describe('lines', () => {
  const text = '<13>Nov 21 22:10:01 h1 app: one\r\n\n<13>Nov 21 22:10:02 h1 app: two ✓\n\r\nlast line without an end';

  it('are the same however the file is cut', () => {
    const want = [
      { text: '<13>Nov 21 22:10:01 h1 app: one', latin1: false },
      { text: '<13>Nov 21 22:10:02 h1 app: two ✓', latin1: false },
      { text: 'last line without an end', latin1: false },
    ];
    for (const size of [1, 2, 3, 5, 16, 1000]) expect(lines(Buffer.from(text), size), `chunks of ${size}`).toEqual(want);
  });

  it('longer than the bound are refused with a sample, across chunks, and the next line is read', () => {
    const long = 'x'.repeat(300);
    for (const size of [7, 64, 1000]) {
      const out = lines(Buffer.from(`short\n${long}\nafter\n${long}`), size, 100);
      expect(out.map((l) => ('text' in l ? l.text : 'oversize'))).toEqual(['short', 'oversize', 'after', 'oversize']);
      for (const l of out) if ('oversize' in l) expect(l.oversize.toString()).toMatch(/^x{1,1024}$/);
    }
  });

  it('that are not UTF-8 are kept byte for byte as Latin-1, and marked', () => {
    const out = lines(Buffer.concat([Buffer.from('user \u00c3'), Buffer.from([0x28, 0xff, 0x0a]), Buffer.from('ok\n')]), 3);
    expect(out).toEqual([
      { text: 'user \u00c3\u0083(\u00ff', latin1: true },
      { text: 'ok', latin1: false },
    ]);
  });

  it('a run of NULs at a line\'s start, or of 16 or more inside one, ends the line it is in and is handed on once, however the file is cut; the line after it is read', () => {
    const holed = Buffer.concat([Buffer.alloc(300), Buffer.from('one\ntwo cut'), Buffer.alloc(16), Buffer.from('\r\nthree\n'), Buffer.alloc(1), Buffer.from('last')]);
    const want = [{ nul: true }, { text: 'one', latin1: false }, { text: 'two cut', latin1: false }, { nul: true }, { text: 'three', latin1: false }, { nul: true }, { text: 'last', latin1: false }];
    for (const size of [1, 2, 3, 7, 64, 1000]) expect(lines(holed, size), `chunks of ${size}`).toEqual(want);
    // A line being skipped as too long ends at a hole too.
    expect(lines(Buffer.concat([Buffer.from('x'.repeat(300)), Buffer.alloc(16), Buffer.from('after')]), 7, 100).map((l) => Object.keys(l)[0])).toEqual(['oversize', 'nul', 'text']);
  });

  it('fewer than 16 NULs inside a line are the line\'s own bytes, as the listeners keep them (a NUL where a space stood)', () => {
    const odd = Buffer.concat([Buffer.from('username bob secret'), Buffer.alloc(1), Buffer.from('x1\na'), Buffer.alloc(15), Buffer.from('b\nend'), Buffer.alloc(2)]);
    const want = [{ text: 'username bob secret\u0000x1', latin1: false }, { text: `a${'\u0000'.repeat(15)}b`, latin1: false }, { text: 'end\u0000\u0000', latin1: false }];
    for (const size of [1, 2, 3, 7, 64, 1000]) expect(lines(odd, size), `chunks of ${size}`).toEqual(want);
  });
});

describe('gzip', () => {
  const plain = Buffer.from('line one\nline two\n'.repeat(1000));

  it('is recognised by its magic bytes and by a .gz name, several members included', async () => {
    const gz = Buffer.concat([gzipSync(plain), gzipSync(plain)]);
    expect(await collect(gunzipped(chunked(gz, 100), false))).toEqual(Buffer.concat([plain, plain]));
    expect(await collect(gunzipped(chunked(gzipSync(plain), 7), true))).toEqual(plain);
  });

  it('leaves other input as it is; empty input is empty', async () => {
    expect(await collect(gunzipped(chunked(plain, 333), false))).toEqual(plain);
    expect(await collect(gunzipped(chunked(Buffer.alloc(0), 1), false))).toEqual(Buffer.alloc(0));
  });

  it('that is broken fails, as a stream error', async () => {
    const gz = gzipSync(plain);
    await expect(collect(gunzipped(chunked(gz.subarray(0, gz.length - 20), 64), false))).rejects.toThrow();
  });
});

describe('peek', () => {
  it('gives the beginning, and then everything from the start', async () => {
    const data = Buffer.from('0123456789'.repeat(100));
    const { head, all } = await peek(chunked(data, 7), 20);
    expect(head.length).toBeGreaterThanOrEqual(20);
    expect(data.subarray(0, head.length)).toEqual(head);
    expect(await collect(all)).toEqual(data);
    const short = await peek(chunked(Buffer.from('abc'), 2), 20);
    expect(short.head.toString()).toBe('abc');
    expect((await collect(short.all)).toString()).toBe('abc');
  });
});

describe('UTF-16', () => {
  // A character outside the BMP (a surrogate pair), one of two bytes in UTF-8, and one of three.
  const text = '<13>Nov 21 22:10:01 h1 app: 𝔘 é ✓ one\r\n<13>Nov 21 22:10:02 h1 app: two\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le).swap16();

  it('is UTF-8 however it is cut, its mark dropped', async () => {
    for (const file of [le, be]) {
      for (const size of [1, 2, 3, 5, file.length]) expect((await collect(asUtf8(chunked(file, size)))).toString('utf8'), `${size}`).toBe(text);
    }
  });

  it('is told without its mark by its first characters, each beside a NUL on the same side', async () => {
    for (const file of [Buffer.from(text, 'utf16le'), Buffer.from(text, 'utf16le').swap16()]) {
      for (const size of [1, 3, file.length]) expect((await collect(asUtf8(chunked(file, size)))).toString('utf8'), `${size}`).toBe(text);
    }
    // A run of NULs (copytruncate's), before text or after it, is no UTF-16: left for the lines to count.
    for (const file of [Buffer.concat([Buffer.alloc(64), Buffer.from(text)]), Buffer.concat([Buffer.from(text), Buffer.alloc(64)]), Buffer.from('ab\0\0cd\0\0', 'latin1')]) {
      expect((await collect(asUtf8(chunked(file, 5)))).equals(file)).toBe(true);
    }
  });

  it('leaves anything else as it is: UTF-8 with or without its mark, Latin-1, one byte, nothing', async () => {
    for (const file of [Buffer.from(`\uFEFF${text}`), Buffer.from(text), Buffer.from('caf\xe9 \xff\xfe', 'latin1'), Buffer.from([0xff]), Buffer.alloc(0)]) {
      for (const size of [1, 7]) expect((await collect(asUtf8(chunked(file, size)))).equals(file)).toBe(true);
    }
  });
});
