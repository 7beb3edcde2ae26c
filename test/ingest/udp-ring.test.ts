// Over real sockets: datagrams waiting for the main thread are held in the ring the UDP receiving
// thread copies them into (src/ingest/udp-batch.ts, udp.ts RING_BYTES), not in the main thread's heap.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import { startUdp } from '../../src/ingest/udp.js';
import { openDatabase } from '../../src/store/db.js';
import { IngestWriter } from '../../src/store/writer.js';
import { tempDir } from '../support/temp.js';
import { pacedSender } from '../support/udp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('datagrams waiting for the main thread', () => {
  it('are held in the ring, not the main thread’s heap: 3,000 datagrams of 1,000 bytes queued add under 1 MB to it', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(join(dir, 'a.db'));
    cleanups.push(() => void db.close());
    const config = configSchema.parse({ store: { path: join(dir, 'a.db') } });
    // Only counted: nothing handed over is kept here, so the heap holds what waits, and little else.
    const writer = new IngestWriter({ write: () => undefined, behind: () => false }, { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const { pipeline } = createPipeline(config, db, writer);
    const read = pipeline.message.bind(pipeline);
    let handed = 0;
    // The main thread reads a datagram in 0.2 ms: the 12 batches wait over several turns.
    pipeline.message = (...args) => {
      handed++;
      const until = performance.now() + 0.2;
      while (performance.now() < until);
      read(...args);
    };
    const udp = await startUdp({ host: '127.0.0.1', port: 0, recvBufferBytes: 200_000, maxMessageBytes: 8192, allow: [] }, pipeline, pino({ level: 'silent' }));
    cleanups.push(() => udp.close());

    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = (): number => {
      gc();
      return v8.getHeapStatistics().used_heap_size;
    };
    const total = 3000;
    const size = 1000;
    // Sent while this thread does not turn its event loop, the kernel never dropping (pacedSender).
    const sender = pacedSender(udp.port, total, { word: 'ring', size });
    cleanups.push(sender.stop);
    // At each turn of the event loop (before the turn's batches are handled: this was scheduled
    // first), what the heap holds beyond what it held before the datagrams came.
    const before = heap();
    let most = 0;
    const probe = (): void => {
      most = Math.max(most, heap() - before);
      if (handed < total) setImmediate(probe);
    };
    setImmediate(probe);
    expect(sender.sentBlocking(15_000)).toBe(total);
    for (const end = Date.now() + 30_000; handed < total && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    expect(handed).toBe(total);
    // Posted as strings (before flood17) the queue held 3 MB of them here, which in a flood
    // outlived two scavenges and were promoted into the main thread's old space.
    expect(most).toBeLessThan(1 << 20);
  }, 60_000);
});
