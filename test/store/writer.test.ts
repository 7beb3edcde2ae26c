// The ingest writer's bounds: what it keeps for the hour must not grow with what senders put in
// their frames.

import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IngestBatch } from '../../src/store/batch.js';
import { fold } from '../../src/store/fold.js';
import { IngestWriter, MAX_UNVERIFIED_SENDERS } from '../../src/store/writer.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('ingest writer', () => {
  it('a device name cut from a 60 KB frame does not keep the frame for the hour', () => {
    const w = new IngestWriter({ write: () => {} }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 2000; i++) {
      const frame = `core-switch-${String(i).padStart(6, '0')} ${'x'.repeat(60_000)}${i}`;
      w.countTraffic(Date.now(), frame.slice(0, 18), frame.slice(19, 40), false, '192.0.2.1');
    }
    gc();
    // 2,000 frames of 60 KB would be 115 MB; the names alone are a few hundred KB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 2 ** 20);
  });

  it('counts traffic and last-heard per device, folding devices past the hourly bound', () => {
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    const at = Date.UTC(2026, 10, 22, 3, 0, 0);
    w.countTraffic(at, 'sw1', 'sshd', false, '192.0.2.1');
    w.countTraffic(at + 5, 'sw1', 'sshd', true, '192.0.2.1');
    w.countTraffic(at + 9, 'sw2', 'cron', false, '192.0.2.2');
    for (let i = 0; i < 20_001; i++) w.countTraffic(at + 10, `spoofed-${i}`, 'x', false, '192.0.2.3');
    w.flush();
    // The devices' first rows with the batch, the traffic in the counts' batch behind it.
    expect(batches).toHaveLength(2);
    const b = { traffic: batches[1]!.traffic, activity: batches[0]!.activity };
    expect(b.traffic.find((t) => t.device === 'sw1')).toEqual({ device: 'sw1', program: 'sshd', messages: 2, recognised: 1 });
    expect(b.activity.find((a) => a.device === 'sw1')).toEqual({ device: 'sw1', source: '192.0.2.1', first: at, last: at + 5 });
    expect(b.traffic.find((t) => t.device === '(other)')?.messages).toBe(3);
    expect(b.activity.some((a) => a.device === '(other)')).toBe(false);
    expect(new Set(b.traffic.map((t) => t.device)).size).toBe(20_001);
  });

  it('counts each program of a device, the one counted last and the others, folding those past the bound', () => {
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    const at = Date.UTC(2026, 11, 4, 22, 0, 0);
    // The same program again, another, back to the first; then past the bound of 200 a device, and the folded ones in turn.
    const sent = ['sshd', 'sshd', 'cron', 'sshd', ...Array.from({ length: 250 }, (_, i) => `p${i}`), 'p0', 'p249', 'p249', 'p248', 'sshd'];
    for (const p of sent) w.countTraffic(at, 'sw1', p.slice(0), p === 'sshd', '192.0.2.1');
    w.flush();
    const counts = new Map(batches[1]!.traffic.map((t) => [t.program, [t.messages, t.recognised]]));
    expect(counts.get('sshd')).toEqual([4, 4]);
    expect(counts.get('cron')).toEqual([1, 0]);
    expect(counts.get('p0')).toEqual([2, 0]);
    // sshd, cron and p0…p197 fill the 200; p198…p249 (52) and the three repeats of folded ones are (other).
    expect(counts.get('p197')).toEqual([1, 0]);
    expect(counts.has('p198')).toBe(false);
    expect(counts.get('(other)')).toEqual([55, 0]);
    expect(batches[1]!.traffic.reduce((n, t) => n + t.messages, 0)).toBe(sent.length);
  });
});

