// Last-heard rows (device_activity) of devices the store thread has written one for are held with
// the traffic rows and written up to a second later; a device's first row goes with its batch.
// What the table holds once the thread has closed is what the batches written one by one leave,
// through a store locked by another connection and the retries that causes; a device heard for
// the first time is visible to another connection as soon as its batch is acknowledged.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';
import type { ActivityRow, IngestBatch } from '../../src/store/batch.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { HeardDevices, MAX_KNOWN, RESUMED_MS } from '../../src/store/held-counts.js';
import { ThreadSink } from '../../src/store/writer-thread.js';
import { IngestWriter, type BatchSink } from '../../src/store/writer.js';
import type { AaaRecord } from '../../src/types.js';
import { tempDir } from '../support/temp.js';

let sink: ThreadSink | undefined;
const dbs: Db[] = [];
afterEach(async () => {
  await sink?.close();
  sink = undefined;
  for (const db of dbs.splice(0)) db.close();
});

const LINE = '<189>1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi1/0/1';
const msg = parseSyslog(LINE, { receivedAt: Date.now(), transport: 'tcp', source: '192.0.2.7' });
const record: AaaRecord = { kind: 'command', action: 'command', time: new Date().toISOString(), device: 'r1', platform: 'cisco-ios', actor: 'admin', command: 'interface Gi1/0/1' };

const heard = (device: string, source: string | null, first: number, last = first): ActivityRow => ({ device, source, first, last });
const batch = (activity: ActivityRow[], hour = 1): IngestBatch => ({
  records: [], messages: [], hour, traffic: [], rejects: [], unknowns: [], activity, counters: [], gauges: [],
});

