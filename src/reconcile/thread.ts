// Starting the reconciliation thread from `serve`: it reads the roster and alert destinations
// before answering, so a roster mistake stops serve at start with the file, line and field.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { FromWorker, ReconcileWorkerData, ToWorker } from './worker.js';

export interface Reconciler {
  /** Ingest stored account records (ThreadSink's onAccountEvents): raise account-created now. */
  accountEvents(): void;
  stop(): Promise<void>;
}

/** Built code runs `worker.js` beside this file; under the test runner the worker registers tsx first (as src/store/writer-thread.ts does). */
function workerUrl(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./worker.js', import.meta.url);
  const source = new URL('./worker.ts', import.meta.url).href;
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(boot));
}

export function startReconciler(config: Config, log: Logger): Promise<Reconciler> {
  // A small young generation: this thread allocates in bursts, and every megabyte counts in RSS.
  const worker = new Worker(workerUrl(), { workerData: { config } satisfies ReconcileWorkerData, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  let stopped: (() => void) | undefined;
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.on('message', (m: FromWorker) => {
      if ('ready' in m) {
        ready = true;
        resolve({
          accountEvents: () => worker.postMessage('account-events' satisfies ToWorker),
          async stop() {
            const done = new Promise<void>((r) => (stopped = r));
            worker.postMessage('stop' satisfies ToWorker);
            await done;
            await worker.terminate();
          },
        });
      } else if ('error' in m) {
        reject(m.problems ? new ConfigError(m.problems) : new Error(m.error));
        void worker.terminate();
      } else stopped?.();
    });
    worker.on('error', (err) => {
      if (!ready) reject(err);
      else log.error({ error: err.message }, 'reconciliation thread failed; ingest continues');
    });
    // A thread that ends unexpectedly must not leave stop() waiting.
    worker.on('exit', () => stopped?.());
  });
}
