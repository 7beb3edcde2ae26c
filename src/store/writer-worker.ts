// The ingest store in its own thread: SQLite inserts, index upkeep and chain hashing run here,
// beside the thread that reads sockets and parses. Receives batches, answers each with the ids of
// the account records it stored (or the error that stopped it). Batches that wait together are
// written in one transaction. A batch that cannot be written for a reason that may pass (disk
// full, I/O error, locked) is kept, with every batch behind it, and tried again until it can be:
// the thread says when writes are held and when they resume.

import { parentPort, workerData } from 'node:worker_threads';
import type { IngestBatch, MessageRow } from './batch.js';
import { BatchStore } from './batch-store.js';
import { GROUP_BATCHES, GROUP_MS, GROUP_ROWS } from './group-commit.js';
import { openDatabase } from './db.js';
import { RETRY_FIRST_MS, RETRY_MAX_MS, retryable, type StoreFailure } from './store-failure.js';

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
  | { held: StoreFailure }
  | { resumed: { heldMs: number; attempts: number } }
  | { closed: true; unstored: { batches: number; records: number } }
  | { ready: true }
  | { failed: StoreFailure };

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const failure = (err: unknown): StoreFailure => ({ error: errorText(err), code: (err as { code?: unknown }).code === undefined ? undefined : String((err as { code?: unknown }).code) });

const opts = workerData as WorkerOptions;
// This thread keeps the priority of the thread that reads the sockets (it ran at the lowest until
// issue 14): storing what was read is ingest's job, not background work. At the lowest, any other
// load on the machine starved it: on a shared box (load average 18 on 2 cores) it got 1% of a core
// while the reader got 12%, the reader paused TCP for it, and aaa-only ingest fell to 2,700 msgs/s
// against syslog-ng → SQLite's 19,000 in the same run; TACACS+/RADIUS answers, which wait on its
// commits, took hundreds of milliseconds each (bench:aaa: 3× the acknowledged rate at normal
// priority). Reconciliation stays at the lowest priority (src/reconcile/worker.ts).
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

/** A batch received and not yet stored, or why it could not be read. */
type Waiting = { batch: IngestBatch } | { unreadable: string };

const rowsOf = (w: Waiting): number => ('batch' in w ? w.batch.records.length + w.batch.messages.length : 0);

function read(wire: WireBatch): Waiting {
  try {
    return { batch: { ...wire, records: wire.records === '' ? [] : wire.records.split('\n'), messages: JSON.parse(wire.messages) as MessageRow[] } };
  } catch (err) {
    return { unreadable: errorText(err) };
  }
}

