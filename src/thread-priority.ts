// The reconciliation thread runs at the lowest CPU priority, so it takes the time the
// socket-reading and store threads and the senders on the same box leave: a full reconciliation
// takes seconds over a large store and may wait. (The store thread ran at the lowest priority too
// until issue 14; starved by other load it held ingest back, see src/store/writer-worker.ts.)
// Linux applies nice values per thread; elsewhere this does nothing.

import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

const LOWEST = 19;

/** Give the calling thread the lowest CPU priority. Returns its nice value, or undefined when it could not be set. */
export function lowestPriorityForThisThread(): number | undefined {
  try {
    // `/proc/thread-self` links to `<pid>/task/<tid>`: setpriority takes a thread id for one thread.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    setPriority(tid, LOWEST);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
