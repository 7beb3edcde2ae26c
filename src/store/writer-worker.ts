// The ingest store in its own thread: inserts, index upkeep and chain hashing run here, beside the
// thread that reads sockets and parses. Receives batches, answers each with the ids of the account
// records it stored (or the error that stopped it). Batches that wait together are written in one
// transaction. A batch that cannot be written for a reason that may pass (disk full, I/O error,
// locked; PostgreSQL down or unreachable) is kept, with every batch behind it, and tried again until
// it can be: the thread says when writes are held and when they resume. The engine behind is a
// StoreWriter (store-writer.ts): the SQLite file, or a shared PostgreSQL database as one collector.

import { parentPort, workerData } from 'node:worker_threads';
import type { IngestBatch } from './batch.js';
import type { PgStoreOptions } from './pg/store-writer.js';
import { RETRY_FIRST_MS, RETRY_MAX_MS, type StoreFailure } from './store-failure.js';
import { openSqliteWriter, storeFailure, type StoreWriter } from './store-writer.js';
import { fromWire, type WireBatch } from './wire.js';
import { nameThisThread } from '../thread-priority.js';
import { MOVE_EVERY } from './index-moves.js';

/** The SQLite file at `path`, or the PostgreSQL store `postgres` names. */
export type WorkerOptions = { keepRejectedPerReason: number } & ({ path: string } | { postgres: PgStoreOptions });

export type WorkerReply =
  /**
   * The next `batches` batches posted, committed in one transaction: one message for them all,
   * their account record ids together, and the commit's time shared among them (`ms` each).
   */
  | { ok: true; batches: number; accountIds: number[]; ms: number }
  | { ok: false; error: string }
  | { pong: true; ok: true }
  | { pong: true; ok: false; error: string }
  | { held: StoreFailure }
  | { resumed: { heldMs: number; attempts: number } }
  | { closed: true; unstored: { batches: number; records: number } }
  | { ready: true }
  /** A move into the index tables finished: account records up to it may be taken up. */
  | { moved: true }
  | { failed: StoreFailure };

const errorText = (err: unknown): string => storeFailure(err).error;

nameThisThread('aaw-store');
const opts = workerData as WorkerOptions;
// This thread keeps the priority of the thread that reads the sockets (it ran at the lowest until
// issue 14): storing what was read is ingest's job, not background work. At the lowest, any other
// load on the machine starved it: on a shared box (load average 18 on 2 cores) it got 1% of a core
// while the reader got 12%, the reader paused TCP for it, and aaa-only ingest fell to 2,700 msgs/s
// against syslog-ng → SQLite's 19,000 in the same run; TACACS+/RADIUS answers, which wait on its
// commits, took hundreds of milliseconds each (bench:aaa: 3× the acknowledged rate at normal
// priority). Reconciliation stays at the lowest priority (src/reconcile/worker.ts).
const port = parentPort!;

async function open(): Promise<StoreWriter | undefined> {
  try {
    if ('postgres' in opts) {
      // Loaded only for a PostgreSQL store: a SQLite store thread never loads the driver.
      const { openPgWriter } = await import('./pg/store-writer.js');
      return await openPgWriter(opts.postgres, opts.keepRejectedPerReason);
    }
    return openSqliteWriter(opts.path, opts.keepRejectedPerReason);
  } catch (err) {
    port.postMessage({ failed: storeFailure(err) } satisfies WorkerReply);
    return undefined;
  }
}

/**
 * A batch received and not yet stored, or why it could not be read. Traffic and last-heard rows
 * arrive held already, once a second in a batch of their own (writer.ts, COUNTS_MS).
 */
type Waiting = { batch: IngestBatch } | { unreadable: string };

/**
 * Nothing written for this long: the records not yet in the index tables are moved, so a quiet
 * collector's newest records reach reconciliation (which takes them up to the last move) at once.
 */
const IDLE_MOVE_MS = 1000;
/**
 * Unmoved records past which a move's steps run between commits even while batches wait: a store
 * that never goes quiet still moves, and the unmoved tail queries read stays bounded.
 */
const MOVE_BEHIND = 4 * MOVE_EVERY;

