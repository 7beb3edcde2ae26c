// The store thread: its priority, the bound on what waits for it, and batches stored together.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';
import { verifyChain } from '../../src/store/chain.js';
import { openDatabase } from '../../src/store/db.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { HIGH_WATER, MAX_BACKLOG, MAX_BACKLOG_CHARS, postedChars, ThreadSink, type ThreadSinkEvents } from '../../src/store/writer-thread.js';
import { toWire } from '../../src/store/wire.js';
import { BATCH_CHARS, IngestWriter } from '../../src/store/writer.js';
import type { AaaRecord } from '../../src/types.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let sink: ThreadSink | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await sink?.close();
  sink = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const LINE = '<189>1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi1/0/1';

/** The store thread on a.db in `dir` (closed after the test), a writer over it, and an IOS command line read over `transport` with its record. */
async function storeThread(transport: 'udp' | 'tcp', events: ThreadSinkEvents = {}) {
  const path = join(dir, 'a.db');
  const thread = new ThreadSink({ path, keepRejectedPerReason: 10 }, events);
  sink = thread;
  await thread.ready;
  const writer = new IngestWriter(thread, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
  const msg = parseSyslog(LINE, { receivedAt: Date.now(), transport, source: '192.0.2.7' });
  const record: AaaRecord = { kind: 'command', action: 'command', time: new Date().toISOString(), device: 'r1', platform: 'cisco-ios', actor: 'admin', command: 'interface Gi1/0/1' };
  return { sink: thread, path, writer, line: LINE, msg, record };
}

/** Nice values of this process's threads (Linux). */
const threadNices = (): number[] =>
  readdirSync('/proc/self/task').map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));

