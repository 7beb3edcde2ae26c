// The reconciliation thread, and the web thread while an export runs, run at the lowest CPU
// priority, so they take the time the socket-reading and store threads and the senders on the same
// box leave: a full reconciliation or an evidence pack takes seconds over a large store and may wait. (The store thread ran at the lowest priority too
// until issue 14; starved by other load it held ingest back, see src/store/writer-worker.ts.)
// Linux applies nice values per thread; elsewhere this does nothing. Worker threads also get a
// name here, so `top -H`, `ps -L` and /proc/<pid>/task/*/comm tell them apart (Node names every
// thread `node`).

import { readlinkSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

import { isMainThread } from 'node:worker_threads';

const LOWEST = 19;

/** The calling thread's id (`/proc/thread-self` links to `<pid>/task/<tid>`: setpriority takes a thread id for one thread). */
function threadId(): number | undefined {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  return Number.isInteger(tid) && tid > 0 ? tid : undefined;
}

/**
 * Name the calling worker thread (Linux: at most 15 bytes, `aaw-store`, `aaw-reconcile`, `aaw-udp`, …) for
 * the per-thread CPU listings ops and the benches read; V8's and libuv's own threads stay `node`.
 */
export function nameThisThread(name: string): void {
  if (isMainThread) return;
  try {
    const tid = threadId();
    if (tid !== undefined) writeFileSync(`/proc/self/task/${tid}/comm`, name.slice(0, 15));
  } catch {
    // Not Linux, or /proc not mounted: the thread keeps its name.
  }
}

/** Give the calling thread the lowest CPU priority. Returns its nice value, or undefined when it could not be set. */
export function lowestPriorityForThisThread(): number | undefined {
  try {
    const tid = threadId();
    if (tid === undefined) return undefined;
    setPriority(tid, LOWEST);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}

let background = 0;
let restore: { tid: number; nice: number } | undefined;

/**
 * Run long work (an export) at the lowest CPU priority, then give the thread its priority back once
 * no such work is left; in a worker thread only, never the thread that reads the sockets. Linux
 * lets a thread lower its priority but not raise it again without CAP_SYS_NICE, so where it cannot
 * be raised the thread stays low (the work is then done at the lowest priority anyway).
 */
export async function atLowestPriority<T>(work: () => Promise<T>): Promise<T> {
  if (!isMainThread && background++ === 0) {
    try {
      const tid = threadId();
      if (tid !== undefined) {
        restore = { tid, nice: getPriority(tid) };
        setPriority(tid, LOWEST);
      }
    } catch {
      restore = undefined;
    }
  }
  try {
    return await work();
  } finally {
    if (!isMainThread && --background === 0 && restore) {
      try {
        setPriority(restore.tid, restore.nice);
      } catch {
        // Not allowed to raise it again: the thread carries on at the lowest priority.
      }
      restore = undefined;
    }
  }
}
