// The escaped form of bytes that are not UTF-8: readable, and read back to exactly the same bytes.

import { describe, expect, it } from 'vitest';
import { escapeBytes, escapeLatin1, latin1Bytes, unescapeBytes } from '../../src/store/raw-bytes.js';
import { mulberry32 } from '../support/random.js';

describe('the escaped form of a frame that is not UTF-8', () => {
  it('keeps UTF-8 characters, writes every other byte and every backslash as \\xNN', () => {
    const bytes = Buffer.concat([Buffer.from('user Jos'), Buffer.from([0xe9]), Buffer.from(' café C:\\tmp '), Buffer.from([0xc3, 0x28, 0xff, 0x00])]);
    expect(escapeBytes(bytes)).toBe('user Jos\\xE9 café C:\\x5Ctmp \\xC3(\\xFF\u0000');
  });

  it('escapes what UTF-8 forbids: overlong forms, surrogates, code points past U+10FFFF, cut sequences', () => {
    for (const b of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98]]) {
      const escaped = escapeBytes(Buffer.from(b));
      expect(escaped, Buffer.from(b).toString('hex')).toMatch(/^(\\x[0-9A-F]{2})+$/);
    }
    expect(escapeBytes(Buffer.from('😀 é'))).toBe('😀 é');
  });

  it('reads back to the same bytes, for any bytes (100,000 random frames)', () => {
    const rnd = mulberry32(12);
    const wrong: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const len = Math.floor(rnd() * 40);
      // Mostly ASCII and backslashes, some high bytes and valid sequences: where the edge cases are.
      const parts: number[] = [];
      while (parts.length < len) {
        const r = rnd();
        if (r < 0.5) parts.push(0x20 + Math.floor(rnd() * 95));
        else if (r < 0.6) parts.push(0x5c);
        else if (r < 0.7) parts.push(...Buffer.from(['é', '€', '😀'][Math.floor(rnd() * 3)]!));
        else parts.push(Math.floor(rnd() * 256));
      }
      const bytes = Buffer.from(parts);
      const escaped = escapeBytes(bytes);
      if (escaped.isWellFormed() && unescapeBytes(escaped).equals(bytes)) continue;
      wrong.push(bytes.toString('hex'));
    }
    expect(wrong).toEqual([]);
  });

  it('from a Latin-1 reading: one byte per character; text the secret gate put in past U+00FF as its UTF-8', () => {
    expect(latin1Bytes('Jos\u00e9')).toEqual(Buffer.from([0x4a, 0x6f, 0x73, 0xe9]));
    expect(latin1Bytes('a\u2026b😀')).toEqual(Buffer.concat([Buffer.from('a'), Buffer.from('\u2026b😀')]));
    expect(escapeLatin1('pw <redacted> \u00ff')).toBe('pw <redacted> \\xFF');
  });
});
