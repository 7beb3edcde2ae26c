// The RADIUS receiver's bounded tables: the duplicate cache and the open sessions forget their
// oldest entries first, whatever was set again or deleted in between (their order:
// test/parsers/arrival-order.test.ts); the retransmissions made new by a longer Acct-Delay-Time
// are kept in two generations.

import { describe, expect, it } from 'vitest';
import { contentHash, DelayedRetransmissions } from '../../src/ingest/radius/delayed.js';
import { DuplicateCache, type Pending } from '../../src/ingest/radius/duplicates.js';
import { readPacket, type RadiusPacket } from '../../src/ingest/radius/packet.js';
import { FNV_BASIS, sessionKey, SessionTable } from '../../src/ingest/radius/records.js';

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
    cache.failed(failed);
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
    for (const k of ['s1', 's2', 's3']) sessions.set('d', k, s);
    sessions.set('d', 's1', s);
    sessions.set('d', 's4', s);
    expect(['s1', 's2', 's3', 's4'].map((k) => sessions.get('d', k) !== undefined)).toEqual([true, false, true, true]);
    expect(sessions.size).toBe(3);
    sessions.forgetDevice('d');
    expect(sessions.size).toBe(0);
  });

  it('files sessions by device: one id on two devices is two sessions, a Stop or a restart ends only its own', () => {
    const sessions = new SessionTable(100);
    sessions.set('d1', 'x', { actor: 'a', actorAddress: undefined, privilege: '15' });
    sessions.set('d2', 'x', { actor: 'b', actorAddress: undefined, privilege: undefined });
    expect(sessions.get('d1', 'x')?.actor).toBe('a');
    expect(sessions.get('d2', 'x')?.actor).toBe('b');
    sessions.delete('d1', 'x');
    expect(sessions.get('d1', 'x')).toBeUndefined();
    expect(sessions.get('d2', 'x')?.actor).toBe('b');
    sessions.set('d1', 'y', { actor: 'c', actorAddress: undefined, privilege: undefined });
    sessions.forgetDevice('d2');
    expect(sessions.get('d2', 'x')).toBeUndefined();
    expect(sessions.get('d1', 'y')?.actor).toBe('c');
    expect(sessions.size).toBe(1);
  });

  it('stays within its bound under a flood of sessions, forgetting the oldest, whatever was stopped in between', () => {
    const sessions = new SessionTable(1000);
    const s = { actor: 'a', actorAddress: undefined, privilege: undefined };
    let largest = 0;
    for (let i = 0; i < 50_000; i++) {
      sessions.set(`d${i % 7}`, `s${i}`, s);
      if (i % 3 === 0) sessions.delete(`d${(i - 1) % 7}`, `s${i - 1}`);
      largest = Math.max(largest, sessions.size);
    }
    expect(largest).toBe(1000);
    expect(sessions.get(`d${49_999 % 7}`, 's49999')).toBeDefined();
    // Every session it counts can be found, and the oldest went first.
    let open = 0;
    for (let i = 0; i < 50_000; i++) if (sessions.get(`d${i % 7}`, `s${i}`)) open++;
    expect(open).toBe(1000);
    expect(sessions.get('d0', 's0')).toBeUndefined();
  });
  it('tells apart ids under one key: each found, renewed, stopped and forgotten as the oldest on its own', () => {
    // Two ids whose 30-bit keys are the same under FNV's basis, so they share a chain; under
    // another basis (a table's own is drawn at random) they do not.
    const [a, b] = ['s13818', 's136662'];
    expect(sessionKey(a, FNV_BASIS)).toBe(sessionKey(b, FNV_BASIS));
    expect(sessionKey(a, 12345)).not.toBe(sessionKey(b, 12345));
    const sessions = new SessionTable(3, FNV_BASIS);
    const as = (actor: string) => ({ actor, actorAddress: undefined, privilege: undefined });
    sessions.set('d', a, as('a1'));
    sessions.set('d', b, as('b1'));
    expect([sessions.get('d', a)?.actor, sessions.get('d', b)?.actor]).toEqual(['a1', 'b1']);
    // Renewed at the far end of the chain, then at its head.
    sessions.set('d', a, as('a2'));
    sessions.set('d', b, as('b2'));
    expect([sessions.get('d', a)?.actor, sessions.get('d', b)?.actor, sessions.size]).toEqual(['a2', 'b2', 2]);
    sessions.delete('d', a);
    expect([sessions.get('d', a), sessions.get('d', b)?.actor, sessions.size]).toEqual([undefined, 'b2', 1]);
    sessions.set('d', a, as('a3'));
    // b is the oldest set: past the bound it goes, and a stays.
    sessions.set('d', 'x', as('x'));
    sessions.set('d', 'y', as('y'));
    expect([sessions.get('d', a)?.actor, sessions.get('d', b), sessions.size]).toEqual(['a3', undefined, 3]);
  });

  it('ends a restarted device\'s sessions in the order their ids were first set, a renewal keeping its place', () => {
    const sessions = new SessionTable(100, FNV_BASIS);
    const s = { actor: 'a', actorAddress: undefined, privilege: undefined };
    for (const k of ['s3', 's13818', 's1', 's136662', 's2']) sessions.set('d', k, s);
    sessions.set('d', 's3', s);
    sessions.set('d', 's136662', s);
    sessions.delete('d', 's1');
    sessions.set('d', 's1', s);
    sessions.set('e', 's0', s);
    expect(sessions.forgetDevice('d').map((o) => o.session)).toEqual(['s3', 's13818', 's136662', 's2', 's1']);
    expect([sessions.size, sessions.get('e', 's0') !== undefined]).toEqual([1, true]);
  });
});

