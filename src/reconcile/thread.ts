// Starting the reconciliation thread from `serve`: it reads the roster and alert destinations
// before answering, so a roster mistake stops serve at start with the file, line and field. The
// catch-up work (retention, the first full run, which over a large backlog takes seconds) waits
// for `begin`, which serve sends once its listeners are reading.

import { Worker } from 'node:worker_threads';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { ThreadState } from '../observe/health.js';
import type { FindingCount } from '../observe/metrics.js';
import type { StoreEpisode } from '../store/store-failure.js';
import { workerModule } from '../worker-module.js';
import { workerLimits } from '../thread-memory.js';
import type { FromWorker, ReconcileWorkerData, ToWorker } from './worker.js';

export interface Reconciler {
  /** Start the schedule, retention and the first run: the listeners are reading. */
  begin(): void;
  /** The store could not be written for a while and now can: raise store-unwritable. */
  storeResumed(episode: StoreEpisode): void;
  /** Ingest stored account records (ThreadSink's onAccountEvents): raise account-created now. */
  accountEvents(): void;
  /** Ask the thread to answer (it answers between runs); `state` says when an answer is awaited. */
  ping(): void;
  state(): ThreadState;
  /**
   * Unresolved findings by kind, severity and status, counted by the thread; while it is busy
   * with a run, the last count it gave (never a wait on this thread).
   */
  findingCounts(waitMs?: number): Promise<FindingCount[]>;
  stop(): Promise<void>;
}

export interface ReconcilerEvents {
  /** A full run finished: how long it took, or that it failed. */
  onRun?: (run: { ms: number; ok: boolean }) => void;
}

export function startReconciler(config: Config, log: Logger, events: ReconcilerEvents = {}): Promise<Reconciler> {
  const worker = new Worker(workerModule(import.meta.url, 'worker'), { workerData: { config } satisfies ReconcileWorkerData, resourceLimits: workerLimits('reconcile') });
  let stopped: (() => void) | undefined;
  let running = true;
  let pingSentAt: number | undefined;
  let counts: FindingCount[] = [];
  const counting: Array<() => void> = [];
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.on('message', (m: FromWorker) => {
      if ('ready' in m) {
        ready = true;
        resolve({
          begin: () => worker.postMessage('begin' satisfies ToWorker),
          storeResumed: (episode) => worker.postMessage({ storeResumed: episode } satisfies ToWorker),
          accountEvents: () => worker.postMessage('account-events' satisfies ToWorker),
          ping() {
            if (!running || pingSentAt !== undefined) return;
            pingSentAt = Date.now();
            worker.postMessage('ping' satisfies ToWorker);
          },
          state: () => ({ running, pingSentAt }),
          findingCounts(waitMs = 2000) {
            if (!running) return Promise.resolve(counts);
            return new Promise((resolve) => {
              const answer = (): void => {
                clearTimeout(timer);
                resolve(counts);
              };
              const timer = setTimeout(() => {
                const i = counting.indexOf(answer);
                if (i >= 0) counting.splice(i, 1);
                resolve(counts);
              }, waitMs);
              timer.unref();
              counting.push(answer);
              if (counting.length === 1) worker.postMessage('count-findings' satisfies ToWorker);
            });
          },
          async stop() {
            const done = new Promise<void>((r) => (stopped = r));
            worker.postMessage('stop' satisfies ToWorker);
            await done;
            await worker.terminate();
          },
        });
      } else if ('pong' in m) pingSentAt = undefined;
      else if ('findings' in m) {
        counts = m.findings;
        for (const answer of counting.splice(0)) answer();
      }
      else if ('run' in m) events.onRun?.(m.run);
      else if ('error' in m) {
        reject(m.problems ? new ConfigError(m.problems) : new Error(m.error));
        void worker.terminate();
      } else stopped?.();
    });
    worker.on('error', (err) => {
      if (!ready) reject(err);
      else log.error({ error: err.message }, 'reconciliation thread failed; ingest continues');
    });
    // A thread that ends unexpectedly must not leave stop() waiting.
    worker.on('exit', () => {
      running = false;
      stopped?.();
    });
  });
}
