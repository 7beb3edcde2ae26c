// The batches the UDP receiving thread posts: full at a count or at an amount of the ring, senders
// listed once each, refusals and unread drops carried beside the datagrams; the datagrams' bytes in
// the ring, in order across its end, each read as it was sent.

import { describe, expect, it } from 'vitest';
import { ASCII, datagramText, LATIN1, TRUNCATED, UdpBatcher } from '../../src/ingest/udp-batch.js';

const bytes = (s: string, enc: BufferEncoding = 'utf8'): Uint8Array => Buffer.from(s, enc);

describe('UdpBatcher', () => {
  it('lists each sender once, keeps order, flags and times, and starts afresh after take', () => {
    const ring = Buffer.alloc(64);
    const b = new UdpBatcher(8, 1 << 20, ring);
    expect(b.empty).toBe(true);
    b.add(bytes('a1'), '192.0.2.1', 1000, 0);
    b.add(bytes('b1'), '192.0.2.2', 1001, LATIN1);
    b.add(bytes('a2'), '192.0.2.1', 1002, TRUNCATED);
    b.reject('198.51.100.9', new Uint8Array([60, 49, 51, 62]));
    b.droppedUnread();
    const { batch, transfer } = b.take();
    expect(batch.count).toBe(3);
    expect([0, 1, 2].map((i) => datagramText(ring, batch, i))).toEqual(['a1', 'b1', 'a2']);
    expect(batch.sources).toEqual(['192.0.2.1', '192.0.2.2']);
    expect([...batch.from.subarray(0, 3)]).toEqual([0, 1, 0]);
    expect([...batch.times.subarray(0, 3)]).toEqual([1000, 1001, 1002]);
    expect([...batch.flags.subarray(0, 3)]).toEqual([0, LATIN1, TRUNCATED]);
    expect(batch.rejects).toEqual([{ source: '198.51.100.9', sample: new Uint8Array([60, 49, 51, 62]) }]);
    expect(batch.unread).toBe(1);
    expect(transfer).toHaveLength(4);
    expect(b.empty).toBe(true);
    b.add(bytes('c1'), '192.0.2.3', 1003, 0);
    expect(b.take().batch.sources).toEqual(['192.0.2.3']);
  });

  it('is full at its count (refusals included) or at its bytes, whichever first', () => {
    const byCount = new UdpBatcher(3, 1 << 20, Buffer.alloc(64));
    byCount.add(bytes('x'), 's', 0, 0);
    byCount.reject('r', new Uint8Array(1));
    expect(byCount.full).toBe(false);
    byCount.add(bytes('y'), 's', 0, 0);
    expect(byCount.full).toBe(true);

    const byBytes = new UdpBatcher(256, 100_000, Buffer.alloc(1 << 20));
    byBytes.add(bytes('x'.repeat(60_000)), 's', 0, 0);
    expect(byBytes.full).toBe(false);
    byBytes.add(bytes('x'.repeat(60_000)), 's', 0, 0);
    expect(byBytes.full).toBe(true);
    byBytes.take();
    expect(byBytes.full).toBe(false);
  });

  it('places datagrams one after another, back at 0 when one does not fit before the ring\'s end, and counts the end skipped in the batch holding it', () => {
    const ring = Buffer.alloc(32);
    const b = new UdpBatcher(8, 1 << 20, ring);
    expect(b.need(10)).toBe(10);
    b.add(bytes('0123456789'), 's', 0, ASCII);
    b.add(bytes('abcdefghij'), 's', 0, ASCII);
    const first = b.take().batch;
    expect([...first.spans.subarray(0, 4)]).toEqual([0, 10, 10, 20]);
    expect(first.bytes).toBe(20);
    // 12 bytes are left before the end: a 13-byte datagram takes them and its own 13, from 0.
    expect(b.need(13)).toBe(25);
    b.add(bytes('ABCDEFGHIJKLM'), 's', 0, ASCII);
    const second = b.take().batch;
    expect([...second.spans.subarray(0, 2)]).toEqual([0, 13]);
    expect(second.bytes).toBe(25);
    expect(datagramText(ring, second, 0)).toBe('ABCDEFGHIJKLM');
    expect(b.need(19)).toBe(19);
  });

  it('reads each datagram as it was flagged: ASCII and Latin-1 byte for byte, the rest as UTF-8', () => {
    const ring = Buffer.alloc(64);
    const b = new UdpBatcher(8, 1 << 20, ring);
    b.add(bytes('plain'), 's', 0, ASCII);
    b.add(bytes('Grüße'), 's', 0, 0);
    b.add(bytes('Gr\u00fc\u00dfe', 'latin1'), 's', 0, LATIN1 | TRUNCATED);
    const { batch } = b.take();
    expect([0, 1, 2].map((i) => datagramText(ring, batch, i))).toEqual(['plain', 'Grüße', 'Gr\u00fc\u00dfe']);
  });
});
