// What serve's threads and SQLite connections may hold, in one place: each worker's young
// generation (V8's new space: two semi-spaces, committed in full once the thread has allocated
// steadily for a while, whatever is alive in them) and each connection's page cache (malloc'd in the
// thread's arena as pages are read, and kept). Peak RSS under load is mostly these, V8's old spaces
// and the node binary (issue 14, rss16, BENCHMARKS.md: the main isolate 62-64 MB, of it a 32 MB new
// space only node's command line can change; the store isolate 50-57 MB in a flood; the reconcile isolate
// ~30; the udp and checkpoint isolates ~9 each; malloc arenas 47-56 MB; the binary 52 MB).

import type { ResourceLimits } from 'node:worker_threads';

/**
 * A worker's young generation in MB, as `resourceLimits.maxYoungGenerationSizeMb`: V8 gives a new
 * space of two thirds of it rounded down to a power of two (8 → 8 MB, 12 → 8, 16 and 24 → 16; a
 * worker without a limit grows to 32 MB like the main thread).
 */
export const YOUNG_GENERATION_MB = {
  /**
   * 24 (a 16 MB new space; gc14): the batches a commit holds survive a scavenge while it runs. At 8
   * the new space is 8 MB smaller, but in a UDP flood at twice the TCP rate (load 5-6) more of the
   * backlog was promoted and the store isolate's old space peaked at 45 and 65 MB against 34 and 40,
   * the process at 301.7 and 306.5 MB against 293.2 and 294.9 (rss16, BENCHMARKS.md).
   */
  store: 24,
  /** This thread allocates in bursts (a pass's rows and findings); 8 measured as 16 (gc14). */
  reconcile: 8,
  /** One statement a checkpoint: it allocates next to nothing. */
  checkpoint: 4,
  /**
   * A batch of 256 datagrams lives until the main thread has taken it: 4 MB held its CPU a datagram
   * (5.2-6.3 against 5.1-7.0 µs, flood15); left unbounded, its new space grew to 8 MB in a flood and
   * may to 32 over a long one.
   */
  udp: 4,
} as const;

/** The resource limits a worker of serve is started with. */
export function workerLimits(thread: keyof typeof YOUNG_GENERATION_MB): ResourceLimits {
  return { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB[thread] };
}

/** Each SQLite connection's page cache in MiB (`cache_size`), filled as pages are read and then kept. */
export const PAGE_CACHE_MIB = {
  /** The ingest connection: 16 MiB holds the hot index pages of a store of millions of records; 32 measured no faster. */
  store: 16,
  /**
   * The reconciliation thread's account-created passes read the records, logins and open findings
   * of the store's busiest indexes: at 4 MiB they cost 1.03-1.11x, at 2 MiB 1.10-1.30x the CPU an
   * account record of 8 (an imported aaa-only store, 27,476 findings a pass set, alternated; rss16).
   */
  reconcile: 8,
  /**
   * serve's own connection reads the accounts at start (knownAccounts), then pull state and pulled
   * accounts now and then: none of it on the reading path, and a page cache once filled is kept.
   */
  serve: 2,
} as const;
