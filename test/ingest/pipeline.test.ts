// The pipeline when the store is too far behind: a UDP datagram is counted and dropped unread (it
// would be dropped once read), a TCP frame is still read (its senders are paused instead). While
// the store cannot be written, those datagrams count as dropped.store-unwritable.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createPipeline } from '../../src/ingest/service.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IngestWriter } from '../../src/store/writer.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir, 'a.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const line = '<189>12: r1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username bob privilege 15 secret *';

describe('pipeline with the store behind', () => {
  it('counts UDP datagrams as received and dropped without reading them, and reads TCP frames', () => {
    const batches: IngestBatch[] = [];
    let behind = false;
    const config = configSchema.parse({ store: { path: join(dir, 'a.db') } });
    const writer = new IngestWriter({ write: (b) => void batches.push(b), behind: () => behind }, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const { pipeline } = createPipeline(config, db, writer);
    pipeline.message(line, false, '192.0.2.1', 'udp');
    behind = true;
    for (let i = 0; i < 3; i++) pipeline.message(line, false, '192.0.2.1', 'udp');
    pipeline.message(line, false, '192.0.2.1', 'tcp');
    writer.flush();
    const counters = new Map<string, number>();
    for (const b of batches) for (const [name, n] of b.counters) counters.set(name, (counters.get(name) ?? 0) + n);
    expect(counters.get('received.udp')).toBe(4);
    expect(counters.get('dropped.store-behind')).toBe(3);
    expect(counters.get('received.tcp')).toBe(1);
    // The first datagram and the TCP frame were read: a command and an account record each.
    expect(batches.flatMap((b) => b.records)).toHaveLength(4);
    expect(batches.flatMap((b) => b.traffic).reduce((n, t) => n + t.messages, 0)).toBe(2);
  });

  it('counts UDP datagrams dropped unread as dropped.store-unwritable while the store cannot be written', () => {
    const batches: IngestBatch[] = [];
    let unwritable = false;
    const config = configSchema.parse({ store: { path: join(dir, 'a.db') } });
    const sink = { write: (b: IngestBatch) => void batches.push(b), behind: () => true, unwritable: () => unwritable };
    const writer = new IngestWriter(sink, { batchRows: 100, batchMillis: 60_000, keepRejectedPerReason: 10 });
    const { pipeline } = createPipeline(config, db, writer);
    pipeline.message(line, false, '192.0.2.1', 'udp');
    unwritable = true;
    for (let i = 0; i < 2; i++) pipeline.message(line, false, '192.0.2.1', 'udp');
    writer.flush();
    const counters = new Map<string, number>();
    for (const b of batches) for (const [name, n] of b.counters) counters.set(name, (counters.get(name) ?? 0) + n);
    expect(counters.get('received.udp')).toBe(3);
    expect(counters.get('dropped.store-behind')).toBe(1);
    expect(counters.get('dropped.store-unwritable')).toBe(2);
    expect(batches.flatMap((b) => b.records)).toHaveLength(0);
  });
});
