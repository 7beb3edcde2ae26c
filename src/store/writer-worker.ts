// The ingest store in its own thread: SQLite inserts, index upkeep and chain hashing run here,
// beside the thread that reads sockets and parses. Receives batches, answers each with the ids of
// the account records it stored (or the error that stopped it).

import { parentPort, workerData } from 'node:worker_threads';
import type { IngestBatch, MessageRow } from './batch.js';
import { BatchStore } from './batch-store.js';
import { openDatabase } from './db.js';

export interface WorkerOptions {
  path: string;
  keepRejectedPerReason: number;
}

/** A batch as posted to this thread: records as lines, messages as JSON text (see ThreadSink.write). */
export type WireBatch = Omit<IngestBatch, 'records' | 'messages'> & { records: string; messages: string };

export type WorkerReply =
  | { ok: true; accountIds: number[]; ms: number }
  | { ok: false; error: string }
  | { pong: true; ok: true }
  | { pong: true; ok: false; error: string }
  | { closed: true }
  | { ready: true };

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const opts = workerData as WorkerOptions;
// This thread keeps the priority of the thread that reads the sockets (it ran at the lowest until
// issue 14): storing what was read is ingest's job, not background work. At the lowest, any other
// load on the machine starved it: on a shared box (load average 18 on 2 cores) it got 1% of a core
// while the reader got 12%, the reader paused TCP for it, and aaa-only ingest fell to 2,700 msgs/s
// against syslog-ng → SQLite's 19,000 in the same run; TACACS+/RADIUS answers, which wait on its
// commits, took hundreds of milliseconds each (bench:aaa: 3× the acknowledged rate at normal
// priority). Reconciliation stays at the lowest priority (src/reconcile/worker.ts).
// 16 MiB holds the hot index pages of a store of millions of records: 32 measured no faster.
const db = openDatabase(opts.path, { cacheMiB: 16 });
const store = new BatchStore(db, opts.keepRejectedPerReason);
// Statements are prepared; touch the busy tables once so their pages are cached before traffic.
store.write({ records: [], messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], counters: [['store.started', 1]], gauges: [] });
db.prepare('SELECT count(*) FROM (SELECT id FROM events ORDER BY id DESC LIMIT 1000)').get();
parentPort!.postMessage({ ready: true } satisfies WorkerReply);

/**
 * Batches that arrived while the last transaction ran, stored together in the next one: a store
 * that falls behind commits more rows at a time instead of falling further behind (see
 * BatchStore.writeMany). Bounded by what ThreadSink lets wait (MAX_BACKLOG batches).
 */
let waiting: WireBatch[] = [];

parentPort!.on('message', (wire: WireBatch | 'close' | 'ping') => {
  if (wire === 'close' || wire === 'ping') {
    // In order: what was posted before it is stored first.
    storeWaiting();
    control(wire);
    return;
  }
  // Messages posted while this thread was busy are delivered one after another before any
  // immediate runs, so the batches among them are gathered first.
  if (waiting.push(wire) === 1) setImmediate(storeWaiting);
});

function control(m: 'close' | 'ping'): void {
  if (m === 'close') {
    db.close();
    parentPort!.postMessage({ closed: true } satisfies WorkerReply);
    return;
  }
  // The write lock taken and given back: no page is written, yet a store another process holds
  // locked, or a thread that cannot get to its queue, shows.
  try {
    db.exec('BEGIN IMMEDIATE; COMMIT');
    parentPort!.postMessage({ pong: true, ok: true } satisfies WorkerReply);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    parentPort!.postMessage({ pong: true, ok: false, error: errorText(err) } satisfies WorkerReply);
  }
}

function storeWaiting(): void {
  if (!waiting.length) return;
  const wires = waiting;
  waiting = [];
  let batches: IngestBatch[];
  try {
    batches = wires.map((wire) => ({ ...wire, records: wire.records === '' ? [] : wire.records.split('\n'), messages: JSON.parse(wire.messages) as MessageRow[] }));
  } catch (err) {
    return answer(wires.map(() => ({ ok: false, error: errorText(err) })));
  }
  if (batches.length === 1) return answer([one(batches[0]!)]);
  try {
    const started = performance.now();
    const ids = store.writeMany(batches);
    // The commit's time, shared among the batches it carried.
    const ms = (performance.now() - started) / batches.length;
    answer(ids.map((accountIds) => ({ ok: true, accountIds, ms })));
  } catch {
    // Nothing of them was stored: each on its own, so a batch that cannot be stored fails alone.
    answer(batches.map(one));
  }
}

function one(batch: IngestBatch): WorkerReply {
  try {
    const started = performance.now();
    const accountIds = store.write(batch);
    return { ok: true, accountIds, ms: performance.now() - started };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

function answer(replies: WorkerReply[]): void {
  for (const reply of replies) parentPort!.postMessage(reply);
}
