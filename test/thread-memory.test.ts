import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.js';
import { ThreadSink } from '../src/store/writer-thread.js';
import { PAGE_CACHE_MIB, YOUNG_GENERATION_MB, workerLimits } from '../src/thread-memory.js';

/** The largest new space (MB) a worker started with `limits` reaches while it allocates objects that survive a scavenge or two. */
function newSpaceReached(limits: ResourceLimits | undefined): Promise<number> {
  const worker = new Worker(
    `const v8 = require('node:v8');
     let keep = [];
     let most = 0;
     for (let i = 0; i < 2e6; i++) {
       keep.push({ i, s: 'x' + i });
       if (keep.length > 200000) keep = [];
       if (i % 100000 === 0) most = Math.max(most, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
     }
     require('node:worker_threads').parentPort.postMessage(most / 2 ** 20);`,
    { eval: true, ...(limits ? { resourceLimits: limits } : {}) },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (mb: number) => void worker.terminate().then(() => resolve(mb)));
    worker.once('error', reject);
  });
}

describe("serve's threads' memory limits", () => {
  let dir: string | undefined;
  let sink: ThreadSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('bound a worker\'s new space to its young generation, where a worker without one grows past it', async () => {
    // V8's new space is two semi-spaces of a third of the young generation, rounded down to a power of two.
    expect(await newSpaceReached(workerLimits('udp'))).toBeLessThanOrEqual(YOUNG_GENERATION_MB.udp);
    expect(await newSpaceReached(workerLimits('checkpoint'))).toBeLessThanOrEqual(YOUNG_GENERATION_MB.checkpoint);
    expect(await newSpaceReached(undefined)).toBeGreaterThan(YOUNG_GENERATION_MB.udp);
  }, 60_000);

  it('start the store thread with its young generation', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aaawatch-thread-memory-'));
    sink = new ThreadSink({ path: join(dir, 's.db'), keepRejectedPerReason: 10 });
    await sink.ready;
    const worker = (sink as unknown as { worker: Worker }).worker;
    expect(worker.resourceLimits?.maxYoungGenerationSizeMb).toBe(YOUNG_GENERATION_MB.store);
    expect(YOUNG_GENERATION_MB.udp).toBeLessThanOrEqual(4);
  });

  it("give serve's own connection a page cache of 2 MiB, the reconciliation's 8 and the store's 16", () => {
    dir = mkdtempSync(join(tmpdir(), 'aaawatch-thread-memory-'));
    const path = join(dir, 's.db');
    for (const [which, mib] of [['serve', 2], ['reconcile', 8], ['store', 16]] as const) {
      expect(PAGE_CACHE_MIB[which]).toBe(mib);
      const db = openDatabase(path, { cacheMiB: PAGE_CACHE_MIB[which] });
      // Negative: KiB, whatever the page size.
      expect(db.pragma('cache_size', { simple: true })).toBe(-mib * 1024);
      db.close();
    }
  });
});
