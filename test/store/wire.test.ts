import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { decodeRecord, encodeRecord, type IngestBatch } from '../../src/store/batch.js';
import { isoTime } from '../../parsers/lib/record-time.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { chainBody, verifyChain, type ChainedFields } from '../../src/store/chain.js';
import { openDatabase } from '../../src/store/db.js';
import { fromWire, toWire } from '../../src/store/wire.js';
import type { AaaRecord, SyslogMessage } from '../../src/types.js';
import { batchesFor, iosCommands } from '../support/ingest-batches.js';
import { tempDir } from '../support/temp.js';

// Strings a device may send in a name, a program or a message: what JSON and the line format must
// carry whole (quotes, backslashes, tabs and newlines, control characters, lone surrogates, non-BMP).
const ODD = ['plain', 'a"b', 'c\\d', 'tab\there', 'new\nline', '\r\u0000\u001f\u007f', 'lone \ud800 high', 'lone \udc00 low', '\udc00\ud800',
  'non-BMP \u{1F600} \u{10FFFF}', 'Zürich €', '', ' ', '\\ud800 as text', '[1,"x"]', '\u2028\u2029'];

function oddBatch(): IngestBatch {
  const msg = (i: number): SyslogMessage => ({ receivedAt: 1_764_700_000_000 + i, time: 1_764_700_000_000 + i, transport: 'tcp', source: ODD[i % ODD.length], timeText: ODD[(i + 3) % ODD.length] } as unknown as SyslogMessage);
  const records = ODD.map((s, i) => encodeRecord({
    kind: 'account', action: 'account.create', time: '2026-12-03T12:00:00.000Z', device: s, platform: 'cisco-ios', actor: ODD[(i + 1) % ODD.length],
    target: ODD[(i + 2) % ODD.length], command: `username ${s}`,
  } as AaaRecord, `raw ${s}`, msg(i)));
  return {
    records,
    messages: ODD.map((s, i) => ({
      receivedAt: i, time: i, timeText: s, timeQuality: 'exact', source: i % 2 ? null : s, transport: 'udp', device: s, hostname: s, program: null,
      facility: 4, severity: i % 8, raw: s, escaped: false, truncated: i % 3 === 0,
    })),
    hour: 490_194,
    traffic: ODD.map((s, i) => ({ device: s, program: ODD[(i + 5) % ODD.length]!, messages: i + 1, recognised: i })),
    rejects: [{ at: 5, source: null, transport: 'udp', reason: 'oversize-frame', raw: new Uint8Array([0, 255, 10]) }],
    unknowns: [{ device: 'r1', type: 'x', count: 2, first: 1, last: 2, example: 'lone \ud800' }],
    activity: ODD.map((s, i) => ({ device: s, source: i % 2 ? null : ODD[(i + 7) % ODD.length]!, first: i, last: i * 2 })),
    native: [{ transport: 'tacacs', source: '192.0.2.9', device: 'r9', first: 1, last: 2, accepted: 1, lastAccepted: 2, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null }],
    resends: { frames: [], forget: ['s1'] },
    counters: [['received.tcp', 16]],
    gauges: [['udp.kernel-drops', 3]],
  };
}

/** A batch as the store thread gets it: the wire form through a structured clone, as postMessage copies it. */
const posted = (b: IngestBatch): IngestBatch => fromWire(structuredClone(toWire(b)));

