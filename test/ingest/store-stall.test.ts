// TCP reading while the store thread stalls for a moment: another connection holds SQLite's write
// lock, as the reconcile thread does while it writes findings (at the lowest priority, so for tens
// to hundreds of ms on a busy box). The reader goes on reading until HIGH_WATER batches wait, rather
// than stopping 8 batches in and sitting idle until the store has caught up (issue 14, idle25).

import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { holdWriteLock } from '../support/write-lock.js';

const LINE = '<189>1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi1/0/';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('TCP reading while the store stalls', () => {
  it('reads 20 batches while the write lock is held, and stores every line once it is released', async () => {
    let read = 0;
    t = await startTestIngest(
      (c) => {
        c.ingest.batchRows = 10;
        c.ingest.batchMillis = 5;
      },
      { onBatch: (counters) => counters.forEach(([name, n]) => (read += name === 'received.tcp' ? n : 0)) },
    );
    // Held for 4 s, under the store's 5 s busy timeout: the store thread waits in SQLite's busy handler.
    let released = false;
    const lock = await holdWriteLock(t.config.store.path, 4000);
    void lock.released.then(() => (released = true));
    const socket = net.connect(t.ingest.tcp!.port, '127.0.0.1');
    await once(socket, 'connect');
    // 20 writes of 10 command lines, apart, so each is read and handed over as a batch of its own.
    for (let b = 0; b < 20; b++) {
      socket.write(Array.from({ length: 10 }, (_, i) => `${LINE}${b * 10 + i}\n`).join(''));
      await sleep(30);
    }
    while (read < 200 && !released) await sleep(20);
    // All 200 lines were read while the store could not commit any of them (at 8 batches, reading stopped at ~80).
    expect(released).toBe(false);
    expect(read).toBe(200);
    socket.end();
    await lock.released;
    await t.until(() => (t!.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'command'`).get() as { n: number }).n === 200);
    expect(t.counter('received.tcp')).toBe(200);
    expect(t.counter('dropped.store-behind')).toBe(0);
  });
});