describe('store thread', () => {
  it('runs at the priority of the thread that reads, not the lowest', async () => {
    const lowest = (): number => threadNices().filter((n) => n === 19).length;
    const before = lowest();
    sink = new ThreadSink({ path: join(dir, 'a.db'), keepRejectedPerReason: 10 });
    await sink.ready;
    const threads = readdirSync('/proc/self/task').length;
    expect(threads).toBeGreaterThan(1);
    expect(lowest()).toBe(before);
  });

  it(`drops and counts records once ${MAX_BACKLOG} batches wait, and stores the rest in one unbroken chain`, async () => {
    const errors: string[] = [];
    const { sink, path, writer, line, msg, record } = await storeThread('udp', { onError: (m) => errors.push(m) });
    // Replies from the store thread are only read once this loop yields: every batch waits.
    for (let b = 0; b < MAX_BACKLOG + 36; b++) {
      for (let i = 0; i < 10; i++) writer.addMessage(msg, 'r1', line, [record]);
      writer.flush();
    }
    await sink.drained();
    const db = openDatabase(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: MAX_BACKLOG * 10 });
      expect(db.prepare("SELECT value FROM counters WHERE name = 'dropped.store-behind'").get()).toEqual({ value: 360 });
      expect(verifyChain(db)).toMatchObject({ ok: true, checked: MAX_BACKLOG * 10 });
    } finally {
      db.close();
    }
    expect(errors).toEqual([`the store is ${MAX_BACKLOG} batches behind: records are dropped and counted (dropped.store-behind) until it catches up`]);
  });

  it('bounds the backlog by its text too: TCP pauses and records are dropped and counted before the count is reached', async () => {
    const errors: string[] = [];
    const pressure: Array<[boolean, number]> = [];
    let posted = 0;
    const { sink, path, writer, msg, record } = await storeThread('udp', { onError: (m) => errors.push(m), onPressure: (high) => pressure.push([high, posted]) });
    // Two records a batch, each carrying a line of 0.45 Mi characters: ~0.9 Mi a batch, under BATCH_CHARS.
    const long = LINE + ' ' + 'x'.repeat(0.45 * 2 ** 20);
    // What one such batch is posted as: the batches that fit before the text reaches its bound.
    const one: IngestBatch[] = [];
    const probe = new IngestWriter({ write: (b) => void one.push(b) }, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    probe.addMessage(msg, 'r1', long, [record, record]);
    probe.flush();
    const fit = Math.ceil(MAX_BACKLOG_CHARS / postedChars(toWire(one[0]!)));
    expect(fit).toBeLessThan(MAX_BACKLOG);
    // Replies from the store thread are only read once this loop yields: every batch waits.
    for (let b = 0; b < fit + 3; b++) {
      writer.addMessage(msg, 'r1', long, [record, record]);
      posted++;
      writer.flush();
    }
    expect(sink.behind()).toBe(true);
    await sink.drained();
    // Paused once the text reached about half the bound, before the count's HIGH_WATER batches; read again once stored.
    expect(pressure).toHaveLength(2);
    expect(pressure[0]![0]).toBe(true);
    expect(pressure[0]![1]).toBeLessThan(HIGH_WATER);
    expect(pressure[1]![0]).toBe(false);
    const db = openDatabase(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: fit * 2 });
      expect(db.prepare("SELECT value FROM counters WHERE name = 'dropped.store-behind'").get()).toEqual({ value: 6 });
      expect(verifyChain(db)).toMatchObject({ ok: true, checked: fit * 2 });
    } finally {
      db.close();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^the store is \d+ batches \(17 Mi characters\) behind: records are dropped and counted \(dropped.store-behind\) until it catches up$/);
  });

  it('hands a batch over once its kept text reaches BATCH_CHARS, whatever its rows', () => {
    const batches: IngestBatch[] = [];
    const writer = new IngestWriter({ write: (b) => void batches.push(b) }, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const msg = parseSyslog(LINE, { receivedAt: Date.now(), transport: 'tcp', source: '192.0.2.7' });
    const long = LINE + ' ' + 'x'.repeat(0.3 * 2 ** 20);
    const record: AaaRecord = { kind: 'command', action: 'command', time: new Date().toISOString(), device: 'r1', platform: 'cisco-ios', actor: 'admin', command: 'interface Gi1/0/1' };
    for (let i = 0; i < 3; i++) writer.addMessage(msg, 'r1', long, [record]);
    expect(batches).toHaveLength(0);
    writer.addMessage(msg, 'r1', long, [record]);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.records).toHaveLength(4);
    expect(batches[0]!.records.reduce((n, r) => n + r.length, 0)).toBeGreaterThanOrEqual(BATCH_CHARS);
    // Kept messages count too.
    for (let i = 0; i < 4; i++) writer.addMessage(msg, 'r1', long, []);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.messages).toHaveLength(4);
  });

  it('says when what was handed over is committed, so an acknowledging transport can answer', async () => {
    const { path, writer, line, msg, record } = await storeThread('tcp');
    const db = openDatabase(path, { readonly: true });
    try {
      const mark = writer.mark();
      for (let i = 0; i < 3; i++) writer.addMessage(msg, 'r1', line, [record]);
      const stored = (): unknown => db.prepare('SELECT count(*) AS n FROM events').get();
      expect(stored()).toEqual({ n: 0 });
      await writer.committed(mark);
      expect(stored()).toEqual({ n: 3 });
      // Nothing new handed over: already committed.
      await writer.committed(writer.mark());
      const again = writer.mark();
      writer.addMessage(msg, 'r1', line, [record]);
      await writer.committed(again);
      expect(stored()).toEqual({ n: 4 });
    } finally {
      db.close();
    }
  });

  it('fails a wait when any batch since its mark was shed, though a later batch committed', async () => {
    const { sink, writer, line, msg, record } = await storeThread('tcp');
    // The backlog filled in one turn of the event loop: the batch after it is shed.
    for (let b = 0; b < MAX_BACKLOG; b++) {
      writer.addMessage(msg, 'r1', line, [record]);
      writer.flush();
    }
    const mark = writer.mark();
    writer.addMessage(msg, 'r1', line, [record]);
    writer.flush();
    await sink.drained();
    // A batch after the shed one commits; the wait from before the shed one still fails.
    const later = writer.mark();
    writer.addMessage(msg, 'r1', line, [record]);
    await expect(writer.committed(mark)).rejects.toThrow('records dropped: the store is behind');
    await expect(writer.committed(later)).resolves.toBeUndefined();
  });

  it('stores batches that waited together in one chain, and a batch that cannot be stored fails alone', async () => {
    const errors: string[] = [];
    const { sink, path, writer, line, msg, record } = await storeThread('tcp', { onError: (m) => errors.push(m) });
    const empty = { messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], gauges: [] };
    // Posted without yielding, so the store thread finds them waiting together; the third holds a
    // record line that is not a record.
    const commits: Array<Promise<void>> = [];
    for (let b = 0; b < 6; b++) {
      if (b === 2) commits.push(sink.write({ ...empty, records: ['not a record'], counters: [['bad', 1]] }));
      else {
        const mark = writer.mark();
        for (let i = 0; i < 5; i++) writer.addMessage(msg, 'r1', line, [record]);
        writer.flush();
        commits.push(writer.committed(mark));
      }
    }
    const outcomes = await Promise.allSettled(commits);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(errors).toHaveLength(1);
    const db = openDatabase(path, { readonly: true });
    try {
      expect(verifyChain(db)).toMatchObject({ ok: true, checked: 25 });
      expect(db.prepare("SELECT count(*) AS n FROM counters WHERE name = 'bad'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
  it('answers batches committed together in one message: each wait settles, and every account record id is told', async () => {
    const told: number[] = [];
    let commitTimes = 0;
    const { sink, path, writer, line, msg } = await storeThread('tcp', { onAccountEvents: (ids) => told.push(...ids), onCommit: () => commitTimes++ });
    const account: AaaRecord = { kind: 'account', action: 'account.create', time: new Date().toISOString(), device: 'r1', platform: 'cisco-ios', actor: 'admin', target: 'bob' };
    // Posted without yielding: the store thread finds them waiting and commits them together.
    const commits: Array<Promise<void>> = [];
    for (let b = 0; b < 8; b++) {
      const mark = writer.mark();
      writer.addMessage(msg, 'r1', line, [account, account]);
      writer.flush();
      commits.push(writer.committed(mark));
    }
    await Promise.all(commits);
    expect(sink.state().backlog).toBe(0);
    expect(commitTimes).toBe(8);
    const db = openDatabase(path, { readonly: true });
    try {
      const ids = (db.prepare("SELECT id FROM events WHERE kind = 'account' ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id);
      expect(ids).toHaveLength(16);
      expect(told).toEqual(ids);
    } finally {
      db.close();
    }
  });

  it('writes the traffic and last-heard rows the writer holds after their records: at once after a quiet second, and at close', async () => {
    const { path, writer, line, msg, record } = await storeThread('tcp');
    const db = openDatabase(path, { readonly: true });
    const traffic = (): unknown => db.prepare("SELECT messages, recognised FROM traffic WHERE device = 'r1' AND program = 'cisco-ios'").get();
    try {
      // As the pipeline does for each message: its records, and its traffic and sender counted.
      const message = (): void => {
        writer.addMessage(msg, 'r1', line, [record]);
        writer.countTraffic(msg.receivedAt, 'r1', 'cisco-ios', true, '192.0.2.7');
      };
      let mark = writer.mark();
      for (let i = 0; i < 3; i++) message();
      await writer.committed(mark);
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 3 });
      // The first counts after a quiet second go behind their batch, in a batch of their own.
      for (let tries = 0; tries < 200 && traffic() === undefined; tries++) await new Promise((r) => setTimeout(r, 50));
      expect(traffic()).toEqual({ messages: 3, recognised: 3 });
      mark = writer.mark();
      for (let i = 0; i < 2; i++) message();
      await writer.committed(mark);
      // Held (unless a second has passed since the last), until the close hands them over, as serve's stop does.
      writer.flush();
      await sink!.close();
      sink = undefined;
      expect(traffic()).toEqual({ messages: 5, recognised: 5 });
      expect(db.prepare('SELECT device, source FROM device_activity').all()).toEqual([{ device: 'r1', source: '192.0.2.7' }]);
      expect(db.prepare('SELECT device, source FROM device_senders').all()).toEqual([{ device: 'r1', source: '192.0.2.7' }]);
    } finally {
      db.close();
    }
  });
});

describe('a store thread that ends unasked', () => {
  // Its Worker, as the runtime would end it (an uncaught error, out of memory): the sink's own.
  const endThread = (s: ThreadSink): Promise<number> => (s as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();

  it('is told (onEnded, once), fails what is handed over after and says it is no longer running', async () => {
    const ended: string[] = [];
    const { sink: s, writer, msg, line, record } = await storeThread('tcp', { onEnded: (why) => ended.push(why) });
    await endThread(s);
    const mark = writer.mark();
    writer.addMessage(msg, 'r1', line, [record]);
    await expect(writer.committed(mark)).rejects.toThrow('the store thread has ended');
    expect(ended).toEqual(['it exited with code 1']);
    expect(s.state().running).toBe(false);
  });

  it('is not reported when asked to end (close)', async () => {
    const ended: string[] = [];
    const { sink: s } = await storeThread('tcp', { onEnded: (why) => ended.push(why) });
    await s.close();
    sink = undefined;
    expect(ended).toEqual([]);
  });
});
