// Background threads (storing, reconciling) run at the lowest CPU priority, so they take the time
// the socket-reading thread and the senders on the same box leave. Woken at normal priority, the
// store thread took a core from the reader (or a local sender) in the middle of a burst; at the
// lowest, alternating loggen runs as in bench:ingest gave 420k vs 374k msgs/s (medians of 6).
// When the store falls behind, TCP reads pause (ThreadSink's pressure) and UDP records past a
// bounded backlog are counted as dropped. Linux applies nice values per thread; elsewhere this
// does nothing.

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
