// A batch sink that stores in a worker thread (src/store/writer-worker.ts). Batches are posted in
// order and stored in order; `pressure` tells the listeners to stop reading TCP sockets while the
// store falls behind, so a burst is held back by TCP flow control instead of piling up here; `hold`
// tells them the store cannot be written at all (disk full, I/O error, locked) and when it can again.

import { Worker } from 'node:worker_threads';
import { workerModule } from '../worker-module.js';
import { workerLimits } from '../thread-memory.js';
import { isEmpty, type IngestBatch } from './batch.js';
import { fold, sameHour, withoutRecords } from './fold.js';
import type { StoreFailure } from './store-failure.js';
import type { BatchSink } from './writer.js';
import type { WorkerOptions, WorkerReply } from './writer-worker.js';
import { toWire, type WireBatch } from './wire.js';

export interface ThreadSinkEvents {
  /**
   * Account records were stored (ids), or on SQLite a move into the index tables finished (none):
   * reconciliation takes account records up to the last move (src/store/index-moves.ts).
   */
  onAccountEvents?: (ids: number[]) => void;
  /** A batch's counters and absolute values, as posted (drops included): what /metrics counts. */
  onBatch?: (counters: ReadonlyArray<readonly [string, number]>, gauges: ReadonlyArray<readonly [string, number]>) => void;
  /** A batch committed, in this many milliseconds of the store thread's time. */
  onCommit?: (ms: number) => void;
  onError?: (message: string) => void;
  /** Called with true when too many batches wait, false when the backlog has cleared. */
  onPressure?: (high: boolean) => void;
  /**
   * The store cannot be written (why), or can again (undefined, with how long it was held): the
   * batches wait in the store thread, the one that failed first, and are retried. Called again
   * while held when the reason changes (another error code).
   */
  onHold?: (failure: StoreFailure | undefined, resumed?: { heldMs: number; attempts: number }) => void;
  /** Closed while writes were held: what could not be stored. */
  onUnstored?: (unstored: { batches: number; records: number }) => void;
  /**
   * The thread ended without being asked to (an uncaught error, out of memory): nothing more can be
   * stored, so whoever runs it must stop rather than read on (serve exits 1, see commands/serve.ts).
   */
  onEnded?: (why: string) => void;
}

/** The store could not be opened or written at start. */
export class StoreOpenError extends Error {
  constructor(readonly failure: StoreFailure) {
    super(failure.error);
  }
}

/**
 * Batches waiting in the worker before listeners are asked to pause. The store thread writes the
 * batches waiting together in one transaction, and a commit of more rows costs less per row
 * (index pages shared): 8 let a store that falls behind commit up to 4,000 rows at a time where 3
 * held it to 1,500 (store thread CPU per record on aaa-only lines: 31 µs in commits of 500, 25 in
 * 2,000, 20 in 5,000; shared machine, preliminary).
 *
 * 32, reading again at 16 (not 8 and 2): the store thread stalls for moments of tens to hundreds of
 * ms (SQLite's busy handler waiting out the reconcile thread's write lock, which that thread holds
 * at the lowest priority; descheduled under load), and the reader, paused 8 batches into each, sat
 * idle while the store caught up, then waited for it to drain to 2: in mixed-random's 10 s TCP
 * window 6-50 pauses, the main thread's event loop idle 0.34-1.14 s of it while paused (median
 * 0.79 s); with 32/16, 0-2 pauses, 0-0.56 s (median 0.21), the main thread asleep 10% -> 6% of the
 * window (five alternated pairs, load 4-6). bench:ingest mixed-random, six alternated pairs at load
 * 1-2: 62.5k -> 69.7k msgs/s (medians; 0.93 -> 0.99x syslog-ng -> file), the main thread asleep
 * 9.5% -> 3.5%; peak RSS of a round 281-290 -> 284-308 MB (BENCHMARKS.md idle25). A stall's
 * batches are committed together afterwards, as before.
 */
export const HIGH_WATER = 32;
const LOW_WATER = 16;
/**
 * Batches waiting before new records and messages are dropped, and counted as
 * `dropped.store-behind` (or `dropped.store-unwritable` while the store cannot be written): UDP
 * senders cannot be held back like TCP ones, and a store that cannot keep up must not grow this
 * process without bound. 64 batches hold at most 32,000 records (batchRows 500); what comes after them is folded
 * into one batch of counts (src/store/fold.ts) that waits its turn.
 */
