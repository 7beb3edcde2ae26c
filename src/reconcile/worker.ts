// The reconciliation thread: its own database connection and logger, the ReconcileService, and
// messages from the main thread (account records stored, stop). Started by src/reconcile/thread.ts.

import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { createLogger } from '../log.js';
import { FALLBACK_BYTES } from '../store/checkpointer.js';
import { openDatabase, walPages } from '../store/db.js';
import type { FindingCount } from '../observe/metrics.js';
import type { StoreEpisode } from '../store/store-failure.js';
import { lowestPriorityForThisThread, nameThisThread } from '../thread-priority.js';
import { PAGE_CACHE_MIB } from '../thread-memory.js';
import { openFindingCounts } from '../web/data/findings.js';
import { ReconcileService } from './service.js';

export interface ReconcileWorkerData {
  config: Config;
}

export type ToWorker = 'begin' | 'account-events' | 'stop' | 'ping' | 'count-findings' | { storeResumed: StoreEpisode };
export type FromWorker =
  | { ready: true }
  | { error: string; problems?: string[] }
  | { stopped: true }
  | { pong: true }
  | { run: { ms: number; ok: boolean } }
  | { findings: FindingCount[] };

const { config } = workerData as ReconcileWorkerData;
const port = parentPort!;
nameThisThread('aaw-reconcile');
lowestPriorityForThisThread();
const db = openDatabase(config.store.path, { cacheMiB: PAGE_CACHE_MIB.reconcile });
// While serve ingests, the checkpoint thread keeps the WAL short (src/store/checkpointer.ts). At
// db.ts's 16 MiB, a commit of this thread that found the WAL past the mark (SQLite counts the
// store thread's pages too: ~8,000 of 4 KiB between two checkpoints at 20k records/s) ran a PASSIVE
// checkpoint of the store's pages here, at the lowest priority. It still checkpoints past the
// store connection's own bound, so a WAL this thread alone writes (ingest idle, a full run) stays
// bounded.
db.pragma(`wal_autocheckpoint = ${walPages(db, FALLBACK_BYTES)}`);

function serve(service: ReconcileService): void {
  port.on('message', (m: ToWorker) => {
    // The listeners are reading: the catch-up work (retention, the first full run) may start.
    if (typeof m === 'object') service.storeResumed(m.storeResumed);
    else if (m === 'begin') service.start();
    else if (m === 'account-events') service.accountEvents();
    else if (m === 'ping') port.postMessage({ pong: true } satisfies FromWorker);
    // Counted here, off the thread that reads sockets: over many findings the count takes long.
    else if (m === 'count-findings') port.postMessage({ findings: openFindingCounts(db, Date.now()) } satisfies FromWorker);
    else if (m === 'stop') {
      void service.stop().then(() => {
        db.close();
        port.postMessage({ stopped: true } satisfies FromWorker);
      });
    }
  });
}

try {
  const service = new ReconcileService({
    config,
    db,
    log: createLogger(config.log).child({ thread: 'reconcile' }),
    onRun: (run) => port.postMessage({ run } satisfies FromWorker),
  });
  serve(service);
  port.postMessage({ ready: true } satisfies FromWorker);
} catch (err) {
  const problems = (err as { problems?: unknown }).problems;
  port.postMessage({ error: err instanceof Error ? err.message : String(err), ...(Array.isArray(problems) ? { problems: problems as string[] } : {}) } satisfies FromWorker);
  db.close();
  port.close();
}
