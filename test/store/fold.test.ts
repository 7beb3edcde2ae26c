// Batches past the store's backlog bound, folded into one: records dropped and counted, the rest
// merged so that what the store is told adds up to what the batches said.

import { describe, expect, it } from 'vitest';
import type { IngestBatch } from '../../src/store/batch.js';
import { fold, sameHour, withoutRecords } from '../../src/store/fold.js';

const batch = (over: Partial<IngestBatch>): IngestBatch => ({
  records: [], messages: [], hour: 500_000, traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [], ...over,
});

describe('folding batches that wait', () => {
  it('drops records and messages, counting them under the reason given', () => {
    const b = withoutRecords(batch({ records: ['a', 'b'], counters: [['received.udp', 3]] }), 'dropped.store-unwritable');
    expect(b.records).toEqual([]);
    expect(b.counters).toEqual([['received.udp', 3], ['dropped.store-unwritable', 2]]);
  });

  it('adds counters and traffic, keeps the latest gauges, the widest activity and the newest rejects', () => {
    const a = batch({
      counters: [['received.udp', 3], ['dropped.store-unwritable', 2]],
      gauges: [['kernel.udp.socket_drops', 1]],
      traffic: [{ device: 'r1', program: 'sshd', messages: 2, recognised: 1 }],
      activity: [{ device: 'r1', source: '192.0.2.1', first: 10, last: 20 }],
      rejects: [{ at: 1, source: null, transport: 'udp', reason: 'bad-pri', raw: new Uint8Array([1]) }],
      unknowns: [{ device: 'r1', type: 'X', count: 1, first: 5, last: 5, example: 'old' }],
      native: [{ transport: 'radius', source: '192.0.2.9', device: 'nas', first: 1, last: 2, accepted: 1, lastAccepted: 2, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null, malformed: 2, lastMalformed: 2, lastMalformedReason: 'radius-short' }],
    });
    const b = batch({
      counters: [['received.udp', 4], ['dropped.store-unwritable', 4]],
      gauges: [['kernel.udp.socket_drops', 7]],
      traffic: [{ device: 'r1', program: 'sshd', messages: 4, recognised: 0 }, { device: 'r2', program: 'cron', messages: 1, recognised: 0 }],
      activity: [{ device: 'r1', source: '192.0.2.1', first: 5, last: 15 }],
      rejects: [
        { at: 2, source: null, transport: 'udp', reason: 'bad-pri', raw: new Uint8Array([2]) },
        { at: 3, source: null, transport: 'udp', reason: 'bad-pri', raw: new Uint8Array([3]) },
      ],
      unknowns: [{ device: 'r1', type: 'X', count: 2, first: 6, last: 9, example: 'new' }],
      native: [{ transport: 'radius', source: '192.0.2.9', device: 'nas', first: 3, last: 4, accepted: 0, lastAccepted: null, badKey: 1, lastBadKey: 4, refused: 0, named: 0, lastNamed: null, malformed: 1, lastMalformed: 3, lastMalformedReason: 'radius-bad-attribute' }],
    });
    const f = fold(a, b, 2);
    expect(Object.fromEntries(f.counters)).toEqual({ 'received.udp': 7, 'dropped.store-unwritable': 6 });
    expect(f.gauges).toEqual([['kernel.udp.socket_drops', 7]]);
    expect(f.traffic).toEqual([{ device: 'r1', program: 'sshd', messages: 6, recognised: 1 }, { device: 'r2', program: 'cron', messages: 1, recognised: 0 }]);
    expect(f.activity).toEqual([{ device: 'r1', source: '192.0.2.1', first: 5, last: 20 }]);
    expect(f.rejects.map((r) => r.at)).toEqual([2, 3]);
    expect(f.unknowns).toEqual([{ device: 'r1', type: 'X', count: 3, first: 5, last: 9, example: 'new' }]);
    expect(f.native).toEqual([{ transport: 'radius', source: '192.0.2.9', device: 'nas', first: 1, last: 4, accepted: 1, lastAccepted: 2, badKey: 1, lastBadKey: 4, refused: 0, named: 0, lastNamed: null, malformed: 3, lastMalformed: 3, lastMalformedReason: 'radius-bad-attribute' }]);
    // A later batch without one keeps the earlier's last malformed packet.
    const none = { ...b.native![0]!, malformed: 0, lastMalformed: null, lastMalformedReason: null };
    expect(fold(a, { ...b, native: [none] }, 2).native).toMatchObject([{ malformed: 2, lastMalformed: 2, lastMalformedReason: 'radius-short' }]);
    // The inputs are left as they were.
    expect(a.traffic[0]!.messages).toBe(2);
  });

  it('keeps traffic of different hours apart', () => {
    const t = [{ device: 'r1', program: 'p', messages: 1, recognised: 0 }];
    expect(sameHour(batch({ hour: 1, traffic: t }), batch({ hour: 2, traffic: t }))).toBe(false);
    expect(sameHour(batch({ hour: 1, traffic: t }), batch({ hour: 2 }))).toBe(true);
    expect(fold(batch({ hour: 1, traffic: t }), batch({ hour: 2 }), 10).hour).toBe(1);
  });
});
