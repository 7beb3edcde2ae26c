// The ingest store in its own thread: SQLite inserts, index upkeep and chain hashing run here,
// beside the thread that reads sockets and parses. Receives batches, answers each with the ids of
// the account records it stored (or the error that stopped it). A batch that cannot be written
// for a reason that may pass (disk full, I/O error, locked) is kept, with every batch behind it,
// and tried again until it can be: the thread says when writes are held and when they resume.

import { parentPort, workerData } from 'node:worker_threads';
import { lowestPriorityForThisThread } from '../thread-priority.js';
import type { IngestBatch, MessageRow } from './batch.js';
import { BatchStore } from './batch-store.js';
import { openDatabase } from './db.js';
import { RETRY_FIRST_MS, RETRY_MAX_MS, retryable, type StoreFailure } from './store-failure.js';

export interface WorkerOptions {
  path: string;
  keepRejectedPerReason: number;
  /**
   * Run at the lowest CPU priority (the default). False when answers wait on this thread's
   * commits (TACACS+ and RADIUS accounting): starved by other load, each commit waited hundreds of
   * milliseconds, and every device with it (bench:aaa on a loaded machine: 3× the acknowledged
   * rate at normal priority).
   */
  lowPriority?: boolean;
}

/** A batch as posted to this thread: records as lines, messages as JSON text (see ThreadSink.write). */
export type WireBatch = Omit<IngestBatch, 'records' | 'messages'> & { records: string; messages: string };

export type WorkerReply =
  | { ok: true; accountIds: number[]; ms: number }
  | { ok: false; error: string }
  | { pong: true; ok: true }
  | { pong: true; ok: false; error: string }
  | { held: StoreFailure }
  | { resumed: { heldMs: number; attempts: number } }
  | { closed: true; unstored: { batches: number; records: number } }
  | { ready: true }
  | { failed: StoreFailure };

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const failure = (err: unknown): StoreFailure => ({ error: errorText(err), code: (err as { code?: unknown }).code === undefined ? undefined : String((err as { code?: unknown }).code) });

const opts = workerData as WorkerOptions;
if (opts.lowPriority !== false) lowestPriorityForThisThread();
const port = parentPort!;

function open(): { db: ReturnType<typeof openDatabase>; store: BatchStore } | undefined {
  try {
    // 16 MiB holds the hot index pages of a store of millions of records: 32 measured no faster.
    const db = openDatabase(opts.path, { cacheMiB: 16 });
    const store = new BatchStore(db, opts.keepRejectedPerReason);
    // Statements are prepared; touch the busy tables once so their pages are cached before traffic.
    // This first write also shows at start whether the store can be written at all.
    store.write({ records: [], messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], counters: [['store.started', 1]], gauges: [] });
    db.prepare('SELECT count(*) FROM (SELECT id FROM events ORDER BY id DESC LIMIT 1000)').get();
    return { db, store };
  } catch (err) {
    port.postMessage({ failed: failure(err) } satisfies WorkerReply);
    return undefined;
  }
}

const opened = open();
if (opened) serve(opened.db, opened.store);
else port.close();

function serve(db: ReturnType<typeof openDatabase>, store: BatchStore): void {
  /** Batches received and not yet stored, in order: more than one only while writes are held. */
  const queue: WireBatch[] = [];
  let held: { since: number; attempts: number; failure: StoreFailure } | undefined;
  let retry: NodeJS.Timeout | undefined;

  const write = (wire: WireBatch): number[] =>
    store.write({
      ...wire,
      records: wire.records === '' ? [] : wire.records.split('\n'),
      messages: JSON.parse(wire.messages) as MessageRow[],
    });

  /** Store what waits, in order; on a failure that may pass, keep the batch and try again later. */
  const drain = (): void => {
    while (queue.length > 0) {
      const started = performance.now();
      try {
        const accountIds = write(queue[0]!);
        queue.shift();
        if (held) {
          port.postMessage({ resumed: { heldMs: Date.now() - held.since, attempts: held.attempts } } satisfies WorkerReply);
          held = undefined;
        }
        port.postMessage({ ok: true, accountIds, ms: performance.now() - started } satisfies WorkerReply);
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        const f = failure(err);
        if (!retryable(f.code)) {
          queue.shift();
          port.postMessage({ ok: false, error: f.error } satisfies WorkerReply);
          continue;
        }
        if (!held) {
          held = { since: Date.now(), attempts: 0, failure: f };
          port.postMessage({ held: f } satisfies WorkerReply);
        }
        held.attempts++;
        held.failure = f;
        retry = setTimeout(() => {
          retry = undefined;
          drain();
        }, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(held.attempts - 1, 16)));
        return;
      }
    }
  };

  port.on('message', (wire: WireBatch | 'close' | 'ping') => {
    if (wire === 'close') {
      if (retry) clearTimeout(retry);
      // One last attempt for what is held; what still cannot be written is said, not hidden.
      if (held) drain();
      if (retry) clearTimeout(retry);
      const unstored = { batches: queue.length, records: queue.reduce((n, w) => n + (w.records === '' ? 0 : w.records.split('\n').length) + (JSON.parse(w.messages) as unknown[]).length, 0) };
      db.close();
      port.postMessage({ closed: true, unstored } satisfies WorkerReply);
      return;
    }
    if (wire === 'ping') {
      // While writes are held the thread is alive and says why it cannot write, at once.
      if (held) {
        port.postMessage({ pong: true, ok: false, error: held.failure.error } satisfies WorkerReply);
        return;
      }
      // The write lock taken and given back: no page is written, yet a store another process holds
      // locked, or a thread that cannot get to its queue, shows.
      try {
        db.exec('BEGIN IMMEDIATE; COMMIT');
        port.postMessage({ pong: true, ok: true } satisfies WorkerReply);
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        port.postMessage({ pong: true, ok: false, error: errorText(err) } satisfies WorkerReply);
      }
      return;
    }
    queue.push(wire);
    if (!held) drain();
  });
  port.postMessage({ ready: true } satisfies WorkerReply);
}
