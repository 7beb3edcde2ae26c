// The web thread: the express server, its pages, API and exports, with a database connection and
// a logger of its own, so no page or export ever runs on the thread that reads the sockets.
// Started by src/web/thread.ts; what only the main thread knows (metrics, health) it asks for.

import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { createLogger } from '../log.js';
import type { HealthReport } from '../observe/health.js';
import { METRICS_CONTENT_TYPE, renderMetrics, type MetricsSnapshot } from '../observe/metrics.js';
import type { ObservePages } from '../observe/service.js';
import type { WebAccess } from './data/access.js';
import { openWebAccess } from './data/open.js';
import { startWeb } from './server.js';
import { nameThisThread } from '../thread-priority.js';

export interface WebWorkerData {
  config: Config;
  /** Serve /metrics and /healthz, asking the main thread for their contents. */
  observe: boolean;
}

export type Question = 'metrics' | 'health';

export type ToWebWorker =
  | { answer: number; metrics: MetricsSnapshot }
  | { answer: number; health: HealthReport }
  | { answer: number; error: string }
  | 'stop';

export type FromWebWorker =
  | { ready: { url: string; address: string; port: number } }
  /** A bind's failure keeps its code, call and port, so serve names the key (src/config/listeners.ts bindFailure). */
  | { error: string; code?: string; syscall?: string; port?: number }
  | { ask: number; question: Question }
  | { stopped: true };

nameThisThread('aaw-web');
const { config, observe } = workerData as WebWorkerData;
const port = parentPort!;
const log = createLogger(config.log).child({ thread: 'web' });

const waiting = new Map<number, (m: ToWebWorker) => void>();
let asked = 0;
function ask(question: Question): Promise<ToWebWorker> {
  const id = ++asked;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    port.postMessage({ ask: id, question } satisfies FromWebWorker);
  });
}

/** /metrics and /healthz answered from the main thread's state; the text is rendered here. */
const remote: ObservePages = {
  metricsContentType: METRICS_CONTENT_TYPE,
  async metricsText() {
    const m = await ask('metrics');
    if (typeof m === 'object' && 'metrics' in m) return renderMetrics([m.metrics]);
    throw new Error(typeof m === 'object' && 'error' in m ? m.error : 'no metrics');
  },
  async health() {
    const m = await ask('health');
    if (typeof m === 'object' && 'health' in m) return m.health;
    throw new Error(typeof m === 'object' && 'error' in m ? m.error : 'no health report');
  },
};

/**
 * The store, opened here, not handed over: a connection belongs to one thread. On SQLite, reads run
 * beside the store thread's writes (WAL); the few writes (sessions, decisions, the activity log)
 * take SQLite's write lock like every other writer. On PostgreSQL the thread has a pool of its own
 * (pages and exports in flight at once) and makes the web's tables where they are missing (see
 * docs/ARCHITECTURE.md, "The web thread").
 */
let access: WebAccess | undefined;
try {
  access = await openWebAccess(config, { connections: 4 });
  const web = await startWeb(config, access, log, observe ? remote : undefined);
  port.on('message', (m: ToWebWorker) => {
    if (m === 'stop') {
      void web.close().then(async () => {
        await access?.close();
        port.postMessage({ stopped: true } satisfies FromWebWorker);
      });
      return;
    }
    const answer = waiting.get(m.answer);
    waiting.delete(m.answer);
    answer?.(m);
  });
  port.postMessage({ ready: { url: web.url, address: web.address, port: web.port } } satisfies FromWebWorker);
} catch (err) {
  const e = err as NodeJS.ErrnoException & { port?: number };
  port.postMessage({ error: err instanceof Error ? err.message : String(err), code: e?.code, syscall: e?.syscall, port: e?.port } satisfies FromWebWorker);
  await access?.close();
  port.close();
}
