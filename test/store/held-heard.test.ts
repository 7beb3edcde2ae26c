// The writer holds traffic rows and the last-heard rows (device_activity, with their senders) of
// devices it has heard this hour, and hands them over once a second in a batch of their own; a
// device's first row, and one heard again after RESUMED_MS, go with the batch that names it. What
// the table holds once the store thread has closed is what the batches written one by one leave,
// through a store locked by another connection and the retries that causes; a device heard for
// the first time is visible to another connection as soon as its batch is acknowledged.

import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';
import type { ActivityRow, IngestBatch } from '../../src/store/batch.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { ThreadSink } from '../../src/store/writer-thread.js';
import { IngestWriter, RESUMED_MS, type BatchSink } from '../../src/store/writer.js';
import type { AaaRecord } from '../../src/types.js';
import { tempDir } from '../support/temp.js';

let sink: ThreadSink | undefined;
const dbs: Db[] = [];
afterEach(async () => {
  vi.useRealTimers();
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

describe('the writer holding the counts', () => {
  /** A writer whose batches are kept, on a faked clock; `hand` hands the batch gathered over as an acknowledged group does (not the held counts). */
  const writer = (): { w: IngestWriter; out: IngestBatch[]; hand: () => void } => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const out: IngestBatch[] = [];
    const w = new IngestWriter({ write: (b) => void out.push(b) }, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    return { w, out, hand: () => void w.committed(w.mark()) };
  };
  const T = Date.UTC(2026, 11, 5, 2, 10, 0);
  /** The held counts' batches (these tests' all carry traffic; the batches of count-only messages none). */
  const counts = (b: IngestBatch): boolean => b.traffic.length > 0;

  it("hands a device's first row over with its batch, holds its later ones, and hands the held over once a second in a batch of their own", () => {
    const { w, out, hand } = writer();
    w.countTraffic(T, 'r1', 'p', true, 'a');
    w.countTraffic(T + 1, 'r2', 'p', true, 'a');
    w.countTraffic(T + 2, 'r1', 'p', true, 'b');
    hand();
    // The first batch after a quiet second: its counts go at once, behind it.
    expect(out.map((b) => b.activity)).toEqual([[heard('r1', 'a', T), heard('r2', 'a', T + 1), heard('r1', 'b', T + 2)], []]);
    expect(out[0]!.traffic).toEqual([]);
    expect(out[1]!.traffic).toEqual([{ device: 'r1', program: 'p', messages: 2, recognised: 2 }, { device: 'r2', program: 'p', messages: 1, recognised: 1 }]);

    w.countTraffic(T + 3, 'r1', 'p', false, 'a');
    w.countTraffic(T + 4, 'r3', 'p', false, undefined);
    w.countTraffic(T + 5, 'r1', 'p', false, 'a');
    w.heard(T + 6, 'r2', 'c');
    hand();
    // Only the device never heard: the rest wait for the second to pass.
    expect(out.slice(2).map((b) => b.activity)).toEqual([[heard('r3', null, T + 4)]]);
    // A batch of messages only counted, from devices heard: nothing to hand over but what is held.
    w.countTraffic(T + 7, 'r1', 'p', false, 'a');
    hand();
    expect(out).toHaveLength(3);
    vi.advanceTimersByTime(999);
    expect(out).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(out).toHaveLength(4);
    expect(out[3]!.activity).toEqual([heard('r1', 'a', T + 3, T + 7), heard('r2', 'c', T + 6)]);
    expect(out[3]!.traffic).toEqual([{ device: 'r1', program: 'p', messages: 3, recognised: 0 }, { device: 'r3', program: 'p', messages: 1, recognised: 0 }]);
    expect(out[3]!.hour).toBe(Math.floor(T / 3_600_000));
    // Nothing held since: the timer lapses, and the next counts go with the next batch.
    vi.advanceTimersByTime(5000);
    expect(out).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
    w.countTraffic(T + 8, 'r1', 'p', false, 'a');
    w.count('received.tcp');
    hand();
    expect(out.slice(4).map((b) => [b.counters, b.activity])).toEqual([[[['received.tcp', 1]], []], [[], [heard('r1', 'a', T + 8)]]]);
  });

  it(`hands a device heard again ${RESUMED_MS / 1000} s after it was last heard over with its batch, unless a row of it is held`, () => {
    const { w, out, hand } = writer();
    w.countTraffic(T, 'quiet', 'p', false, 'a');
    w.countTraffic(T, 'busy', 'p', false, 'a');
    hand();
    w.countTraffic(T + 10, 'busy', 'p', false, 'a');
    hand();
    w.countTraffic(T + RESUMED_MS, 'quiet', 'p', false, 'a');
    w.countTraffic(T + RESUMED_MS, 'busy', 'p', false, 'a');
    hand();
    // busy has a row held: its next message goes into it, whenever it was heard.
    expect(out.at(-1)!.activity).toEqual([heard('quiet', 'a', T + RESUMED_MS)]);
    vi.advanceTimersByTime(1000);
    expect(out.at(-1)!.activity).toEqual([heard('busy', 'a', T + 10, T + RESUMED_MS)]);
    // Nothing held: busy's next message within the minute is held again, one a minute on is not.
    const handed = out.length;
    w.countTraffic(T + RESUMED_MS + 1, 'busy', 'p', false, 'a');
    hand();
    expect(out).toHaveLength(handed);
    vi.advanceTimersByTime(1000);
    w.countTraffic(T + 2 * RESUMED_MS + 1, 'busy', 'p', false, 'b');
    hand();
    expect(out.at(-2)!.activity).toEqual([heard('busy', 'a', T + RESUMED_MS + 1)]);
    expect(out.at(-1)!.activity).toEqual([heard('busy', 'b', T + 2 * RESUMED_MS + 1)]);
  });

  it("hands the held counts over when the hour turns, each hour's traffic as its own, and starts the devices' rows afresh", () => {
    const { w, out, hand } = writer();
    const H = Date.UTC(2026, 11, 5, 3, 0, 0);
    w.countTraffic(H - 20, 'r1', 'p', false, 'a');
    hand();
    w.countTraffic(H - 10, 'r1', 'p', false, 'a');
    w.countTraffic(H + 10, 'r1', 'p', false, 'a');
    const hour = Math.floor(H / 3_600_000);
    expect(out.filter(counts).map((b) => [b.hour, b.traffic.map((t) => t.messages), b.activity])).toEqual([
      [hour - 1, [1], []],
      [hour - 1, [1], [heard('r1', 'a', H - 10)]],
    ]);
    hand();
    // The new hour's first row of it goes with its batch; its traffic is held.
    expect(out.at(-1)).toMatchObject({ hour, traffic: [], activity: [heard('r1', 'a', H + 10)] });
    w.flush();
    expect(out.at(-1)).toMatchObject({ hour, traffic: [{ device: 'r1', messages: 1 }], activity: [] });
  });

  it('hands every count over at a flush, and a batch that cannot be stored does not fail the counts, nor they an acknowledgement', async () => {
    const out: IngestBatch[] = [];
    const w = new IngestWriter({
      write: (b) => {
        out.push(b);
        return b.records.length ? Promise.resolve() : Promise.reject(new Error('counts not stored'));
      },
    }, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 0 });
    w.countTraffic(T, 'r1', 'p', true, 'a');
    w.addMessage(msg, 'r1', LINE, [record]);
    await w.committed(w.mark());
    w.countTraffic(T + 1, 'r1', 'p', true, 'a');
    w.addMessage(msg, 'r1', LINE, [record]);
    await w.committed(w.mark());
    expect(out.map((b) => [b.records.length, b.traffic.length, b.activity.length])).toEqual([[1, 0, 1], [0, 1, 0], [1, 0, 0]]);
    w.flush();
    expect(out.at(-1)).toMatchObject({ records: [], traffic: [{ device: 'r1', messages: 1 }], activity: [heard('r1', 'a', T + 1)] });
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
  it('leaves device_activity, senders and traffic as batches that carry their counts, written one by one, leave them, over many devices and a store locked for a while', async () => {
    const path = join(tempDir(), 'a.db');
    const holds: Array<'held' | 'resumed'> = [];
    const thread = new ThreadSink({ path, keepRejectedPerReason: 10 }, { onHold: (failure) => holds.push(failure ? 'held' : 'resumed') });
    sink = thread;
    await thread.ready;
    let handed = 0;
    const tee: BatchSink = {
      write: (b) => {
        handed++;
        return thread.write(b);
      },
    };
    // Batches of 150 records handed over as they fill, the counts held by the writer; beside it, the
    // same messages handed over every 150 with their counts, as the reference.
    const writer = new IngestWriter(tee, { batchRows: 150, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const everyBatch: IngestBatch[] = [];
    const refWriter = new IngestWriter({ write: (b) => void everyBatch.push(b) }, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const next = random(750015678);
    // Within one hour: a new hour hands the batch over.
    const t0 = Date.UTC(2026, 11, 5, 2, 10, 0);
    let i = 0;
    /** `n` messages from 1,500 devices: most from one address, some from two, some from none; stamps partly out of order. */
    const messages = (n: number): void => {
      for (const end = i + n; i < end; i++) {
        const d = Math.floor(next() ** 2 * 1500);
        const source = d % 11 === 0 ? undefined : d % 7 === 0 && next() < 0.5 ? `198.51.100.${d % 250}` : `192.0.2.${d % 250}`;
        const at = t0 + i * 3 - (next() < 0.1 ? Math.floor(next() * 5000) : 0);
        for (const w of [writer, refWriter]) {
          w.countTraffic(at, `dev${d}`, 'cisco-ios', true, source);
          w.addMessage(msg, `dev${d}`, LINE, [record]);
        }
        if (i % 150 === 149) refWriter.flush();
      }
    };
    const waitFor = async (what: () => boolean): Promise<void> => {
      for (let tries = 0; tries < 1200 && !what(); tries++) await new Promise((r) => setTimeout(r, 25));
      expect(what()).toBe(true);
    };

    let mark = writer.mark();
    messages(6000);
    await writer.committed(mark);
    // Past a second, so the held rows ride with a later transaction.
    await new Promise((r) => setTimeout(r, 1100));
    mark = writer.mark();
    messages(3000);
    await writer.committed(mark);

    // Another connection holds the write lock: the batches below wait past the busy timeout, fail
    // (SQLITE_BUSY, a failure that may pass) and are tried again, with the rows held before them.
    const locker = openDatabase(path);
    dbs.push(locker);
    locker.exec('BEGIN IMMEDIATE');
    mark = writer.mark();
    messages(4000);
    const stored = writer.committed(mark);
    await waitFor(() => holds.includes('held'));
    await new Promise((r) => setTimeout(r, 1200));
    locker.exec('COMMIT');
    await stored;
    expect(holds).toEqual(['held', 'resumed']);
    mark = writer.mark();
    messages(3000);
    await writer.committed(mark);
    writer.flush();
    refWriter.flush();
    sink = undefined;
    await thread.close();

    const dir = tempDir();
    const ref = openDatabase(join(dir, 'one.db'));
    const got = openDatabase(path, { readonly: true });
    dbs.push(ref, got);
    const store = new BatchStore(ref, 10);
    for (const b of everyBatch) store.write(b);
    expect(handed).toBeGreaterThan(100);
    expect(everyBatch.filter((b) => b.traffic.length > 0).length).toBeGreaterThan(100);
    const want = activity(ref);
    expect(want.length).toBeGreaterThan(1000);
    expect(activity(got)).toEqual(want);
    const senders = (db: Db): unknown[] => db.prepare('SELECT device, source, first_seen, last_seen FROM device_senders ORDER BY device, source').all();
    expect(senders(got)).toEqual(senders(ref));
    const traffic = (db: Db): unknown[] => db.prepare('SELECT hour, device, program, messages, recognised FROM traffic ORDER BY device').all();
    expect(traffic(got)).toEqual(traffic(ref));
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
