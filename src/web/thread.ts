// Starting the web thread from `serve` (src/web/worker.ts): pages and exports run there, so a
// long export or a slow page never holds up the thread that reads the sockets. This side answers
// the thread's questions about what only the main thread knows: the metrics and the health checks.

import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { HealthReport } from '../observe/health.js';
import type { MetricsSnapshot } from '../observe/metrics.js';
import { workerModule } from '../worker-module.js';
import type { WebServer } from './server.js';
import type { FromWebWorker, ToWebWorker, WebWorkerData } from './worker.js';

/** What the web thread may ask of the main thread: the state behind /metrics and /healthz. */
export interface ObserveSource {
  metricsSnapshot(): Promise<MetricsSnapshot>;
  health(): HealthReport;
}

export function startWebThread(config: Config, log: Logger, observe?: ObserveSource): Promise<WebServer> {
  const worker = new Worker(workerModule(import.meta.url, 'worker'), { workerData: { config, observe: observe !== undefined } satisfies WebWorkerData });
  let running = true;
  let stopped: (() => void) | undefined;
  const answer = async (id: number, question: 'metrics' | 'health'): Promise<void> => {
    let reply: ToWebWorker;
    try {
      reply = question === 'metrics' ? { answer: id, metrics: await observe!.metricsSnapshot() } : { answer: id, health: observe!.health() };
    } catch (err) {
      reply = { answer: id, error: err instanceof Error ? err.message : String(err) };
    }
    if (running) worker.postMessage(reply);
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.on('message', (m: FromWebWorker) => {
      if ('ready' in m) {
        ready = true;
        resolve({
          ...m.ready,
          // The thread's end closes its server: the health checks then find the web not listening.
          listening: () => running,
          async close() {
            if (!running) return;
            const done = new Promise<void>((r) => (stopped = r));
            worker.postMessage('stop' satisfies ToWebWorker);
            await done;
            await worker.terminate();
          },
        });
      } else if ('ask' in m) void answer(m.ask, m.question);
      else if ('error' in m) {
        reject(Object.assign(new Error(m.error), { code: m.code, syscall: m.syscall, port: m.port }));
        void worker.terminate();
      } else stopped?.();
    });
    worker.on('error', (err) => {
      if (!ready) reject(err);
      else log.error({ error: err.message }, 'web thread failed; ingest continues');
    });
    worker.on('exit', () => {
      running = false;
      if (!ready) reject(new Error('the web thread ended before it was listening'));
      stopped?.();
    });
  });
}