describe('a batch on its way to the store thread', () => {
  it('arrives as it was handed over, odd strings and all', () => {
    const b = oddBatch();
    expect(posted(b)).toEqual(b);
  });

  it('keeps each record line, so the store hashes the same chain body', () => {
    const b = oddBatch();
    const after = posted(b).records.map(decodeRecord);
    expect(after.map((r) => r.body)).toEqual(b.records.map((l) => decodeRecord(l).body));
    // The body is as the chain covers it: lone surrogates made U+FFFD (SQLite keeps UTF-8 only).
    expect(after.every((r) => r.body.isWellFormed())).toBe(true);
    expect(after[6]!.values[3]).toBe('lone \ufffd high');
    expect(after[9]!.values[3]).toBe('non-BMP \u{1F600} \u{10FFFF}');
  });

  it('carries an empty batch and the pipeline\'s own batches unchanged', () => {
    const empty: IngestBatch = { records: [], messages: [], hour: -1, traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [] };
    expect(posted(empty)).toEqual(empty);
    const batches = batchesFor(iosCommands(1, 120));
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(posted(b)).toEqual(b);
  });

  it('carries last-heard times exactly, within the batch\'s hour as small numbers and any other time as it was', () => {
    const hour = 498_888;
    const start = hour * 3_600_000;
    const row = (first: number, last: number): IngestBatch['activity'][number] => ({ device: 'r1', source: '192.0.2.1', first, last });
    const batch = (h: number, activity: IngestBatch['activity']): IngestBatch => ({ records: [], messages: [], hour: h, traffic: [], rejects: [], unknowns: [], activity, counters: [], gauges: [] });
    const inHour = batch(hour, [row(start, start + 1), row(start + 3_599_999, start + 3_599_999), row(start + 17, start + 900_000)]);
    expect(toWire(inHour).activityFrom).toBe(start);
    expect(JSON.parse(toWire(inHour).activity)).toEqual(['r1', '192.0.2.1', 0, 1, 'r1', '192.0.2.1', 3_599_999, 3_599_999, 'r1', '192.0.2.1', 17, 900_000]);
    expect(posted(inHour)).toEqual(inHour);
    // Times outside the hour, not whole, past the safe range, or an hour that is not one: each comes back as it went.
    const odd = [
      batch(hour, [row(start - 5_000_000, start + 99_000_000), row(1, 2)]),
      batch(hour, [row(start + 0.5, start + 1)]),
      batch(hour, [row(start, Number.MAX_SAFE_INTEGER + 2)]),
      batch(hour, [row(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)]),
      batch(-1, [row(start, start + 1)]),
      batch(Number.NaN, [row(start, start + 1)]),
      batch(2 ** 52, [row(start, start + 1)]),
    ];
    for (const b of odd) expect(posted(b)).toEqual(b);
    expect(odd.map((b) => toWire(b).activityFrom)).toEqual([start, 0, 0, 0, -3_600_000, 0, 0]);
  });

  it('is stored as the batch itself would be, with a chain that verifies', () => {
    const dir = tempDir();
    const [direct, wired] = ['direct.db', 'wired.db'].map((f) => openDatabase(join(dir, f)));
    try {
      const sent = [oddBatch(), oddBatch()];
      for (const b of sent) {
        new BatchStore(direct!, 100).write(b);
        new BatchStore(wired!, 100).write(posted(b));
      }
      for (const db of [direct!, wired!]) expect(verifyChain(db)).toMatchObject({ ok: true, checked: sent.length * ODD.length });
      const rows = wired!.prepare('SELECT * FROM events ORDER BY id').all() as ChainedFields[];
      expect(rows.map((r) => chainBody(r))).toEqual(sent.flatMap((b) => b.records.map((l) => decodeRecord(l).body)));
      for (const table of ['events', 'messages', 'traffic', 'device_activity', 'device_senders', 'unknowns', 'counters', 'native_senders']) {
        const all = (db: typeof direct): unknown[] => db!.prepare(`SELECT * FROM ${table}`).all().map((r) => ({ ...(r as object), updated_at: 0 }));
        expect(all(wired), table).toEqual(all(direct));
      }
    } finally {
      direct!.close();
      wired!.close();
    }
  });

  it('is refused whole when its text is not what was written', () => {
    const w = toWire(oddBatch());
    expect(() => fromWire({ ...w, traffic: w.traffic.slice(0, -1) })).toThrow();
  });

  it('encodes each kind of record\'s chain body as chainBody reads its fields', () => {
    const msg = { receivedAt: 1, time: 1_764_700_000_123, transport: 'tcp', source: '192.0.2.1' } as unknown as SyslogMessage;
    const full = {
      time: '2026-12-03T12:00:00.000Z', device: 'r1', platform: 'cisco-ios', actor: 'bob', actorAddress: '192.0.2.7', privilege: '15', path: 'cli',
      command: 'username x', role: 'admin', group: 'wheel', technique: 'T1136.001', target: 'x', session: 's1', container: { id: 'c1', name: 'root' },
    };
    const bare = { time: 'not a time', device: 'r2', platform: 'linux' };
    for (const fields of [full, bare] as Array<Record<string, unknown>>) {
      for (const [kind, action] of [['account', 'account.create'], ['command', 'command.run'], ['session', 'session.start']] as const) {
        const r = { ...fields, kind, action } as unknown as AaaRecord;
        const f = fields as Partial<typeof full>;
        const or = (v: string | undefined): string | null => v ?? null;
        const expected: ChainedFields = {
          kind, action, time: f === full ? Date.parse(full.time) : msg.time, device: fields.device as string, platform: fields.platform as string,
          actor: or(f.actor), actor_address: or(f.actorAddress), target: kind === 'account' ? or(f.target) : null, privilege: or(f.privilege),
          role: kind === 'account' ? or(f.role) : null, grp: kind === 'account' ? or(f.group) : null, path: or(f.path),
          technique: kind === 'account' ? or(f.technique) : null, command: kind === 'session' ? null : or(f.command),
          session: kind === 'session' ? or(f.session) : null, container: kind !== 'session' && f.container ? JSON.stringify(f.container) : null, raw: 'raw',
        };
        expect(decodeRecord(encodeRecord(r, 'raw', msg)).body, `${kind} ${f === full ? 'full' : 'bare'}`).toBe(chainBody(expected));
      }
    }
  });

  it('carries each record\'s own time, whether made by isoTime or written as text', () => {
    const msg = { receivedAt: 1, time: 1, transport: 'radius', source: '192.0.2.1', timeText: undefined } as unknown as SyslogMessage;
    const at = (time: string): number => decodeRecord(encodeRecord({ kind: 'session', action: 'session.start', time, device: 'r1', platform: 'radius' } as AaaRecord, 'raw', msg)).values[2];
    const t1 = 1_764_790_000_123;
    const t2 = t1 + 1;
    const first = isoTime(t1);
    expect(isoTime(t1)).toBe(first);
    expect(at(first)).toBe(t1);
    // The remembered time is the last one made: an earlier text, and the same text built anew, still read as their own.
    expect(at(isoTime(t2))).toBe(t2);
    expect(at(first)).toBe(t1);
    expect(at(new Date(t2).toISOString())).toBe(t2);
    expect(at('2026-12-03T12:00:00+01:00')).toBe(Date.parse('2026-12-03T11:00:00Z'));
    // A text that is no time keeps the message's.
    expect(at('not a time')).toBe(1);
  });

  it('carries each record\'s own arrival when messages of one chunk share its time and sender', () => {
    const rec = { kind: 'command', action: 'command', time: '2026-12-03T12:00:00.000Z', device: 'r1', platform: 'cisco-ios', command: 'show run' } as AaaRecord;
    const arrivals = [
      [1_764_790_000_000, 'tcp', '192.0.2.1', 'Dec  3 12:00:00', 0, 0],
      [1_764_790_000_000, 'tcp', '192.0.2.1', undefined, 1, 0],
      [1_764_790_000_000, 'tcp', '192.0.2.2', 'a"b\\c', 0, 1],
      [1_764_790_000_000, 'tcp', undefined, 'x', 1, 1],
      [1_764_790_000_000, 'udp', undefined, 'x', 0, 0],
      [1_764_790_000_001, 'udp', undefined, 'x', 0, 0],
      [1_764_790_000_001, 'udp', '192.0.2.1', '\ud800', 0, 0],
    ] as const;
    for (const [receivedAt, transport, source, timeText, escaped, truncated] of arrivals) {
      const msg = { receivedAt, time: 1, transport, source, timeText } as unknown as SyslogMessage;
      const line = encodeRecord(rec, 'raw', msg, { escaped: escaped === 1, truncated: truncated === 1 });
      expect(decodeRecord(line).arrival).toEqual([receivedAt, transport, source ?? null, timeText ?? null, escaped, truncated]);
      expect(line.slice(line.indexOf('\t') + 1)).toBe(JSON.stringify([receivedAt, transport, source ?? null, timeText ?? null, escaped, truncated]));
    }
  });
});