function read(wire: WireBatch): Waiting {
  try {
    return { batch: fromWire(wire) };
  } catch (err) {
    return { unreadable: errorText(err) };
  }
}

const rowsOf = (w: Waiting): number => ('batch' in w ? w.batch.records.length + w.batch.messages.length : 0);

function serve(store: StoreWriter): void {
  /**
   * Batches received and not yet stored, in order. Those that arrived while the last transaction
   * ran are stored together in the next one (StoreWriter.writeMany): a store that falls behind
   * commits more rows at a time instead of falling further behind. Not gathered for longer: holding
   * batches for a group of 4,000 rows or 250 ms cost less CPU per row but halved aaa-only ingest on
   * a quiet machine (11,351 against 23,140 msgs/s, bench:ingest 2026-12-03). While writes are held, every batch waits here behind the one that
   * failed. Bounded by what ThreadSink lets wait.
   */
  const queue: Waiting[] = [];
  let held: { since: number; attempts: number; failure: StoreFailure } | undefined;
  let retry: NodeJS.Timeout | undefined;
  let soon: NodeJS.Immediate | undefined;
  /** Batches at the head of the queue to write one by one: a group they were in failed for good. */
  let alone = 0;
  /** The drain under way: one at a time, as batches are stored in order. */
  let draining: Promise<void> | undefined;
  let closing = false;
  /** Records stored and not yet moved into the index tables (SQLite), as far as this thread wrote them. */
  let unmoved = store.moves?.unmoved() ?? 0;
  /** A move is under way: its steps run when the queue is empty. */
  let moving = store.moves?.inProgress() ?? false;
  let moveStep: NodeJS.Immediate | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  /** When records were last stored (performance.now()), for the idle move. */
  let lastStoredAt = 0;

  const reply = (r: WorkerReply): void => port.postMessage(r);

  /** How many batches at the head of the queue go in the next transaction. */
  const groupSize = (): number => {
    if (alone > 0) return 1;
    let n = 0;
    while (n < queue.length && 'batch' in queue[n]!) n++;
    return n;
  };

  /**
   * Store what waits, in order; on a failure that may pass, keep the batches and try again later.
   * SQLite commits without yielding to other messages; PostgreSQL's commits are awaited, and the
   * batches that arrive meanwhile go in the next transaction.
   */
  const run = async (): Promise<void> => {
    while (queue.length > 0) {
      // On PostgreSQL, batches that arrive during the awaited commit are taken by the next turn.
      const n = groupSize();
      if (n === 0) {
        const w = queue.shift() as { unreadable: string };
        reply({ ok: false, error: w.unreadable });
        continue;
      }
      const group = (queue.slice(0, n) as Array<{ batch: IngestBatch }>).map((w) => w.batch);
      const started = performance.now();
      try {
        const ids = await store.writeMany(group);
        queue.splice(0, n);
        if (alone > 0) alone--;
        if (held) {
          reply({ resumed: { heldMs: Date.now() - held.since, attempts: held.attempts } });
          held = undefined;
        }
        noteStored(group.reduce((k, b) => k + b.records.length, 0));
        // One answer for the transaction, not one per batch: a message fewer to post, and to wake
        // the main thread with, for each batch that waited behind another.
        const ms = (performance.now() - started) / n;
        reply({ ok: true, batches: n, accountIds: n === 1 ? ids[0]! : ids.slice(0, n).flat(), ms });
      } catch (err) {
        const f = storeFailure(err);
        if (!store.retryable(f)) {
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
        } else if (f.code !== held.failure.code) {
          // Still held, for another reason now (a cut connection, then a read-only database): said, so
          // what the operator reads is the reason the store is held for, not the first one.
          reply({ held: f });
        }
        held.attempts++;
        held.failure = f;
        if (!closing) {
          retry = setTimeout(() => {
            retry = undefined;
            void drain();
          }, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(held.attempts - 1, 16)));
        }
        return;
      }
    }
  };

  const drain = (): Promise<void> =>
    (draining ??= run().finally(() => {
      draining = undefined;
      moveSoon();
    }));

  /** Records were stored: a move when a run's worth waits, and one when ingest goes quiet. */
  const noteStored = (records: number): void => {
    if (!store.moves || records === 0) return;
    unmoved += records;
    if (unmoved >= MOVE_EVERY) moving = true;
    armIdle();
  };

  // One timer left running while records come, not one cleared and armed again per commit: when it
  // fires before ingest has been quiet for IDLE_MOVE_MS, it waits out the rest.
  const armIdle = (): void => {
    lastStoredAt = performance.now();
    if (!idleTimer) idleTimer = setTimeout(idleCheck, IDLE_MOVE_MS);
  };

  const idleCheck = (): void => {
    const quiet = performance.now() - lastStoredAt;
    if (quiet < IDLE_MOVE_MS) {
      idleTimer = setTimeout(idleCheck, IDLE_MOVE_MS - quiet);
      return;
    }
    idleTimer = undefined;
    moving = true;
    moveSoon();
  };

  const moveSoon = (): void => {
    if (moving && !moveStep && !closing) moveStep = setImmediate(stepMove);
  };

  /**
   * One step of the move (one table's run, one transaction, MOVE_STEP records at most), when no batch waits: what
   * arrived meanwhile is written first, and the drain that writes it asks for the next step.
   */
  const stepMove = (): void => {
    moveStep = undefined;
    const moves = store.moves!;
    if (held || closing || draining || (queue.length > 0 && unmoved < MOVE_BEHIND)) return;
    try {
      moves.step();
    } catch {
      // Locked or full: the next write or the idle timer tries again.
      moving = false;
      return;
    }
    if (moves.inProgress()) {
      moveSoon();
      return;
    }
    moving = false;
    unmoved = moves.unmoved();
    reply({ moved: true });
    if (unmoved >= MOVE_EVERY) {
      moving = true;
      moveSoon();
    } else if (unmoved > 0 && !idleTimer) armIdle();
  };

  const drainSoon = (): void => {
    soon = undefined;
    if (!held) void drain();
  };

  const close = async (): Promise<void> => {
    closing = true;
    if (soon) clearImmediate(soon);
    if (retry) clearTimeout(retry);
    // What was posted before is stored first; while held, this is one last attempt, and what
    // still cannot be written is said, not hidden.
    await draining;
    if (retry) clearTimeout(retry);
    await drain();
    if (idleTimer) clearTimeout(idleTimer);
    if (moveStep) clearImmediate(moveStep);
    // What was stored goes into the index tables before the store closes, move after move.
    if (!held && store.moves) {
      try {
        while (store.moves.unmoved() > 0 || store.moves.inProgress()) store.moves.step();
      } catch {
        // Moved at the next start instead.
      }
    }
    const unstored = {
      batches: queue.length,
      records: queue.reduce((n, w) => n + rowsOf(w), 0),
    };
    await Promise.resolve(store.close()).catch(() => undefined);
    reply({ closed: true, unstored });
  };

  const ping = async (): Promise<void> => {
    // In order: what was posted before it is stored first.
    if (!held) await drain();
    // While writes are held the thread is alive and says why it cannot write, at once.
    if (held) {
      reply({ pong: true, ok: false, error: held.failure.error });
      return;
    }
    // The write lock taken and given back: nothing is written, yet a store another process holds
    // locked, one that cannot be reached, or a thread that cannot get to its queue, shows.
    try {
      await store.probe();
      reply({ pong: true, ok: true });
    } catch (err) {
      reply({ pong: true, ok: false, error: errorText(err) });
    }
  };

  port.on('message', (wire: WireBatch | 'close' | 'ping') => {
    if (closing) return;
    if (wire === 'close') {
      void close();
      return;
    }
    if (wire === 'ping') {
      void ping();
      return;
    }
    queue.push(read(wire));
    // Messages posted while this thread was busy are delivered one after another before any
    // immediate runs, so the batches among them are gathered first.
    if (!held && !soon) soon = setImmediate(drainSoon);
  });
  reply({ ready: true });
  // Records left unmoved by the last run (or another writer) are moved once ingest is quiet.
  if (store.moves && (unmoved > 0 || moving)) armIdle();
}

// Last, once every constant above is initialised: serve() reads IDLE_MOVE_MS at once when records
// were left unmoved (a kill -9), and run any earlier it threw (a const not yet initialised), which
// ended this thread and left serve reading with nothing stored.
const opened = await open();
if (opened) serve(opened);
else port.close();
