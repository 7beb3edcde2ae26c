// Where `aaawatch import` stores what it reads: the SQLite file (its batch store, synchronous), or
// a shared PostgreSQL store as one collector (its own chain, the writer `serve` uses), the batches
// written in order behind the reading, which waits when too many are on their way.

import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createPipeline, createReader } from '../ingest/service.js';
import { Pipeline } from '../ingest/pipeline.js';
import { BatchStore } from '../store/batch-store.js';
import type { IngestBatch } from '../store/batch.js';
import { openDatabase } from '../store/db.js';
import { IndexMover, MOVE_EVERY } from '../store/index-moves.js';
import { counters, type CounterRow } from '../store/queries.js';
import { IngestWriter } from '../store/writer.js';

export interface ImportTarget {
  pipeline: Pipeline;
  writer: IngestWriter;
  /** The counters as the store holds them now (this collector's, on PostgreSQL). */
  counters(): Promise<CounterRow[]>;
  /** Waits while too many batches are on their way to the store; throws the first write's failure. */
  drain(): Promise<void>;
  /** Every batch handed over is stored. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

const writerOptions = (config: Config): ConstructorParameters<typeof IngestWriter>[1] => ({
  batchRows: config.ingest.batchRows,
  batchMillis: config.ingest.batchMillis,
  keepRejectedPerReason: config.store.keepRejectedPerReason,
});

export function sqliteImport(config: Config): ImportTarget {
  const db = openDatabase(config.store.path);
  const store = new BatchStore(db, config.store.keepRejectedPerReason);
  // Records go into the index tables every run, as the store thread moves them, and at the end.
  const mover = new IndexMover(db);
  let unmoved = 0;
  const write = (batch: IngestBatch): void => {
    store.write(batch);
    unmoved += batch.records.length;
    if (unmoved < MOVE_EVERY) return;
    mover.moveAll();
    unmoved = 0;
  };
  const writer = new IngestWriter({ write }, writerOptions(config));
  const { pipeline } = createPipeline(config, db, writer);
  return {
    pipeline, writer,
    counters: async () => counters(db),
    drain: async () => undefined,
    finish: async () => mover.moveAll(),
    close: async () => {
      db.close();
    },
  };
}

/** Batches on their way before the reading waits. */
const IN_FLIGHT = 8;

/** Thrown when `collector` is written by a running `serve`. */
export class CollectorLive extends Error {
  override name = 'CollectorLive';
}

/**
 * As `collector` on the shared store: refused (CollectorLive) while a `serve` of that collector is
 * connected (its store thread's connections name it, application_name `aaawatch NAME`): its writer
 * recognises a commit whose answer was lost by the head's last writer, which another writer in
 * between would hide, so it could store a batch twice.
 */
export async function postgresImport(config: Config, collector: string): Promise<ImportTarget> {
  const { connectPool } = await import('../store/pg/connection.js');
  const { createIngestTables } = await import('../store/pg/migrate.js');
  const { createPullTables } = await import('../store/pg/pull-tables.js');
  const { seedAccountsPg } = await import('../store/pg/ingest-reads.js');
  const { PgBatchWriter } = await import('../store/pg/batch-writer.js');
  const { pgStoreName } = await import('../store/pg/where.js');
  const url = resolveSecret(config.store.url!, 'store.url');
  const pool = await connectPool({ url, key: 'store.url' }, { max: 2, application_name: `aaawatch ${collector} (import)` });
  try {
    const live = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [`aaawatch ${collector}`]);
    if (Number(live.rows[0]!.n) > 0) {
      throw new CollectorLive(
        `collector ${collector} is live: a serve of it is connected to ${pgStoreName(url)}, and an import beside it could make its writer store a batch twice ` +
          '(it recognises a retried commit by being the last to write its chain); stop that serve, send the lines to it instead, or import as another collector (--collector NAME)',
      );
    }
    await createIngestTables(pool);
    await createPullTables(pool);
    const store = new PgBatchWriter(pool, collector, config.store.keepRejectedPerReason);
    let chain: Promise<unknown> = Promise.resolve();
    let waiting = 0;
    let failed: unknown;
    const writer = new IngestWriter({
      write: (batch: IngestBatch) => {
        waiting++;
        chain = chain.then(() => (failed === undefined ? store.write(batch) : undefined)).catch((err: unknown) => (failed ??= err)).finally(() => waiting--);
      },
    }, writerOptions(config));
    const { reader } = createReader(config, await seedAccountsPg(pool));
    const pipeline = new Pipeline(reader, writer, { storeAllMessages: config.store.storeAllMessages });
    const settled = async (): Promise<void> => {
      await chain;
      if (failed !== undefined) throw failed;
    };
    return {
      pipeline, writer,
      counters: async () => (await pool.query<CounterRow>('SELECT name, value::float8 AS value, updated_at::float8 AS updated_at FROM counters WHERE collector = $1 ORDER BY name', [collector])).rows,
      drain: async () => {
        if (waiting >= IN_FLIGHT || failed !== undefined) await settled();
      },
      finish: settled,
      close: () => pool.end(),
    };
  } catch (err) {
    await pool.end();
    throw err;
  }
}