describe('ingest writer: native senders', () => {
  it('keeps one row per transport, sender address and device in a batch, counting each outcome, and starts afresh after a hand-over', () => {
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    w.nativeRequest('radius', '192.0.2.1', 'nas1', 100, 'accepted');
    w.nativeRequest('radius', '192.0.2.1', 'nas1', 90, 'bad-key');
    w.nativeRequest('radius', '192.0.2.2', 'nas2', 110, 'accepted');
    // The same address over TACACS+ is a sender of its own.
    w.nativeRequest('tacacs', '192.0.2.1', 'nas1', 120, 'refused');
    w.nativeRequest('radius', '192.0.2.1', 'nas1', 130, 'accepted');
    // A proxy's second NAS is a row of its own; so is an inventory device a sender named without being its proxy.
    w.nativeRequest('radius', '192.0.2.1', 'nas3', 140, 'accepted');
    w.nativeRequest('radius', '192.0.2.2', 'core-sw1', 150, 'named');
    w.nativeRequest('radius', '192.0.2.2', 'core-sw1', 160, 'named');
    // Packets that did not read: counted, the last one's reason kept; a sender with nothing else has a row too.
    w.nativeMalformed('radius', '192.0.2.1', 'nas1', 95, 'radius-bad-attribute');
    w.nativeMalformed('radius', '192.0.2.1', 'nas1', 125, 'radius-unexpected-code');
    w.nativeMalformed('tacacs', '192.0.2.3', '192.0.2.3', 170, 'tacacs-bad-flags');
    w.flush();
    const rows = batches[0]!.native!;
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.transport === 'radius' && r.source === '192.0.2.1' && r.device === 'nas1')).toEqual({
      transport: 'radius', source: '192.0.2.1', device: 'nas1', first: 100, last: 130, accepted: 2, lastAccepted: 130, badKey: 1, lastBadKey: 90, refused: 0, named: 0, lastNamed: null,
      malformed: 2, lastMalformed: 125, lastMalformedReason: 'radius-unexpected-code',
    });
    expect(rows.find((r) => r.source === '192.0.2.3')).toMatchObject({ transport: 'tacacs', device: '192.0.2.3', first: 170, accepted: 0, malformed: 1, lastMalformed: 170, lastMalformedReason: 'tacacs-bad-flags' });
    expect(rows.find((r) => r.transport === 'radius' && r.source === '192.0.2.1' && r.device === 'nas3')).toMatchObject({ accepted: 1, first: 140 });
    expect(rows.find((r) => r.transport === 'radius' && r.source === '192.0.2.2' && r.device === 'nas2')?.accepted).toBe(1);
    expect(rows.find((r) => r.device === 'core-sw1')).toMatchObject({ source: '192.0.2.2', accepted: 0, named: 2, first: 150, lastNamed: 160 });
    expect(rows.find((r) => r.transport === 'tacacs')).toMatchObject({ source: '192.0.2.1', accepted: 0, refused: 1 });
    w.nativeRequest('radius', '192.0.2.1', 'nas1', 200, 'accepted');
    w.flush();
    expect(batches[1]!.native).toEqual([
      { transport: 'radius', source: '192.0.2.1', device: 'nas1', first: 200, last: 200, accepted: 1, lastAccepted: 200, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null },
    ]);
  });

  it('gives rows to at most MAX_UNVERIFIED_SENDERS senders nothing of which verified (forged sources), counting the rest; a verified request always gets one', () => {
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    const forged = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < MAX_UNVERIFIED_SENDERS + 50; i++) {
      if (i % 2 === 0) w.nativeRequest('radius', forged(i), forged(i), 100 + i, 'bad-key');
      else w.nativeMalformed('radius', forged(i), forged(i), 100 + i, 'radius-bad-length');
    }
    // A sender with a row keeps counting in it; the same address over TACACS+ is another sender, past the bound.
    w.nativeRequest('radius', forged(0), forged(0), 5000, 'bad-key');
    w.nativeMalformed('tacacs', forged(0), forged(0), 5001, 'tacacs-bad-flags');
    // A request that verified gets its row whatever the bound, and so do its sender's later wrong keys.
    w.nativeRequest('radius', '192.0.2.9', 'nas9', 6000, 'accepted');
    w.nativeRequest('radius', '192.0.2.9', 'nas9', 6001, 'bad-key');
    w.flush();
    const rows = batches.flatMap((b) => b.native ?? []);
    expect(rows.filter((r) => r.accepted === 0)).toHaveLength(MAX_UNVERIFIED_SENDERS);
    expect(new Set(rows.filter((r) => r.accepted === 0).map((r) => r.source)).has(forged(MAX_UNVERIFIED_SENDERS))).toBe(false);
    expect(rows.find((r) => r.source === forged(0))).toMatchObject({ transport: 'radius', badKey: 2, lastBadKey: 5000 });
    expect(rows.some((r) => r.transport === 'tacacs')).toBe(false);
    expect(rows.find((r) => r.source === '192.0.2.9')).toMatchObject({ accepted: 1, badKey: 1 });
    const counted = batches.reduce((n, b) => n + (b.counters.find(([name]) => name === 'native.senders-over-bound')?.[1] ?? 0), 0);
    expect(counted).toBe(50 + 1);
  });

  it('hands a pair new to it, or heard again after a minute, over with its batch, and holds a known pair\'s rows with the counts', () => {
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    const at = Date.UTC(2026, 11, 6, 9, 0, 0);
    w.nativeRequest('radius', '192.0.2.1', 'nas1', at, 'accepted');
    w.committed(w.mark());
    // The pair's first row went with its batch.
    expect(batches.map((b) => b.native?.map((n) => [n.device, n.accepted]))).toEqual([[['nas1', 1]]]);
    // Known: its next rows wait for the counts, in a batch of their own; a second NAS's first goes with its batch.
    w.nativeRequest('radius', '192.0.2.1', 'nas1', at + 10, 'accepted');
    w.nativeRequest('radius', '192.0.2.1', 'nas2', at + 20, 'accepted');
    w.nativeRequest('radius', '192.0.2.1', 'nas1', at + 30, 'bad-key');
    w.count('x');
    w.committed(w.mark());
    expect(batches[1]!.native?.map((n) => n.device)).toEqual(['nas2']);
    w.flush();
    expect(batches[2]!.records).toEqual([]);
    expect(batches[2]!.native).toEqual([
      { transport: 'radius', source: '192.0.2.1', device: 'nas1', first: at + 10, last: at + 30, accepted: 1, lastAccepted: at + 10, badKey: 1, lastBadKey: at + 30, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null },
    ]);
    // Heard again a minute after it was last: with its batch, as a device's last-heard row (reconciliation reads when a device was last accepted).
    w.nativeRequest('radius', '192.0.2.1', 'nas1', at + 30 + 60_000, 'accepted');
    w.committed(w.mark());
    expect(batches[3]!.native).toMatchObject([{ device: 'nas1', accepted: 1, lastAccepted: at + 30 + 60_000 }]);
  });
});

