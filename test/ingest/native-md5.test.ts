// The native receivers' MD5 (src/ingest/native/md5.ts) against node:crypto's, byte for byte: every
// length across the block and padding boundaries, the octets read as zeros, and random inputs.

import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestEquals, md5, writeDigest } from '../../src/ingest/native/md5.js';

const expected = (first: Buffer, second: Buffer, zeroFrom = 0, zeroTo = 0): Buffer => {
  const z = Buffer.from(first);
  z.fill(0, zeroFrom, zeroTo);
  return createHash('md5').update(z).update(second).digest();
};

const ours = (first: Buffer, second: Buffer, zeroFrom = 0, zeroTo = 0): Buffer => {
  md5(first, first.length, second, zeroFrom, zeroTo);
  const out = Buffer.alloc(16);
  writeDigest(out, 0);
  return out;
};

describe('native MD5', () => {
  it('is RFC 1321\'s test suite', () => {
    const suite: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [text, hex] of suite) {
      expect(ours(Buffer.from(text), Buffer.alloc(0)).toString('hex')).toBe(hex);
      // Split anywhere between the two parts, the same digest.
      const cut = text.length >> 1;
      expect(ours(Buffer.from(text.slice(0, cut)), Buffer.from(text.slice(cut))).toString('hex')).toBe(hex);
    }
  });

  it('agrees with node:crypto at every length across the block and padding boundaries', () => {
    for (let a = 0; a <= 200; a++) {
      for (const b of [0, 1, 7, 19, 55, 56, 64, 100]) {
        const first = randomBytes(a);
        const second = randomBytes(b);
        expect(ours(first, second)).toEqual(expected(first, second));
      }
    }
  });

  it('reads the octets it is told to as zeros, wherever they fall', () => {
    for (let a = 20; a <= 300; a += 7) {
      const first = randomBytes(a);
      const before = Buffer.from(first);
      const second = randomBytes(a % 40);
      expect(ours(first, second, 4, 20)).toEqual(expected(first, second, 4, 20));
      if (a >= 132) expect(ours(first, second, 64, 132)).toEqual(expected(first, second, 64, 132));
      // What was read as zeros is left as it was.
      expect(first).toEqual(before);
    }
  });

  it('agrees with node:crypto on random inputs, and compares digests octet by octet', () => {
    for (let i = 0; i < 2000; i++) {
      const first = randomBytes(Math.floor(Math.random() * 4200));
      const second = randomBytes(Math.floor(Math.random() * 300));
      const want = expected(first, second);
      md5(first, first.length, second);
      expect(digestEquals(want, 0)).toBe(true);
      const other = Buffer.concat([Buffer.alloc(3), want]);
      const k = 3 + (i % 16);
      other[k] = other[k]! ^ (1 << (i % 8));
      expect(digestEquals(other, 3)).toBe(false);
    }
  });

  it('hashes only the first `firstLength` octets of its first part', () => {
    const first = randomBytes(150);
    md5(first, 90, Buffer.from('secret'));
    const out = Buffer.alloc(16);
    writeDigest(out, 0);
    expect(out).toEqual(expected(first.subarray(0, 90), Buffer.from('secret')));
  });
});
