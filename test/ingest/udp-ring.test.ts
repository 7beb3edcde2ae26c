// Over real sockets: datagrams waiting for the main thread are held in the ring the UDP receiving
// thread copies them into (src/ingest/udp-batch.ts, udp.ts RING_BYTES), not in the main thread's heap.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import { startUdp } from '../../src/ingest/udp.js';
import { openDatabase } from '../../src/store/db.js';
import { IngestWriter } from '../../src/store/writer.js';
import { tempDir } from '../support/temp.js';

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
    // The sender, a thread of its own, sends while the socket's receive queue holds under 64 KiB,
    // so the kernel never drops; this thread does not turn its event loop until it is done.
    const done = new Int32Array(new SharedArrayBuffer(8));
    const sender = new Worker(
      `const { workerData: w } = require('node:worker_threads');
       const fs = require('node:fs');
       const s = require('node:dgram').createSocket('udp4');
       const done = new Int32Array(w.done);
       const hex = ':' + w.port.toString(16).toUpperCase().padStart(4, '0');
       const queued = () => fs.readFileSync('/proc/net/udp', 'utf8').split('\\n').map((l) => l.trim().split(/\\s+/)).filter((c) => c[1]?.endsWith(hex)).reduce((n, c) => n + parseInt(c[4].split(':')[1], 16), 0);
       const end = Date.now() + 10000;
       let i = 0;
       const next = () => {
         if (i >= w.total || Date.now() > end) { Atomics.store(done, 1, i); Atomics.store(done, 0, 1); Atomics.notify(done, 0); s.close(); return; }
         if (i % 16 === 0 && queued() >= 65536) return void setTimeout(next, 1);
         const head = '<13>Nov  1 22:10:01 h1 app: ring ' + i++ + ' ';
         s.send(head + 'x'.repeat(w.size - head.length), w.port, '127.0.0.1', next);
       };
       next();`,
      { eval: true, workerData: { port: udp.port, total, size, done: done.buffer } },
    );
    cleanups.push(() => sender.terminate().then(() => undefined));
    // At each turn of the event loop (before the turn's batches are handled: this was scheduled
    // first), what the heap holds beyond what it held before the datagrams came.
    const before = heap();
    let most = 0;
    const probe = (): void => {
      most = Math.max(most, heap() - before);
      if (handed < total) setImmediate(probe);
    };
    setImmediate(probe);
    Atomics.wait(done, 0, 0, 15_000);
    expect(Atomics.load(done, 1)).toBe(total);
    for (const end = Date.now() + 30_000; handed < total && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    expect(handed).toBe(total);
    // Posted as strings (before flood17) the queue held 3 MB of them here, which in a flood
    // outlived two scavenges and were promoted into the main thread's old space.
    expect(most).toBeLessThan(1 << 20);
  }, 60_000);
});
