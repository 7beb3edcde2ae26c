// The RADIUS receiver's bounded tables: the duplicate cache and the open sessions forget their
// oldest entries first, whatever was set again or deleted in between (their order:
// test/parsers/arrival-order.test.ts).

import { describe, expect, it } from 'vitest';
import { DuplicateCache } from '../../src/ingest/radius/duplicates.js';
import { SessionTable } from '../../src/ingest/radius/records.js';

describe('DuplicateCache', () => {
  // One sender; each request named by its key, its octets the same word.
  const from = { source: '192.0.2.1', peer: 1812 };
  const KEYS = new Map<string, number>();
  const keyOf = (name: string): number => {
    if (!KEYS.has(name)) KEYS.set(name, KEYS.size + 1);
    return KEYS.get(name)!;
  };
  const begin = (cache: DuplicateCache, name: string, at: number) => cache.begin(keyOf(name), at, from, name);
  const find = (cache: DuplicateCache, name: string, at: number) => cache.find(keyOf(name), at, from, name);

  it('keeps at most its bound of answered requests, forgetting the oldest; one still being stored stays until answered', () => {
    const cache = new DuplicateCache(100, 60_000);
    const held = begin(cache, 'held', 0);
    for (let i = 0; i < 1000; i++) cache.answered(begin(cache, `r${i}`, i), Buffer.from([i & 255]));
    // The request being stored is the oldest and is kept; the oldest answered ones make room.
    expect(cache.size).toBe(100);
    expect(find(cache, 'held', 1000)).toBe(held);
    expect(find(cache, 'r900', 1000)).toBeUndefined();
    expect(find(cache, 'r901', 1000)?.answered).toBe(true);
    expect(held.answered).toBe(false);
    cache.answered(held, Buffer.from([1]));
    for (let i = 0; i < 100; i++) cache.answered(begin(cache, `s${i}`, 1001), Buffer.from([2]));
    expect(cache.size).toBe(100);
    expect(find(cache, 'held', 1001)).toBeUndefined();
  });

  it('forgets answered requests older than its time, and a failed one at once', () => {
    const cache = new DuplicateCache(1000, 60_000);
    cache.answered(begin(cache, 'old', 0), Buffer.from([1]));
    const failed = begin(cache, 'failed', 10);
    cache.failed(keyOf('failed'), failed);
    expect(find(cache, 'failed', 20)).toBeUndefined();
    cache.answered(begin(cache, 'new', 70_000), Buffer.from([2]));
    expect(cache.size).toBe(1);
    expect(find(cache, 'old', 70_000)).toBeUndefined();
    expect(find(cache, 'new', 70_000)?.answered).toBe(true);
  });
});

describe('SessionTable', () => {
  it('forgets the session heard of longest ago: an Interim-Update makes a session recent again', () => {
    const sessions = new SessionTable(3);
    const s = { actor: 'a', actorAddress: undefined, privilege: undefined };
    for (const k of ['d\u0000s1', 'd\u0000s2', 'd\u0000s3']) sessions.set(k, s);
    sessions.set('d\u0000s1', s);
    sessions.set('d\u0000s4', s);
    expect(['s1', 's2', 's3', 's4'].map((k) => sessions.get(`d\u0000${k}`) !== undefined)).toEqual([true, false, true, true]);
    sessions.forgetDevice('d');
    expect(sessions.size).toBe(0);
  });
});