describe('ingest writer: one shape for every batch', () => {
  it('hands every batch over with the same fields in the same order, with native rows and RELP frames or without, counts alone, folded', () => {
    // A batch of a shape first seen after the store's functions were optimised deoptimised them (src/store/batch.ts).
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 5000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    const at = Date.UTC(2026, 11, 6, 6, 0, 0);
    w.countTraffic(at, 'sw1', 'sshd', true, '192.0.2.1');
    w.flush();
    w.nativeRequest('radius', '192.0.2.1', 'nas1', at, 'accepted');
    w.flush();
    w.resendFrame({ session: 's', source: '192.0.2.1', seq: 1, digest: 'd', at, keepFirst: 1, forgetThrough: 0 });
    w.count('x');
    w.flush();
    const shapes = [...batches, fold(batches[1]!, batches[0]!, 10), fold(batches[0]!, batches[2]!, 10)].map((b) => Object.keys(b).join());
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.some((b) => b.native !== undefined) && batches.some((b) => b.resends !== undefined) && batches.some((b) => b.traffic.length > 0)).toBe(true);
    expect(new Set(shapes)).toEqual(new Set(['records,messages,hour,traffic,rejects,unknowns,activity,native,resends,counters,gauges']));
  });
});

describe('ingest writer timing', () => {
  afterEach(() => vi.useRealTimers());

  it('hands a batch over as soon as input pauses, long before batchMillis', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 1000, batchMillis: 10_000, keepRejectedPerReason: 0 });
    w.countTraffic(Date.now(), 'sw1', 'sshd', false, '192.0.2.1');
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(10);
    // The device's first row with the batch, the traffic behind it (the first counts after a quiet second go at once).
    expect(batches).toHaveLength(2);
    expect(batches[0]!.activity[0]).toMatchObject({ device: 'sw1' });
    expect(batches[1]!.traffic[0]).toMatchObject({ device: 'sw1', messages: 1 });
  });

  it('while input keeps coming, hands a batch over once it is batchMillis old', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 1000, batchMillis: 250, keepRejectedPerReason: 0 });
    for (let ms = 0; ms < 240; ms += 10) {
      w.countTraffic(Date.now(), 'sw1', 'sshd', false, '192.0.2.1');
      vi.advanceTimersByTime(10);
    }
    expect(batches).toHaveLength(0);
    w.countTraffic(Date.now(), 'sw1', 'sshd', false, '192.0.2.1');
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.traffic[0]).toMatchObject({ device: 'sw1', messages: 25 });
  });

  it('after a batch handed over early (an acknowledged group), the next one still waits for its own pause', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 1000, batchMillis: 10_000, keepRejectedPerReason: 0 });
    w.countTraffic(Date.now(), 'sw1', 'sshd', false, '192.0.2.1');
    vi.advanceTimersByTime(15);
    void w.committed(w.mark());
    expect(batches).toHaveLength(2);
    w.countTraffic(Date.now(), 'sw2', 'sshd', false, '192.0.2.2');
    // The timer armed for the first batch fires 5 ms into the second: too early for it.
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(2);
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(3);
    expect(batches[2]!.activity[0]).toMatchObject({ device: 'sw2' });
    // Nothing gathered: no empty batch is handed over; the traffic held goes a second after the last.
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(3);
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(4);
    expect(batches[3]!.traffic).toEqual([{ device: 'sw2', program: 'sshd', messages: 1, recognised: 0 }]);
    // Then the timers lapse.
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("holds a busy feed's counts (1,000 rows or more) five seconds, merging its devices' repeats, and a quiet one's a second", () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const batches: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 500, batchMillis: 250, keepRejectedPerReason: 0 });
    const counts = (): IngestBatch[] => batches.filter((b) => b.traffic.length > 0);
    const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `sw${i}`);
    // A feed of 1,200 devices, each heard every 100 ms for 6 s: a batch handed over every 100 ms.
    const t0 = Date.now();
    for (let tick = 0; tick < 60; tick++) {
      for (const d of names(1200)) w.countTraffic(Date.now(), d, 'sshd', false, '192.0.2.1');
      vi.advanceTimersByTime(100);
      // The first counts after a quiet second go at once; the next only once five seconds have passed.
      expect(counts().length).toBe(Date.now() - t0 <= 5000 ? 1 : 2);
    }
    expect(counts()[1]!.traffic).toHaveLength(1200);
    expect(counts()[1]!.traffic[0]).toEqual({ device: 'sw0', program: 'sshd', messages: 50, recognised: 0 });
    // With no batch after them, the rest go five seconds after the last, and nothing is lost.
    vi.advanceTimersByTime(4000);
    expect(counts()).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(counts()).toHaveLength(3);
    const total = counts().flatMap((b) => b.traffic).filter((t) => t.device === 'sw0').reduce((n, t) => n + t.messages, 0);
    expect(total).toBe(60);
    // A few devices: after a quiet second at once, then a second after the last, as before.
    w.countTraffic(Date.now(), 'sw1', 'sshd', false, '192.0.2.1');
    vi.advanceTimersByTime(20);
    expect(counts()).toHaveLength(4);
    w.countTraffic(Date.now(), 'sw1', 'sshd', false, '192.0.2.1');
    vi.advanceTimersByTime(20);
    expect(counts()).toHaveLength(4);
    vi.advanceTimersByTime(1000);
    expect(counts()).toHaveLength(5);
    expect(counts().slice(3).map((b) => b.traffic)).toEqual([1, 1].map(() => [{ device: 'sw1', program: 'sshd', messages: 1, recognised: 0 }]));
  });
});
