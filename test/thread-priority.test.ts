// Exports run at the lowest CPU priority in the web thread and give the thread its priority back
// afterwards (src/thread-priority.ts), measured in a real worker thread through Linux's own
// per-thread nice values; on the main thread (the one that reads sockets) nothing changes. Worker
// threads are named (nameThisThread) for per-thread CPU listings; the main thread keeps its name.

import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLowestPriority, nameThisThread } from '../src/thread-priority.js';
import { REPO } from './support/corpus.js';

const module = pathToFileURL(join(REPO, 'dist/src/thread-priority.js')).href;

/** In a worker: its nice value before, during two overlapping pieces of work, and after both. */
function inWorker(): Promise<{ before: number; first: number; both: number; after: number }> {
  const code = `
    import { parentPort } from 'node:worker_threads';
    import { readlinkSync } from 'node:fs';
    import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
    import { atLowestPriority } from ${JSON.stringify(module)};
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const nice = () => getPriority(tid);
    const seen = { before: nice() };
    let release;
    const held = new Promise((r) => (release = r));
    const first = atLowestPriority(async () => { seen.first = nice(); await held; });
    await atLowestPriority(async () => { seen.both = nice(); release(); await first; });
    seen.after = nice();
    parentPort.postMessage(seen);
  `;
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
  return new Promise((resolve, reject) => {
    w.once('message', (m) => {
      resolve(m as { before: number; first: number; both: number; after: number });
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('atLowestPriority', () => {
  it.skipIf(process.platform !== 'linux')('lowers a worker thread to nice 19 while work runs and gives its priority back when none is left', async () => {
    const seen = await inWorker();
    expect(seen.first).toBe(19);
    expect(seen.both).toBe(19);
    // Raising a priority again needs root or RLIMIT_NICE (the unit's LimitNICE=+0); without either it stays low.
    const mayRaise = process.getuid?.() === 0;
    expect(seen.after).toBe(mayRaise ? seen.before : 19);
  });

  it('leaves the main thread as it is', async () => {
    const before = getPriority();
    let during: number | undefined;
    await atLowestPriority(async () => {
      during = getPriority();
    });
    expect(during).toBe(before);
  });
});

/** The name a worker gives itself, as /proc lists it for its thread id. */
function namedWorker(name: string): Promise<{ tid: number; comm: string }> {
  const code = `
    import { parentPort } from 'node:worker_threads';
    import { readlinkSync } from 'node:fs';
    import { nameThisThread } from ${JSON.stringify(module)};
    nameThisThread(${JSON.stringify(name)});
    // Kept alive until told: its /proc entry goes when the thread ends.
    parentPort.once('message', () => parentPort.close());
    parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));
  `;
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
  return new Promise((resolve, reject) => {
    w.once('message', (tid: number) => {
      try {
        resolve({ tid, comm: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() });
      } catch (err) {
        reject(err as Error);
      }
      w.postMessage('done');
    });
    w.once('error', reject);
  });
}

describe('nameThisThread', () => {
  it.skipIf(process.platform !== 'linux')('names a worker thread in /proc, cut to the 15 bytes Linux keeps', async () => {
    expect(await namedWorker('aaw-store')).toMatchObject({ comm: 'aaw-store' });
    expect((await namedWorker('aaw-reconcile-and-more')).comm).toBe('aaw-reconcile-a');
  });

  it.skipIf(process.platform !== 'linux')('leaves the main thread its name', () => {
    const before = readFileSync('/proc/thread-self/comm', 'utf8');
    nameThisThread('aaw-main');
    expect(readFileSync('/proc/thread-self/comm', 'utf8')).toBe(before);
  });
});
