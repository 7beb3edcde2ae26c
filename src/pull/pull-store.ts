// What a pull reads and writes, whichever engine holds the store: the pinned host key it trusts,
// one transaction per outcome (success or failure), and pruning of old runs. Asynchronous so that
// PostgreSQL (src/store/pg/pull-store.ts) and SQLite (here, today's synchronous statements in
// src/pull/record.ts and src/store/pull.ts, unchanged) answer the same calls.

import type { Db } from '../store/db.js';
import { endMarks, getHostKey, listHostKeyChanges, listHostKeys, markUnderWay, pruneRuns, type HostKeyChangeRow, type HostKeyRow } from '../store/pull.js';
import { acceptHostKey, recordFailure, recordSuccess, type AccountCounts, type Failure, type Success } from './record.js';

export interface SuccessOutcome {
  changed: boolean;
  snapshotId: number;
  accounts: AccountCounts;
}

export interface PullStore {
  /** Where the store is, for messages: the SQLite file, or the PostgreSQL server and collector (no user or password). */
  readonly where: string;
  /** The key pinned for a device (trust on first use, or accepted by a person). */
  hostKey(device: string): Promise<HostKeyRow | undefined>;
  /** Store a successful pull: snapshot when changed, accounts and their changes, host key, run, state. */
  recordSuccess(s: Success): Promise<SuccessOutcome>;
  /** Store a failed run and the findings it raises; the consecutive failures so far. */
  recordFailure(f: Failure): Promise<number>;
  /**
   * Mark an attempt reading `device` as under way from `at` until it ends or `expiresAt`
   * (src/pull/run.ts markUnderWay); its id, to end it with. Marks that expired go.
   */
  markUnderWay(device: string, at: number, expiresAt: number): Promise<number>;
  /** The attempts these marks stood for ended. */
  endMarks(ids: readonly number[]): Promise<void>;
  /** Remove runs started before `before`; how many. */
  pruneRuns(before: number): Promise<number>;
  /**
   * When the device's latest run started, whoever pulled it: a collector that comes to a device
   * another already pulled this round leaves it (src/pull/schedule.ts).
   */
  lastRunStarted(device: string): Promise<number | undefined>;
  /**
   * A person checked the changed key a device presents and accepts it (`aaawatch hostkey accept`):
   * it becomes the pinned key. Throws, accepting nothing, when no key waits or `fingerprint`
   * (when given) is not the waiting key's.
   */
  acceptHostKey(device: string, by: string, at: number, fingerprint?: string): Promise<HostKeyChangeRow>;
  /** Pinned keys and changed keys waiting, by device (`aaawatch hostkey list`). */
  hostKeys(): Promise<{ pinned: HostKeyRow[]; waiting: HostKeyChangeRow[] }>;
}

/** The SQLite store: one process, the statements of src/store/pull.ts run synchronously. */
export function sqlitePullStore(db: Db): PullStore {
  return {
    where: db.name,
    // async: a statement that throws rejects, as PostgreSQL's would, rather than throwing at the call.
    hostKey: async (device) => getHostKey(db, device),
    recordSuccess: async (s) => recordSuccess(db, s),
    recordFailure: async (f) => recordFailure(db, f),
    markUnderWay: async (device, at, expiresAt) => markUnderWay(db, device, at, expiresAt),
    endMarks: async (ids) => endMarks(db, ids),
    pruneRuns: async (before) => pruneRuns(db, before),
    acceptHostKey: async (device, by, at, fingerprint) => acceptHostKey(db, device, by, at, fingerprint),
    hostKeys: async () => ({ pinned: listHostKeys(db), waiting: listHostKeyChanges(db) }),
    lastRunStarted: async (device) => (db.prepare('SELECT max(started_at) AS t FROM pull_runs WHERE device = ?').get(device) as { t: number | null }).t ?? undefined,
  };
}