function serve(db: ReturnType<typeof openDatabase>, store: BatchStore): void {
  /**
   * Batches received and not yet stored, in order. They are stored together, in one transaction
   * (BatchStore.writeMany): those gathered as a group (GROUP_ROWS), and those that arrived while the
   * last transaction ran, so a store that falls behind commits more rows at a time instead of
   * falling further behind. While writes are held, every batch waits here behind the one that
   * failed. Bounded by what ThreadSink lets wait.
   */
  const queue: Waiting[] = [];
  let held: { since: number; attempts: number; failure: StoreFailure } | undefined;
  let retry: NodeJS.Timeout | undefined;
  let soon: NodeJS.Immediate | undefined;
  /** The group gathering: when its first batch arrived, its rows, and the timer that closes it. */
  let gatheringSince = 0;
  let gatheredRows = 0;
  let gathering: NodeJS.Timeout | undefined;
  /** Batches at the head of the queue to write one by one: a group they were in failed for good. */
  let alone = 0;

  const reply = (r: WorkerReply): void => port.postMessage(r);

  /** How many batches at the head of the queue go in the next transaction. */
  const groupSize = (): number => {
    if (alone > 0) return 1;
    let n = 0;
    while (n < queue.length && 'batch' in queue[n]!) n++;
    return n;
  };

  /** Store what waits, in order; on a failure that may pass, keep the batches and try again later. */
  const drain = (): void => {
    // Everything that waits goes now: the group gathering is closed.
    if (gathering) clearTimeout(gathering);
    gathering = undefined;
    gatheredRows = 0;
    while (queue.length > 0) {
      const n = groupSize();
      if (n === 0) {
        const w = queue.shift() as { unreadable: string };
        reply({ ok: false, error: w.unreadable });
        continue;
      }
      const group = queue.slice(0, n).map((w) => (w as { batch: IngestBatch }).batch);
      const started = performance.now();
      try {
        const ids = n === 1 ? [store.write(group[0]!)] : store.writeMany(group);
        queue.splice(0, n);
        if (alone > 0) alone--;
        if (held) {
          reply({ resumed: { heldMs: Date.now() - held.since, attempts: held.attempts } });
          held = undefined;
        }
        // The commit's time, shared among the batches it carried.
        const ms = (performance.now() - started) / n;
        for (const accountIds of ids) reply({ ok: true, accountIds, ms });
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        const f = failure(err);
        if (!retryable(f.code)) {
          if (n > 1) {
            // Nothing of them was stored: each on its own, so a batch that cannot be stored fails alone.
            alone = n;
            continue;
          }
          queue.shift();
          if (alone > 0) alone--;
          reply({ ok: false, error: f.error });
          continue;
        }
        // Held: this batch (or group) and every batch behind it wait, in order, and are tried again.
        if (!held) {
          held = { since: Date.now(), attempts: 0, failure: f };
          reply({ held: f });
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

  const drainSoon = (): void => {
    if (soon) clearImmediate(soon);
    soon = undefined;
    if (!held) drain();
  };

  /** A batch arrived: store the group now if it is full (or cannot be grouped), else once it is old enough. */
  const gather = (w: Waiting): void => {
    if (held || soon) return;
    if (gatheredRows === 0 && !gathering) gatheringSince = performance.now();
    gatheredRows += rowsOf(w);
    if (gatheredRows >= GROUP_ROWS || queue.length >= GROUP_BATCHES || !('batch' in w)) {
      // Messages posted while this thread was busy are delivered one after another before any
      // immediate runs, so the batches among them are gathered first.
      soon = setImmediate(drainSoon);
      return;
    }
    gathering ??= setTimeout(drainSoon, Math.max(0, GROUP_MS - (performance.now() - gatheringSince)));
  };

  port.on('message', (wire: WireBatch | 'close' | 'ping' | 'commit') => {
    if (wire === 'commit') {
      // Someone waits to acknowledge what was posted before this: it goes now, without the group.
      drainSoon();
      return;
    }
    if (wire === 'close') {
      if (soon) clearImmediate(soon);
      if (retry) clearTimeout(retry);
      // What was posted before is stored first; while held, this is one last attempt, and what
      // still cannot be written is said, not hidden.
      drain();
      if (retry) clearTimeout(retry);
      const unstored = {
        batches: queue.length,
        records: queue.reduce((n, w) => n + ('batch' in w ? w.batch.records.length + w.batch.messages.length : 0), 0),
      };
      db.close();
      reply({ closed: true, unstored });
      return;
    }
    if (wire === 'ping') {
      // In order: what was posted before it is stored first.
      drainSoon();
      // While writes are held the thread is alive and says why it cannot write, at once.
      if (held) {
        reply({ pong: true, ok: false, error: held.failure.error });
        return;
      }
      // The write lock taken and given back: no page is written, yet a store another process holds
      // locked, or a thread that cannot get to its queue, shows.
      try {
        db.exec('BEGIN IMMEDIATE; COMMIT');
        reply({ pong: true, ok: true });
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        reply({ pong: true, ok: false, error: errorText(err) });
      }
      return;
    }
    const w = read(wire);
    queue.push(w);
    gather(w);
  });
  reply({ ready: true });
}
