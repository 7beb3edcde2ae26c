// WAL checkpoints in a thread of their own, beside the store thread. A checkpoint copies the pages
// committed to the WAL back into the database file and syncs it; run by whichever connection
// commits past wal_autocheckpoint, it ran in the store thread, where it was 7.4–8.6 µs of the
// 38–50 µs a record cost (aaa-only, 500-row commits, the sync most of it). Here the store thread
// asks for one at most every CHECKPOINT_MS while it writes; its own autocheckpoint stays as a bound
// (FALLBACK_BYTES) should this thread fall behind or fail, so the WAL never grows without end.
// Measured (scratch harness, aaa-only seed 1, 206,794 records, load 15–19): store thread 43.4 →
// 36.3 µs per record (medians of three pairs), this thread 7.4–7.9; all CPU the same.

import { Worker } from 'node:worker_threads';
import { AUTOCHECKPOINT_BYTES, walPages, type Db } from './db.js';
import { workerModule } from '../worker-module.js';
import { workerLimits } from '../thread-memory.js';

/**
 * At most one checkpoint asked for per this many ms (~5,000 records at 20k records/s). Under a
 * steady writer a PASSIVE checkpoint never reaches the WAL's last frame, so the WAL restarts only
 * once the store connection's own fallback checkpoint (FALLBACK_BYTES) has copied what this thread
 * had not: about half an interval's pages a cycle, and at ~41k msgs/s 64 MiB fill in ~0.8 s.
 * 1000 ms cut this thread 0.97 -> 0.61 us a message at 11-27k msgs/s but would leave half the
 * copying to the store thread at full rate (gc14, BENCHMARKS.md), so 250 stays.
 */
export const CHECKPOINT_MS = 250;
/** The store connection still checkpoints itself past this much WAL (64 MiB): this thread is behind or gone. */
export const FALLBACK_BYTES = 64 * 1024 * 1024;

export type CheckpointReply = { ready: true } | { ok: true; log: number; checkpointed: number } | { ok: false; error: string };

export class Checkpointer {
  private readonly worker: Worker;
  private asked = false;
  private last = 0;
  private alive = true;
  /** Waiting for the checkpoint under way, and for one after it (asked for while it ran). */
  private waiting: Array<(r: CheckpointReply) => void> = [];
  private next: Array<(r: CheckpointReply) => void> = [];

  /** `db` is the store thread's connection to the file at `path`. */
  constructor(private readonly db: Db, path: string) {
    this.worker = new Worker(workerModule(import.meta.url, 'checkpoint-worker'), { workerData: { path }, resourceLimits: workerLimits('checkpoint') });
    db.pragma(`wal_autocheckpoint = ${walPages(db, FALLBACK_BYTES)}`);
    this.worker.on('message', (r: CheckpointReply) => {
      if ('ready' in r) return;
      this.asked = false;
      for (const w of this.waiting.splice(0)) w(r);
      if (this.next.length === 0) return;
      this.waiting = this.next;
      this.next = [];
      this.ask();
    });
    // Without this thread the store connection checkpoints as the others do.
    const gone = (): void => {
      if (!this.alive) return;
      this.alive = false;
      if (db.open) db.pragma(`wal_autocheckpoint = ${walPages(db, AUTOCHECKPOINT_BYTES)}`);
      for (const w of [...this.waiting.splice(0), ...this.next.splice(0)]) w({ ok: false, error: 'the checkpoint thread has ended' });
    };
    this.worker.on('error', gone);
    this.worker.on('exit', gone);
  }

  /** After a commit: a checkpoint, unless one is under way or was asked for in the last CHECKPOINT_MS. */
  committed(): void {
    if (this.asked || !this.alive) return;
    const now = performance.now();
    if (now - this.last < CHECKPOINT_MS) return;
    this.last = now;
    this.ask();
  }

  /** A checkpoint that starts after this call, answered when done. */
  checkpoint(): Promise<CheckpointReply> {
    return new Promise((resolve) => {
      if (!this.alive) return resolve({ ok: false, error: 'the checkpoint thread has ended' });
      if (this.asked) return void this.next.push(resolve);
      this.waiting.push(resolve);
      this.ask();
    });
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    await exited;
  }

  private ask(): void {
    this.asked = true;
    this.worker.postMessage('checkpoint');
  }
}