describe('DelayedRetransmissions', () => {
  const entry = (source = 'x'): Pending => ({
    key: 0, next: undefined, at: 0, answered: true, waiters: undefined, source, peer: 1, request: 'r', live: true, moment: 0, delay: 0, nextSame: undefined,
  });

  it('finds a request by a longer delay at the same moment from the same sender, in either generation, and forgets past two', () => {
    const table = new DelayedRetransmissions(4, 60_000);
    const first = entry('192.0.2.1');
    table.add(7, 1_000, 0, first, 0);
    expect(table.find(7, '192.0.2.1', 1_500, 3)).toBe(first);
    // Not a shorter or equal delay, another moment, another sender or another hash.
    expect(table.find(7, '192.0.2.1', 1_000, 0)).toBeUndefined();
    expect(table.find(7, '192.0.2.1', 9_000, 3)).toBeUndefined();
    expect(table.find(7, '192.0.2.2', 1_000, 3)).toBeUndefined();
    expect(table.find(8, '192.0.2.1', 1_000, 3)).toBeUndefined();
    // Two requests under one hash are both found, and both count towards the bound.
    const second = entry('192.0.2.9');
    table.add(7, 1_000, 0, second, 1);
    expect(table.find(7, '192.0.2.1', 1_000, 1)).toBe(first);
    expect(table.find(7, '192.0.2.9', 1_000, 1)).toBe(second);
    // The first generation is full (max / 2); the next starts a second, where the first is still found.
    table.add(2, 0, 0, entry(), 2);
    expect(table.find(7, '192.0.2.1', 1_000, 1)).toBe(first);
    table.add(3, 0, 0, entry(), 3);
    table.add(4, 0, 0, entry(), 4);
    expect(table.find(7, '192.0.2.1', 1_000, 1)).toBeUndefined();
  });

  it('a request that could not be stored is not one to answer for', () => {
    const table = new DelayedRetransmissions(100, 60_000);
    const failed = { ...entry('s'), answered: false, live: false };
    table.add(1, 0, 0, failed, 0);
    expect(table.find(1, 's', 0, 5)).toBeUndefined();
  });

  it('hashes every attribute but Acct-Delay-Time, Message-Authenticator and Proxy-State', () => {
    const pkt = (delay: number, ma: number, user: string, state = 's1'): RadiusPacket => {
      const attrs = Buffer.concat([
        Buffer.from([1, 2 + user.length]), Buffer.from(user), Buffer.from([41, 6, 0, 0, 0, delay]), Buffer.from([80, 18]), Buffer.alloc(16, ma),
        Buffer.from([33, 2 + state.length]), Buffer.from(state),
      ]);
      const b = Buffer.concat([Buffer.from([4, 1, 0, 20 + attrs.length]), Buffer.alloc(16), attrs]);
      return readPacket(b) as RadiusPacket;
    };
    expect(contentHash(pkt(0, 1, 'alice'))).toBe(contentHash(pkt(9, 2, 'alice', 'another state')));
    expect(contentHash(pkt(0, 1, 'alice'))).not.toBe(contentHash(pkt(0, 1, 'alicf')));
  });
});
