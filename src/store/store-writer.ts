// The seam between the store thread's loop (writer-worker.ts: queue, grouping, holding and
// retrying, answers) and an engine that commits batches: SQLite here, PostgreSQL in
// pg/store-writer.ts. The loop never knows which one it drives.

import type { IngestBatch } from './batch.js';
import { BatchStore } from './batch-store.js';
import { Checkpointer } from './checkpointer.js';
import { openDatabase } from './db.js';
import { IndexMover } from './index-moves.js';
import { retryable, type StoreFailure } from './store-failure.js';
import { PAGE_CACHE_MIB } from '../thread-memory.js';

export interface StoreWriter {
  /**
   * Commit batches that waited together in one transaction, all or none; the ids of each batch's
   * account records. SQLite answers at once, PostgreSQL over the network.
   */
  writeMany(batches: readonly IngestBatch[]): number[][] | Promise<number[][]>;
  /** Take the store's write lock and give it back (a ping): throws when it cannot be written. */
  probe(): void | Promise<void>;
  /** A failure that may pass (kept and retried) rather than one that fails the same way every time. */
  retryable(failure: StoreFailure): boolean;
  close(): void | Promise<void>;
  /**
   * SQLite: the events indexes kept as tables, filled in sorted runs (index-moves.ts). The loop
   * moves a run when enough records wait or ingest goes idle, one step at a time between commits.
   */
  moves?: {
    /** Records stored and not yet in every index table. */
    unmoved(): number;
    /** One step of the move under way, or the first of a new one (one transaction). */
    step(): void;
    /** A move has steps left. */
    inProgress(): boolean;
  };
}

/** Why a write failed, as the loop and the main thread report it. */
export function storeFailure(err: unknown): StoreFailure {
  const code = (err as { code?: unknown }).code;
  // Node's AggregateError (every address of a host refused) has an empty message and a code.
  const message = err instanceof Error ? err.message : String(err);
  return { error: message || (code === undefined ? String(err) : String(code)), code: code === undefined ? undefined : String(code) };
}

/** The SQLite store: one file, opened in the store thread. */
export function openSqliteWriter(path: string, keepRejectedPerReason: number): StoreWriter {
  const db = openDatabase(path, { cacheMiB: PAGE_CACHE_MIB.store });
  const store = new BatchStore(db, keepRejectedPerReason);
  // Statements are prepared; touch the busy tables once so their pages are cached before traffic.
  // This first write also shows at start whether the store can be written at all.
  store.write({ records: [], messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], native: undefined, resends: undefined, counters: [['store.started', 1]], gauges: [] });
  db.prepare('SELECT count(*) FROM (SELECT id FROM events ORDER BY id DESC LIMIT 1000)').get();
  const checkpoints = new Checkpointer(db, path);
  const mover = new IndexMover(db);
  return {
    writeMany(batches) {
      try {
        const ids = batches.length === 1 ? [store.write(batches[0]!)] : store.writeMany(batches);
        checkpoints.committed();
        return ids;
      } catch (err) {
        // A failed COMMIT (disk full) can leave the transaction open.
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    probe() {
      // No page is written, yet a store another process holds locked shows.
      try {
        db.exec('BEGIN IMMEDIATE; COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    retryable: (f) => retryable(f.code),
    moves: {
      unmoved: () => mover.unmoved(),
      step() {
        mover.moveStep();
        checkpoints.committed();
      },
      inProgress: () => mover.inProgress(),
    },
    close: async () => {
      await checkpoints.close();
      db.close();
    },
  };
}
