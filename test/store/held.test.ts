// The store thread on a filesystem that fills: the batch that cannot be written is kept, with
// those behind it; whoever waits to acknowledge (TACACS+, RADIUS) keeps waiting instead of being
// told it failed; once there is room the batches are stored in order, in one unbroken chain.
// Closed while held, it says what it could not store.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';
import { verifyChain } from '../../src/store/chain.js';
import { openDatabase } from '../../src/store/db.js';
import type { StoreFailure } from '../../src/store/store-failure.js';
import { ThreadSink } from '../../src/store/writer-thread.js';
import { IngestWriter } from '../../src/store/writer.js';
import type { AaaRecord } from '../../src/types.js';
import { fill, tmpfsOrSkip, unmountAll } from '../support/tmpfs.js';

let sink: ThreadSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});
afterAll(() => unmountAll());

const line = '<189>1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi1/0/1';
const msg = parseSyslog(line, { receivedAt: Date.now(), transport: 'tcp', source: '192.0.2.7' });
const record: AaaRecord = { kind: 'command', action: 'command', time: new Date().toISOString(), device: 'r1', platform: 'cisco-ios', actor: 'admin', command: 'interface Gi1/0/1' };

type Hold = { failure: StoreFailure | undefined; resumed?: { heldMs: number; attempts: number } };

/** What the sink says about holds, in order, and a wait for the n-th. */
function watchHolds(): { push: (h: Hold) => void; next: (n: number) => Promise<Hold> } {
  const holds: Hold[] = [];
  const waiting: Array<() => void> = [];
  return {
    push(h) {
      holds.push(h);
      for (const check of waiting.splice(0)) check();
    },
    next: (n) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (holds.length >= n) resolve(holds[n - 1]!);
          else waiting.push(check);
        };
        check();
      }),
  };
}

describe('a store thread whose disk fills', () => {
  it('keeps the batches, keeps acknowledgements waiting, and stores everything in order once there is room', async (ctx) => {
    const disk = tmpfsOrSkip(ctx, 8);
    const path = join(disk, 'a.db');
    const h = watchHolds();
    sink = new ThreadSink({ path, keepRejectedPerReason: 10 }, { onHold: (failure, resumed) => h.push({ failure, ...(resumed ? { resumed } : {}) }) });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 200, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const filler = fill(disk);

    const mark = writer.mark();
    for (let i = 0; i < 1000; i++) writer.addMessage(msg, 'r1', line, [record]);
    let acknowledged: boolean | undefined;
    const waiting = writer.committed(mark).then(() => (acknowledged = true), () => (acknowledged = false));
    const held = await h.next(1);
    expect(held.failure).toMatchObject({ code: 'SQLITE_FULL', error: 'database or disk is full' });
    expect(sink.state().held?.failure.code).toBe('SQLITE_FULL');
    // Still held a while later: nobody has been told anything.
    await new Promise((r) => setTimeout(r, 1000));
    expect(acknowledged).toBeUndefined();

    rmSync(filler);
    const resumed = await h.next(2);
    expect(resumed.failure).toBeUndefined();
    expect(resumed.resumed!.attempts).toBeGreaterThan(1);
    await waiting;
    expect(acknowledged).toBe(true);
    const db = openDatabase(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1000 });
      expect(verifyChain(db)).toMatchObject({ ok: true, checked: 1000 });
    } finally {
      db.close();
    }
  });

  it('holds batches written together as a group, in order; once there is room only the one that can never be stored fails', async (ctx) => {
    const disk = tmpfsOrSkip(ctx, 8);
    const path = join(disk, 'a.db');
    const h = watchHolds();
    sink = new ThreadSink({ path, keepRejectedPerReason: 10 }, { onHold: (failure, resumed) => h.push({ failure, ...(resumed ? { resumed } : {}) }) });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const filler = fill(disk);
    const empty = { messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], gauges: [] };
    // Posted without yielding, so the store thread finds them waiting together; the third holds a
    // record line that is not a record.
    const commits: Array<Promise<void>> = [];
    for (let b = 0; b < 5; b++) {
      if (b === 2) commits.push(sink.write({ ...empty, records: ['not a record'], counters: [['bad', 1]] }));
      else {
        const mark = writer.mark();
        for (let i = 0; i < 200; i++) writer.addMessage(msg, 'r1', line, [record]);
        writer.flush();
        commits.push(writer.committed(mark));
      }
    }
    const settled: string[] = [];
    commits.forEach((c, i) => c.then(() => settled.push(`${i} stored`), () => settled.push(`${i} failed`)));
    expect((await h.next(1)).failure).toMatchObject({ code: 'SQLITE_FULL' });
    await new Promise((r) => setTimeout(r, 1000));
    // Held: nothing of the group (nor the batch that can never be stored) is given up meanwhile.
    expect(settled).toEqual([]);

    rmSync(filler);
    expect((await h.next(2)).failure).toBeUndefined();
    await Promise.allSettled(commits);
    expect(settled).toEqual(['0 stored', '1 stored', '2 failed', '3 stored', '4 stored']);
    const db = openDatabase(path, { readonly: true });
    try {
      expect(verifyChain(db)).toMatchObject({ ok: true, checked: 800 });
      expect(db.prepare("SELECT count(*) AS n FROM counters WHERE name = 'bad'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('stopped while held, says how many records it could not store', async (ctx) => {
    const disk = tmpfsOrSkip(ctx, 8);
    const path = join(disk, 'a.db');
    const h = watchHolds();
    const unstored: Array<{ batches: number; records: number }> = [];
    sink = new ThreadSink({ path, keepRejectedPerReason: 10 }, { onHold: (failure) => h.push({ failure }), onUnstored: (u) => unstored.push(u) });
    await sink.ready;
    const writer = new IngestWriter(sink, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    fill(disk);
    const mark = writer.mark();
    for (let i = 0; i < 300; i++) writer.addMessage(msg, 'r1', line, [record]);
    const waiting = writer.committed(mark);
    await h.next(1);
    const s = sink;
    sink = undefined;
    await s.close();
    expect(unstored).toEqual([{ batches: 3, records: 300 }]);
    await expect(waiting).rejects.toThrow('the store thread has ended');
  });
});