export const MAX_BACKLOG = 64;
/**
 * And the text those batches were posted as, in characters: what the store thread holds while they
 * wait (the posted copy, then the batch read from it, then the group committed at once), so RSS
 * under a flood has a bound whatever the lines' length. An aaa-only record line is ~516 characters,
 * so 64 of its batches of 500 are ~16.5 Mi characters, which held the store thread's backlog at
 * +27-30 MB RSS and its catch-up commit at +14-17 MB more (scratch: the store held by a lock while
 * UDP fills it; 2026-12-05, load 8-12). The bound is 17 Mi characters, above those 64 batches, so
 * lines of the usual length are bound by the count and only long ones by their text: at 8 Mi (~32
 * aaa-only batches) a UDP flood at twice the TCP rate kept fewer records a second in three
 * alternated quiet pairs (33.1k, 34.0k, 33.6k against 35.4k, 34.6k, 35.3k; shed 63-68k against
 * 24-36k), peak RSS the same (325-332 against 323-347 MB; BENCHMARKS.md, 2026-12-05 15:32-15:44).
 * Pressure follows the text as it follows the count: TCP pauses at HIGH_WATER_CHARS (~31 aaa-only
 * batches, ~27 mixed-random ones, so near the count's HIGH_WATER) and reads again below
 * LOW_WATER_CHARS, leaving room for what is read between the pause and the bound (batches are handed
 * over at BATCH_CHARS at most, writer.ts).
 */
export const MAX_BACKLOG_CHARS = 17 * 2 ** 20;
const HIGH_WATER_CHARS = 8 * 2 ** 20;
const LOW_WATER_CHARS = 4 * 2 ** 20;

/** A posted batch's text in characters: its record lines, the rows posted as JSON, and its samples. */
export function postedChars(w: WireBatch): number {
  let n = w.messages.length + w.traffic.length + w.activity.length;
  for (const r of w.records) n += r.length;
  for (const r of w.rejects) n += r.raw.length;
  for (const u of w.unknowns) n += u.example.length;
  return n;
}

/** What the store thread was last seen doing, for the health checks (src/observe/health.ts). */
export interface StoreThreadState {
  /** The thread has not ended. */
  running: boolean;
  /** Batches posted and not yet answered. */
  backlog: number;
  /** Set when their text is at its bound (MAX_BACKLOG_CHARS), in fewer batches than the count's: new records are dropped. */
  fullOfText?: true;
  /** The latest write (a batch, or the probe a ping makes) and whether it committed. */
  lastWrite: { at: number; ok: boolean; error?: string } | undefined;
  /** When the ping not yet answered was sent. */
  pingSentAt: number | undefined;
  /** The store cannot be written: since when, and why. */
  held?: { since: number; failure: StoreFailure };
}

export class ThreadSink implements BatchSink {
  private readonly worker: Worker;
  private inFlight = 0;
  /** The posted text of the batches in flight, in characters. */
  private inFlightChars = 0;
  private high = false;
  private shedding = false;
  private idle: Array<() => void> = [];
  /** Who waits for the store to be drained or held, whichever comes first (close). */
  private holdWaiters: Array<() => void> = [];
  /** Batches are stored in the order posted: the commits still awaited, oldest first, each with its posted size. */
  private commits: Array<{ resolve: () => void; reject: (err: Error) => void; chars: number }> = [];
  private closed: (() => void) | undefined;
  private closing = false;
  private running = true;
  private lastWrite: StoreThreadState['lastWrite'];
  private pingSentAt: number | undefined;
  private held: StoreThreadState['held'];
  /** Batches past the backlog's bound, folded into one, and who waits for it. */
  private deferred: { batch: IngestBatch; waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> } | undefined;
  private readyResolve: (() => void) | undefined;
  private readyReject: ((err: Error) => void) | undefined;
  /** Resolves once the thread has opened the database and written to it; fails with StoreOpenError when it could not. */
  readonly ready: Promise<void>;

