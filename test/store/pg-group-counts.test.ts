// The counts of the batches one PostgreSQL transaction carries, merged into one upsert per table
// (src/store/pg/group-counts.ts): the same traffic, device activity, senders and unknowns as the
// SQLite store keeps for the same batches written together, and names PostgreSQL holds alike
// (NUL and U+FFFD) merged rather than failing the transaction.

import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestBatch } from '../../src/store/batch.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase } from '../../src/store/db.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { batchesFor } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';

let cluster: ThrowawayPostgres;
let pool: pg.Pool;

const useradd = (host: string, n: number): string =>
  `<86>Dec  3 10:${String(n % 60).padStart(2, '0')}:00 ${host} useradd[${n}]: new user: name=u${n}, UID=${10_000 + n}, GID=100, home=/home/u${n}, shell=/bin/bash`;

describe.skipIf(!postgresAvailable())('PostgreSQL: the counts of a group of batches', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    await createIngestTables(pool);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('keeps what SQLite keeps for the same batches written together: traffic, activity, senders, unknowns, counters', async () => {
    const dbPath = join(tempDir(), 'a.db');
    // 60 devices, each heard from two senders, with chatter the platforms do not read.
    const lines = Array.from({ length: 600 }, (_, i) => (i % 5 === 4 ? `<13>Dec  3 10:00:00 host-${i % 60} app: chatter ${i}` : useradd(`host-${i % 60}`, i)));
    const batches: IngestBatch[] = [
      ...batchesFor(lines.slice(0, 300), { source: '192.0.2.1', dbPath }),
      ...batchesFor(lines.slice(300), { source: '192.0.2.2', dbPath }),
    ];
    batches[1]!.unknowns.push({ device: 'host-1', type: 'odd', count: 2, first: 5, last: 9, example: 'first' });
    batches[3]!.unknowns.push({ device: 'host-1', type: 'odd', count: 1, first: 3, last: 12, example: 'second' });
    expect(batches.length).toBeGreaterThan(4);
    await new PgBatchWriter(pool, 'g', 100).writeMany(batches);
    const db = openDatabase(dbPath);
    new BatchStore(db, 100).writeMany(batches);

    const pgRows = async (sql: string): Promise<unknown[]> => (await pool.query(sql)).rows;
    const liteRows = (sql: string): unknown[] => db.prepare(sql).all();
    expect(await pgRows("SELECT hour::int, device, program, messages::int, recognised::int FROM traffic WHERE collector = 'g' ORDER BY 1, 2, 3"))
      .toEqual(liteRows('SELECT hour, device, program, messages, recognised FROM traffic ORDER BY 1, 2, 3'));
    expect(await pgRows("SELECT device, source, first_seen::float8, last_seen::float8 FROM device_activity WHERE collector = 'g' ORDER BY 1"))
      .toEqual(liteRows('SELECT device, source, first_seen, last_seen FROM device_activity ORDER BY 1'));
    expect(await pgRows("SELECT device, source, first_seen::float8, last_seen::float8 FROM device_senders WHERE collector = 'g' ORDER BY 1, 2"))
      .toEqual(liteRows('SELECT device, source, first_seen, last_seen FROM device_senders ORDER BY 1, 2'));
    expect(await pgRows("SELECT device, type, count::int, first_seen::int, last_seen::int, example FROM unknowns WHERE collector = 'g' ORDER BY 1, 2"))
      .toEqual(liteRows('SELECT device, type, count, first_seen, last_seen, example FROM unknowns ORDER BY 1, 2'));
    expect(await pgRows("SELECT name, value::int FROM counters WHERE collector = 'g' ORDER BY 1"))
      .toEqual(liteRows("SELECT name, value FROM counters WHERE name <> 'store.started' ORDER BY 1"));
    db.close();
  });

  it('merges device names PostgreSQL holds alike (NUL stored as U+FFFD) instead of failing the transaction', async () => {
    const empty = { records: [], messages: [], hour: 493_000, rejects: [], unknowns: [], counters: [], gauges: [] };
    const batch: IngestBatch = {
      ...empty,
      traffic: [{ device: 'r\u0000x', program: 'p', messages: 1, recognised: 0 }, { device: 'r\uFFFDx', program: 'p', messages: 2, recognised: 0 }],
      activity: [{ device: 'r\u0000x', source: '192.0.2.1', first: 1, last: 1 }, { device: 'r\uFFFDx', source: '192.0.2.1', first: 2, last: 2 }],
    };
    await new PgBatchWriter(pool, 'nul', 100).write(batch);
    expect((await pool.query("SELECT device, messages::int FROM traffic WHERE collector = 'nul'")).rows).toEqual([{ device: 'r\uFFFDx', messages: 3 }]);
    expect((await pool.query("SELECT device, last_seen::int FROM device_senders WHERE collector = 'nul'")).rows).toEqual([{ device: 'r\uFFFDx', last_seen: 2 }]);
  });
});
