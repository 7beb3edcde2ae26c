// A batch sink that stores in a worker thread (src/store/writer-worker.ts). Batches are posted in
// order and stored in order; `pressure` tells the listeners to stop reading TCP sockets while the
// store falls behind, so a burst is held back by TCP flow control instead of piling up here.

import { Worker } from 'node:worker_threads';
import { workerModule } from '../worker-module.js';
import type { IngestBatch } from './batch.js';
import type { BatchSink } from './writer.js';
import type { WireBatch, WorkerOptions, WorkerReply } from './writer-worker.js';

export interface ThreadSinkEvents {
  onAccountEvents?: (ids: number[]) => void;
  /** A batch's counters and absolute values, as posted (drops included): what /metrics counts. */
  onBatch?: (counters: ReadonlyArray<readonly [string, number]>, gauges: ReadonlyArray<readonly [string, number]>) => void;
  /** A batch committed, in this many milliseconds of the store thread's time. */
  onCommit?: (ms: number) => void;
  onError?: (message: string) => void;
  /** Called with true when too many batches wait, false when the backlog has cleared. */
  onPressure?: (high: boolean) => void;
}

/**
 * Batches waiting in the worker before listeners are asked to pause. The store thread writes the
 * batches waiting together in one transaction, and a commit of more rows costs less per row
 * (index pages shared): 8 lets a store that falls behind commit up to 4,000 rows at a time where 3
 * held it to 1,500 (store thread CPU per record on aaa-only lines: 31 µs in commits of 500, 25 in
 * 2,000, 20 in 5,000; shared machine, preliminary).
 */
const HIGH_WATER = 8;
const LOW_WATER = 2;
/**
 * Batches waiting before new records and messages are dropped, and counted as
 * `dropped.store-behind`: UDP senders cannot be held back like TCP ones, and a store that cannot
 * keep up must not grow this process without bound. 64 batches hold at most 64,000 records.
 */
export const MAX_BACKLOG = 64;

/** What the store thread was last seen doing, for the health checks (src/observe/health.ts). */
export interface StoreThreadState {
  /** The thread has not ended. */
  running: boolean;
  /** Batches posted and not yet answered. */
  backlog: number;
  /** The latest write (a batch, or the probe a ping makes) and whether it committed. */
  lastWrite: { at: number; ok: boolean; error?: string } | undefined;
  /** When the ping not yet answered was sent. */
  pingSentAt: number | undefined;
}

export class ThreadSink implements BatchSink {
  private readonly worker: Worker;
  private inFlight = 0;
  private high = false;
  private shedding = false;
  private idle: Array<() => void> = [];
  /** Batches are stored in the order posted: the commits still awaited, oldest first. */
  private commits: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private closed: (() => void) | undefined;
  private running = true;
  private lastWrite: StoreThreadState['lastWrite'];
  private pingSentAt: number | undefined;
  private readyResolve: (() => void) | undefined;
  /** Resolves once the thread has opened the database and is ready to store. */
  readonly ready: Promise<void>;

  constructor(
    options: WorkerOptions,
    private readonly events: ThreadSinkEvents = {},
  ) {
    // A small young generation: the store thread allocates little, and every megabyte counts in RSS.
    this.worker = new Worker(workerModule(import.meta.url, 'writer-worker'), { workerData: options, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
    this.worker.on('message', (reply: WorkerReply) => this.done(reply));
    this.worker.on('error', (err) => this.events.onError?.(`store thread failed: ${err.message}`));
    // A thread that ends unexpectedly stores nothing more: whoever waits must not wait forever.
    this.worker.on('exit', () => {
      this.running = false;
      this.inFlight = 0;
      for (const c of this.commits.splice(0)) c.reject(new Error('the store thread has ended'));
      for (const resolve of this.idle.splice(0)) resolve();
      this.readyResolve?.();
      this.closed?.();
    });
  }

  write(batch: IngestBatch): Promise<void> {
    const records = batch.records.length;
    if (this.inFlight >= MAX_BACKLOG) batch = this.shed(batch);
    else this.shedding = false;
    // Records shed are not committed: whoever waits to acknowledge them (TACACS+, RADIUS) must not.
    const shed = records > 0 && batch.records.length === 0;
    this.inFlight++;
    // Records cross as one string of lines, messages as one JSON string: the store thread parses
    // JSON in half the time it takes to rebuild the same objects from a structured clone, and that
    // thread is the busier one.
    this.events.onBatch?.(batch.counters, batch.gauges);
    const wire: WireBatch = { ...batch, records: batch.records.join('\n'), messages: JSON.stringify(batch.messages) };
    const stored = new Promise<void>((resolve, reject) => this.commits.push({ resolve, reject }));
    const committed = shed ? stored.then(() => Promise.reject(new Error('records dropped: the store is behind'))) : stored;
    this.worker.postMessage(wire);
    if (!this.high && this.inFlight >= HIGH_WATER) {
      this.high = true;
      this.events.onPressure?.(true);
    }
    return committed;
  }

  behind(): boolean {
    return this.inFlight >= MAX_BACKLOG;
  }

  /** The batch without its records and messages, which are counted instead; counters and traffic still go. */
  private shed(batch: IngestBatch): IngestBatch {
    const dropped = batch.records.length + batch.messages.length;
    if (!this.shedding && dropped > 0) {
      this.shedding = true;
      this.events.onError?.(`the store is ${this.inFlight} batches behind: records are dropped and counted (dropped.store-behind) until it catches up`);
    }
    return dropped === 0 ? batch : { ...batch, records: [], messages: [], counters: [...batch.counters, ['dropped.store-behind', dropped]] };
  }

  private done(reply: WorkerReply): void {
    if ('ready' in reply) {
      this.readyResolve?.();
      return;
    }
    if ('closed' in reply) {
      this.closed?.();
      return;
    }
    const at = Date.now();
    if ('pong' in reply) {
      this.pingSentAt = undefined;
      this.lastWrite = reply.ok ? { at, ok: true } : { at, ok: false, error: reply.error };
      return;
    }
    this.inFlight--;
    const commit = this.commits.shift();
    this.lastWrite = reply.ok ? { at, ok: true } : { at, ok: false, error: reply.error };
    if (reply.ok) {
      this.events.onCommit?.(reply.ms);
      if (reply.accountIds.length) this.events.onAccountEvents?.(reply.accountIds);
      commit?.resolve();
    } else {
      this.events.onError?.(`a batch could not be stored: ${reply.error}`);
      commit?.reject(new Error(reply.error));
    }
    if (this.high && this.inFlight <= LOW_WATER) {
      this.high = false;
      this.events.onPressure?.(false);
    }
    if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
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
    return { running: this.running, backlog: this.inFlight, lastWrite: this.lastWrite, pingSentAt: this.pingSentAt };
  }

  /** Resolves when every batch posted so far has been stored. */
  drained(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Store what is pending, close the database, and end the thread. */
  async close(): Promise<void> {
    await this.drained();
    const closed = new Promise<void>((resolve) => (this.closed = resolve));
    this.worker.postMessage('close');
    await closed;
    await this.worker.terminate();
  }
}