  constructor(
    private readonly options: WorkerOptions,
    private readonly events: ThreadSinkEvents = {},
  ) {
    this.worker = new Worker(workerModule(import.meta.url, 'writer-worker'), { workerData: options, resourceLimits: workerLimits('store') });
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.worker.on('message', (reply: WorkerReply) => this.done(reply));
    let failure: string | undefined;
    this.worker.on('error', (err) => {
      failure = err.message;
      this.events.onError?.(`store thread failed: ${err.message}`);
    });
    // A thread that ends unexpectedly stores nothing more: whoever waits must not wait forever, and
    // whoever runs it is told (onEnded), before ready too.
    this.worker.on('exit', (code) => {
      const why = failure ?? `it exited with code ${code}`;
      this.running = false;
      this.inFlight = 0;
      this.inFlightChars = 0;
      const ended = new Error('the store thread has ended');
      for (const c of this.commits.splice(0)) c.reject(ended);
      for (const c of this.deferred?.waiting.splice(0) ?? []) c.reject(ended);
      this.deferred = undefined;
      for (const resolve of [...this.idle.splice(0), ...this.holdWaiters.splice(0)]) resolve();
      if (this.closing) this.readyResolve?.();
      else this.readyReject?.(new Error(`the store thread ended before it was ready: ${why}`));
      this.closed?.();
      if (!this.closing) this.events.onEnded?.(why);
    });
  }

  write(batch: IngestBatch): Promise<void> {
    // Counters as handed over (drops included): what /metrics counts, whenever the store takes them.
    if (!this.behind() && !this.deferred) {
      this.events.onBatch?.(batch.counters, batch.gauges);
      return this.post(batch);
    }
    return this.defer(batch);
  }

  private post(batch: IngestBatch): Promise<void> {
    // Posted to an ended thread, it would wait for an answer that never comes.
    if (!this.running) return Promise.reject(new Error('the store thread has ended'));
    // Rows as JSON text, records as their lines (src/store/wire.ts): cheaper to take in than cloned
    // objects, for the store thread, the busier one.
    const wire = toWire(batch);
    const chars = postedChars(wire);
    this.inFlight++;
    this.inFlightChars += chars;
    const committed = new Promise<void>((resolve, reject) => this.commits.push({ resolve, reject, chars }));
    this.worker.postMessage(wire);
    if (!this.high && (this.inFlight >= HIGH_WATER || this.inFlightChars >= HIGH_WATER_CHARS)) {
      this.high = true;
      this.events.onPressure?.(true);
    }
    return committed;
  }

  /** Whatever is handed over now would be dropped (and counted): the backlog is at its bound, in batches or in text. */
  behind(): boolean {
    return this.inFlight >= MAX_BACKLOG || this.inFlightChars >= MAX_BACKLOG_CHARS;
  }

  /** The store thread holds writes: the store cannot be written (disk full, I/O error, locked). */
  unwritable(): boolean {
    return this.held !== undefined;
  }

  /**
   * The backlog is at its bound: the batch's records and messages are dropped and counted, the rest
   * folded into the batch that waits for room. Shed records were not committed, so whoever waits to
   * acknowledge them (TACACS+, RADIUS) is told at once.
   */
  private defer(batch: IngestBatch): Promise<void> {
    const dropped = batch.records.length + batch.messages.length;
    const reason = this.held ? 'dropped.store-unwritable' : 'dropped.store-behind';
    // UDP datagrams dropped unread while the backlog is at its bound (IngestWriter.droppedUnread)
    // come only as counters: said like the records shed here.
    const unread = batch.counters.reduce((n, [name, v]) => (name === 'dropped.store-behind' || name === 'dropped.store-unwritable' ? n + v : n), 0);
    if (!this.shedding && dropped + unread > 0) {
      this.shedding = true;
      this.events.onError?.(
        this.held
          ? `the store cannot be written and ${this.backlogText()} wait: records are dropped and counted (${reason}) until it can`
          : `the store is ${this.backlogText()} behind: records are dropped and counted (${reason}) until it catches up`,
      );
    }
    const light = withoutRecords(batch, reason);
    this.events.onBatch?.(light.counters, light.gauges);
    if (this.deferred && !sameHour(this.deferred.batch, light)) this.postDeferred();
    if (this.deferred) this.deferred.batch = fold(this.deferred.batch, light, this.keepRejects);
    else this.deferred = { batch: light, waiting: [] };
    if (batch.records.length > 0) return Promise.reject(new Error(`records dropped: ${this.held ? 'the store cannot be written' : 'the store is behind'}`));
    const d = this.deferred;
    return new Promise((resolve, reject) => d.waiting.push({ resolve, reject }));
  }

  /** The oldest commit awaited, answered now: off the list, its text off the backlog's. */
  private settled(): { resolve: () => void; reject: (err: Error) => void } | undefined {
    const c = this.commits.shift();
    if (c) this.inFlightChars -= c.chars;
    return c;
  }

