// The duplicate cache as the RADIUS receiver keys it: by a number taken from the Request
// Authenticator, each entry checked to be for the same request (sender, port, octets 1–19).
// Two requests under one number are told apart, never taken one for the other; the bound holds
// under a flood of distinct keys; a retransmission is recognised up to the eviction boundary.

import { describe, expect, it } from 'vitest';
import { DuplicateCache } from '../../src/ingest/radius/duplicates.js';

const nas = (port: number) => ({ source: '192.0.2.1', peer: port });
const ANSWER = Buffer.alloc(20);

describe('DuplicateCache with numeric keys', () => {
  it('tells apart requests under one key by sender, port and octets, and remembers each', () => {
    const cache = new DuplicateCache(100, 60_000);
    const first = cache.begin(7, 0, nas(1000), 'request-a');
    expect(cache.find(7, 1, nas(1000), 'request-a')).toBe(first);
    // Same key, another request: not a duplicate of the first.
    expect(cache.find(7, 1, nas(1000), 'request-b')).toBeUndefined();
    expect(cache.find(7, 1, nas(1001), 'request-a')).toBeUndefined();
    expect(cache.find(7, 1, { source: '192.0.2.2', peer: 1000 }, 'request-a')).toBeUndefined();
    const second = cache.begin(7, 2, nas(1000), 'request-b');
    expect(cache.find(7, 3, nas(1000), 'request-b')).toBe(second);
    // The first is still remembered beside it: its retransmission is recognised.
    expect(cache.find(7, 3, nas(1000), 'request-a')).toBe(first);
    expect(cache.size).toBe(2);
    // The first failing to be stored does not forget the second, which shares its key.
    cache.failed(first);
    expect(cache.find(7, 4, nas(1000), 'request-b')).toBe(second);
    expect(cache.find(7, 4, nas(1000), 'request-a')).toBeUndefined();
    cache.failed(second);
    expect(cache.find(7, 5, nas(1000), 'request-b')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('a waiting retransmission gets the answer once the request is stored, whatever else shares its key later', () => {
    const cache = new DuplicateCache(100, 60_000);
    const e = cache.begin(1, 0, nas(1), 'x');
    const got: Buffer[] = [];
    (cache.find(1, 1, nas(1), 'x')!.waiters ??= []).push({ reply: (b) => got.push(b) });
    cache.begin(1, 2, nas(2), 'y');
    cache.answered(e, ANSWER);
    expect(got).toEqual([ANSWER]);
  });

  it('stays within its bound under a flood of distinct keys, and recognises retransmissions up to the eviction boundary', () => {
    const max = 1000;
    const cache = new DuplicateCache(max, 60_000);
    const keys: number[] = [];
    let found = 0;
    let largest = 0;
    for (let i = 0; i < 50_000; i++) {
      // Keys spread as the receiver makes them (30 bits of the authenticator), some shared.
      const key = (i * 2_654_435_761) % 2 ** 30;
      keys.push(key);
      if (cache.find(key, i, nas(i & 7), `r${i}`)) found++;
      cache.answered(cache.begin(key, i, nas(i & 7), `r${i}`), ANSWER);
      largest = Math.max(largest, cache.size);
    }
    expect(found).toBe(0);
    expect(largest).toBe(max);
    const last = keys.length - 1;
    // The newest `max` are remembered, the one before them forgotten.
    expect(cache.find(keys[last - max + 1]!, last, nas((last - max + 1) & 7), `r${last - max + 1}`)?.answered).toBe(true);
    expect(cache.find(keys[last]!, last, nas(last & 7), `r${last}`)?.answered).toBe(true);
    expect(cache.find(keys[last - max]!, last, nas((last - max) & 7), `r${last - max}`)).toBeUndefined();
  });

  it('keeps entries still being stored past the bound until answered, then forgets them first', () => {
    const cache = new DuplicateCache(16, 60_000);
    const held = cache.begin(-1, 0, nas(9), 'held');
    for (let i = 0; i < 200; i++) cache.answered(cache.begin(i, i, nas(1), `r${i}`), ANSWER);
    expect(cache.find(-1, 200, nas(9), 'held')).toBe(held);
    expect(cache.size).toBeLessThanOrEqual(17);
    cache.answered(held, ANSWER);
    for (let i = 200; i < 216; i++) cache.answered(cache.begin(i, i, nas(1), `r${i}`), ANSWER);
    expect(cache.find(-1, 216, nas(9), 'held')).toBeUndefined();
    expect(cache.size).toBe(16);
  });
});
