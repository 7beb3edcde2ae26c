// The batches the UDP receiving thread posts: full at a count or at an amount of text, senders
// listed once each, refusals and unread drops carried beside the datagrams.

import { describe, expect, it } from 'vitest';
import { LATIN1, TRUNCATED, UdpBatcher } from '../../src/ingest/udp-batch.js';

describe('UdpBatcher', () => {
  it('lists each sender once, keeps order, flags and times, and starts afresh after take', () => {
    const b = new UdpBatcher(8, 1 << 20);
    expect(b.empty).toBe(true);
    b.add('a1', '192.0.2.1', 1000, 0);
    b.add('b1', '192.0.2.2', 1001, LATIN1);
    b.add('a2', '192.0.2.1', 1002, TRUNCATED);
    b.reject('198.51.100.9', new Uint8Array([60, 49, 51, 62]));
    b.droppedUnread();
    const { batch, transfer } = b.take();
    expect(batch.texts).toEqual(['a1', 'b1', 'a2']);
    expect(batch.sources).toEqual(['192.0.2.1', '192.0.2.2']);
    expect([...batch.from.subarray(0, 3)]).toEqual([0, 1, 0]);
    expect([...batch.times.subarray(0, 3)]).toEqual([1000, 1001, 1002]);
    expect([...batch.flags.subarray(0, 3)]).toEqual([0, LATIN1, TRUNCATED]);
    expect(batch.rejects).toEqual([{ source: '198.51.100.9', sample: new Uint8Array([60, 49, 51, 62]) }]);
    expect(batch.unread).toBe(1);
    expect(transfer).toHaveLength(3);
    expect(b.empty).toBe(true);
    b.add('c1', '192.0.2.3', 1003, 0);
    expect(b.take().batch.sources).toEqual(['192.0.2.3']);
  });

  it('is full at its count (refusals included) or at its amount of text, whichever first', () => {
    const byCount = new UdpBatcher(3, 1 << 20);
    byCount.add('x', 's', 0, 0);
    byCount.reject('r', new Uint8Array(1));
    expect(byCount.full).toBe(false);
    byCount.add('y', 's', 0, 0);
    expect(byCount.full).toBe(true);

    const byText = new UdpBatcher(256, 100_000);
    byText.add('x'.repeat(60_000), 's', 0, 0);
    expect(byText.full).toBe(false);
    byText.add('x'.repeat(60_000), 's', 0, 0);
    expect(byText.full).toBe(true);
    byText.take();
    expect(byText.full).toBe(false);
  });
});