/** A small deterministic generator (mulberry32), so a failure can be run again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const activity = (db: Db): unknown[] => db.prepare('SELECT device, source, first_seen, last_seen FROM device_activity ORDER BY device').all();

describe('the split of last-heard rows (HeardDevices)', () => {
  it("writes a device's first row with its batch and holds its later ones; split again before learning, the same", () => {
    const devices = new HeardDevices();
    const group = [
      batch([heard('r1', 'a', 1), heard('r2', 'a', 2), heard('r1', 'b', 3)]),
      batch([heard('r1', 'a', 4), heard('r3', null, 5)]),
    ];
    const split = devices.split(group);
    expect(split.batches.map((b) => b.activity)).toEqual([[heard('r1', 'a', 1), heard('r2', 'a', 2)], [heard('r3', null, 5)]]);
    expect(split.held?.activity).toEqual([heard('r1', 'b', 3), heard('r1', 'a', 4)]);
    expect(split.held).toMatchObject({ records: [], traffic: [], counters: [], hour: 1 });
    // The group failed and is tried again: nothing was learnt, so it splits the same way.
    expect(devices.split(group)).toMatchObject({ batches: split.batches, held: split.held });

    split.learn();
    const next = devices.split([batch([heard('r2', 'a', 6), heard('r4', 'a', 7), heard('r3', 'a', 8)])]);
    expect(next.batches[0]!.activity).toEqual([heard('r4', 'a', 7)]);
    expect(next.held?.activity).toEqual([heard('r2', 'a', 6), heard('r3', 'a', 8)]);
    // A batch with nothing to hold is handed on as it came.
    const fresh = batch([heard('r5', 'a', 9)]);
    expect(devices.split([fresh])).toMatchObject({ batches: [fresh], held: undefined });
  });

  it(`writes a device heard again ${RESUMED_MS / 1000} s after its last row with its batch, unless a row of it is held`, () => {
    const devices = new HeardDevices();
    devices.split([batch([heard('quiet', 'a', 0), heard('busy', 'a', 0)])]).learn();
    devices.split([batch([heard('busy', 'a', 10)])]).learn();
    const later = devices.split([batch([heard('quiet', 'a', RESUMED_MS), heard('busy', 'a', RESUMED_MS)])]);
    // busy has a row held: its next one follows it, whenever it was heard.
    expect(later.batches[0]!.activity).toEqual([heard('quiet', 'a', RESUMED_MS)]);
    expect(later.held?.activity).toEqual([heard('busy', 'a', RESUMED_MS)]);
    later.learn();
    devices.settled();
    // Nothing held: busy's next row within the minute is held again, one a minute on is not.
    expect(devices.split([batch([heard('busy', 'a', RESUMED_MS + 1)])]).held).toBeDefined();
    expect(devices.split([batch([heard('busy', 'a', 2 * RESUMED_MS)])]).held).toBeUndefined();
  });

  it(`forgets the devices it knows once it knows ${MAX_KNOWN} and nothing is held, so made-up names cannot grow it without end`, () => {
    const devices = new HeardDevices();
    devices.split([batch([heard('r1', 'a', 1)])]).learn();
    devices.settled();
    expect(devices.split([batch([heard('r1', 'a', 2)])]).held?.activity).toEqual([heard('r1', 'a', 2)]);
    devices.split([batch(Array.from({ length: MAX_KNOWN }, (_, i) => heard(`d${i}`, 'a', 3)))]).learn();
    expect(devices.split([batch([heard('r1', 'a', 4)])]).held).toBeDefined();
    devices.settled();
    // Forgotten: its next row goes with its batch again.
    expect(devices.split([batch([heard('r1', 'a', 5)])]).held).toBeUndefined();
  });
});

describe('last-heard rows written together', () => {
  it('leave device_activity as the rows written one by one, whatever their senders (or none) and the order of their times', () => {
    const next = random(14);
    const dir = tempDir();
    const one = openDatabase(join(dir, 'one.db'));
    const together = openDatabase(join(dir, 'together.db'));
    dbs.push(one, together);
    const s1 = new BatchStore(one, 10);
    const s2 = new BatchStore(together, 10);
    const sources = ['192.0.2.1', '192.0.2.2', null];
    const batches = Array.from({ length: 400 }, () =>
      batch(Array.from({ length: 1 + Math.floor(next() * 4) }, () => {
        const first = Math.floor(next() * 1000);
        // Times often equal, so the tie rule (a later row of equal time moves the source) is tried.
        return heard(`r${Math.floor(next() * 6)}`, sources[Math.floor(next() * 3)]!, first, first + Math.floor(next() * 3) * 100);
      })),
    );
    for (const b of batches) s1.write(b);
    for (let i = 0; i < batches.length;) {
      const n = 1 + Math.floor(next() * 30);
      s2.writeMany(batches.slice(i, i + n));
      i += n;
    }
    expect(activity(one)).toHaveLength(6);
    expect(activity(together)).toEqual(activity(one));
  });
});

describe('the store thread holding last-heard rows', () => {
  it('leaves device_activity as the batches written one by one leave it, over many devices and a store locked for a while', async () => {
    const path = join(tempDir(), 'a.db');
    const holds: Array<'held' | 'resumed'> = [];
    const thread = new ThreadSink({ path, keepRejectedPerReason: 10 }, { onHold: (failure) => holds.push(failure ? 'held' : 'resumed') });
    sink = thread;
    await thread.ready;
    const handed: IngestBatch[] = [];
    const tee: BatchSink = {
      write: (b) => {
        handed.push(structuredClone(b));
        return thread.write(b);
      },
    };
    const writer = new IngestWriter(tee, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const next = random(750015678);
    // Within one hour: a new hour hands the batch over.
    const t0 = Date.UTC(2026, 11, 5, 2, 10, 0);
    let i = 0;
    /** `n` messages from 1,500 devices: most from one address, some from two, some from none; stamps partly out of order. */
    const messages = (n: number, batchEvery: number): void => {
      for (const end = i + n; i < end; i++) {
        const d = Math.floor(next() ** 2 * 1500);
        const source = d % 11 === 0 ? undefined : d % 7 === 0 && next() < 0.5 ? `198.51.100.${d % 250}` : `192.0.2.${d % 250}`;
        const at = t0 + i * 3 - (next() < 0.1 ? Math.floor(next() * 5000) : 0);
        writer.countTraffic(at, `dev${d}`, 'cisco-ios', true, source);
        writer.addMessage(msg, `dev${d}`, LINE, [record]);
        if (i % batchEvery === batchEvery - 1) writer.flush();
      }
      writer.flush();
    };
    const waitFor = async (what: () => boolean): Promise<void> => {
      for (let tries = 0; tries < 1200 && !what(); tries++) await new Promise((r) => setTimeout(r, 25));
      expect(what()).toBe(true);
    };

    let mark = writer.mark();
    messages(6000, 150);
    await writer.committed(mark);
    // Past a second, so the held rows ride with a later transaction.
    await new Promise((r) => setTimeout(r, 1100));
    mark = writer.mark();
    messages(3000, 150);
    await writer.committed(mark);

    // Another connection holds the write lock: the batches below wait past the busy timeout, fail
    // (SQLITE_BUSY, a failure that may pass) and are tried again, with the rows held before them.
    const locker = openDatabase(path);
    dbs.push(locker);
    locker.exec('BEGIN IMMEDIATE');
    mark = writer.mark();
    messages(4000, 200);
    const stored = writer.committed(mark);
    await waitFor(() => holds.includes('held'));
    await new Promise((r) => setTimeout(r, 1200));
    locker.exec('COMMIT');
    await stored;
    expect(holds).toEqual(['held', 'resumed']);
    mark = writer.mark();
    messages(3000, 150);
    await writer.committed(mark);
    sink = undefined;
    await thread.close();

    const dir = tempDir();
    const ref = openDatabase(join(dir, 'one.db'));
    const got = openDatabase(path, { readonly: true });
    dbs.push(ref, got);
    const store = new BatchStore(ref, 10);
    for (const b of handed) store.write(b);
    expect(handed.length).toBeGreaterThan(80);
    const want = activity(ref);
    expect(want.length).toBeGreaterThan(1000);
    expect(activity(got)).toEqual(want);
    // Held sender rows (held since before this change) take the earliest first time of a second's
    // rows, where one by one the first row's stands: with stamps out of order they differ there only.
    const senders = (db: Db): unknown[] => db.prepare('SELECT device, source, last_seen FROM device_senders ORDER BY device, source').all();
    expect(senders(got)).toEqual(senders(ref));
    expect(got.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 16_000 });
  });

  it("writes a device's first last-heard row with its batch, visible to another connection once the batch is acknowledged; its later rows within a second", async () => {
    const dir = tempDir();
    const path = join(dir, 'a.db');
    const thread = new ThreadSink({ path, keepRejectedPerReason: 10 });
    sink = thread;
    await thread.ready;
    const writer = new IngestWriter(thread, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const other = openDatabase(path, { readonly: true });
    dbs.push(other);
    const row = (device: string): unknown => other.prepare('SELECT source, first_seen, last_seen FROM device_activity WHERE device = ?').get(device);
    const t0 = Date.UTC(2026, 11, 5, 2, 0, 0);
    const message = (at: number, device: string, source: string): void => {
      writer.countTraffic(at, device, 'cisco-ios', true, source);
      writer.addMessage(msg, device, LINE, [record]);
    };

    let mark = writer.mark();
    message(t0, 'r1', '192.0.2.1');
    await writer.committed(mark);
    expect(row('r1')).toEqual({ source: '192.0.2.1', first_seen: t0, last_seen: t0 });
    // Batch after batch, each with a device never heard before and the known r1 from a new address.
    for (let k = 1; k <= 5; k++) {
      mark = writer.mark();
      message(t0 + k * 1000, 'r1', '192.0.2.2');
      message(t0 + k * 1000 + 1, `new${k}`, '192.0.2.9');
      await writer.committed(mark);
      expect(row(`new${k}`)).toEqual({ source: '192.0.2.9', first_seen: t0 + k * 1000 + 1, last_seen: t0 + k * 1000 + 1 });
    }
    // The known device's rows arrive within a second or so, with no other batch and no close.
    for (let tries = 0; tries < 100 && (row('r1') as { last_seen: number }).last_seen !== t0 + 5000; tries++) await new Promise((r) => setTimeout(r, 50));
    expect(row('r1')).toEqual({ source: '192.0.2.2', first_seen: t0, last_seen: t0 + 5000 });
    // A device heard again after a silence goes with its batch too.
    const again = t0 + 1001 + RESUMED_MS;
    mark = writer.mark();
    message(again, 'new1', '192.0.2.10');
    await writer.committed(mark);
    expect(row('new1')).toEqual({ source: '192.0.2.10', first_seen: t0 + 1001, last_seen: again });
  });
});