  /** The backlog as said when it is shed: its batches, and their text when that is what reached its bound. */
  private backlogText(): string {
    const batches = `${this.inFlight} batches`;
    return this.inFlightChars >= MAX_BACKLOG_CHARS ? `${batches} (${(this.inFlightChars / 2 ** 20).toFixed(0)} Mi characters)` : batches;
  }

  /** The folded batch goes to the store thread, its waiters with it. */
  private postDeferred(): void {
    const d = this.deferred;
    if (!d) return;
    this.deferred = undefined;
    const settle = this.post(d.batch);
    settle.then(
      () => d.waiting.forEach((w) => w.resolve()),
      (err: Error) => d.waiting.forEach((w) => w.reject(err)),
    );
  }

  private get keepRejects(): number {
    return this.options.keepRejectedPerReason * 4;
  }

  private done(reply: WorkerReply): void {
    if ('ready' in reply) {
      this.readyResolve?.();
      return;
    }
    if ('failed' in reply) {
      this.readyReject?.(new StoreOpenError(reply.failed));
      return;
    }
    if ('closed' in reply) {
      if (reply.unstored.batches > 0) this.events.onUnstored?.(reply.unstored);
      this.closed?.();
      return;
    }
    if ('held' in reply) {
      // A second `held` in one episode is its reason changing: the episode keeps its start.
      this.held = { since: this.held?.since ?? Date.now(), failure: reply.held };
      this.events.onHold?.(reply.held);
      for (const resolve of this.holdWaiters.splice(0)) resolve();
      return;
    }
    if ('resumed' in reply) {
      this.held = undefined;
      this.events.onHold?.(undefined, reply.resumed);
      return;
    }
    if ('moved' in reply) {
      // Account records up to the move may now be taken up by reconciliation (SQLite, index-moves.ts).
      this.events.onAccountEvents?.([]);
      return;
    }
    const at = Date.now();
    if ('pong' in reply) {
      this.pingSentAt = undefined;
      this.lastWrite = reply.ok ? { at, ok: true } : { at, ok: false, error: reply.error };
      return;
    }
    this.lastWrite = reply.ok ? { at, ok: true } : { at, ok: false, error: reply.error };
    if (reply.ok) {
      // Batches committed together are answered in one message, oldest first.
      this.inFlight -= reply.batches;
      if (reply.accountIds.length) this.events.onAccountEvents?.(reply.accountIds);
      for (let i = 0; i < reply.batches; i++) {
        this.events.onCommit?.(reply.ms);
        this.settled()?.resolve();
      }
    } else {
      this.inFlight--;
      this.events.onError?.(`a batch could not be stored: ${reply.error}`);
      this.settled()?.reject(new Error(reply.error));
    }
    if (!this.behind()) {
      if (this.shedding && !this.deferred) this.shedding = false;
      this.postDeferred();
    }
    if (this.high && this.inFlight <= LOW_WATER && this.inFlightChars <= LOW_WATER_CHARS) {
      this.high = false;
      this.events.onPressure?.(false);
    }
    if (this.inFlight === 0) for (const resolve of [...this.idle.splice(0), ...this.holdWaiters.splice(0)]) resolve();
  }

  /**
   * Ask the store thread to take SQLite's write lock and answer: it answers after the batches
   * already posted, so an answer shows it alive, writing, and keeping up. One ping at a time.
   */
  ping(): void {
    if (!this.running || this.pingSentAt !== undefined) return;
    this.pingSentAt = Date.now();
    this.worker.postMessage('ping');
  }

  state(): StoreThreadState {
    return { running: this.running, backlog: this.inFlight, ...(this.inFlightChars >= MAX_BACKLOG_CHARS ? { fullOfText: true as const } : {}), lastWrite: this.lastWrite, pingSentAt: this.pingSentAt, ...(this.held ? { held: this.held } : {}) };
  }

  /** Resolves when every batch posted so far has been stored. */
  drained(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Store what is pending, close the database, and end the thread. While writes are held, the
   * store thread tries once more and says what it could not store (onUnstored) instead of waiting.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.running) {
      await this.worker.terminate();
      return;
    }
    if (!this.held) await Promise.race([this.drained(), new Promise<void>((resolve) => this.holdWaiters.push(resolve))]);
    const closed = new Promise<void>((resolve) => (this.closed = resolve));
    this.worker.postMessage('close');
    await closed;
    await this.worker.terminate();
  }
}
