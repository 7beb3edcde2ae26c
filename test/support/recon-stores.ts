// The pull and estate stores opened on a fresh store of either engine (test/support/engines.ts),
// with one way to read rows back for both: SQL written with `?` parameters, integers as numbers.

import pg from 'pg';
import { sqlitePullStore, type PullStore } from '../../src/pull/pull-store.js';
import { sqliteEstateStore, type EstateStore } from '../../src/reconcile/estate-store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { PgEstateStore } from '../../src/store/pg/estate-store.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { PgPullStore } from '../../src/store/pg/pull-store.js';
import type { StoreTarget } from './engines.js';
import type { batchesFor } from './ingest-batches.js';

export type Row = Record<string, unknown>;

export interface ReconStores {
  pulls: PullStore;
  estate: EstateStore;
  /** Rows of a query written with `?` parameters; integers as numbers on both engines. */
  rows(sql: string, ...args: unknown[]): Promise<Row[]>;
  /** Run a statement written with `?` parameters. */
  run(sql: string, ...args: unknown[]): Promise<void>;
  /** A PostgreSQL pool on the store (undefined on SQLite). */
  pool: pg.Pool | undefined;
  close(): Promise<void>;
}

// bigint (oid 20) read as a number, as SQLite's integers are, for the tests' own reads only.
const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig;

export async function openReconStores(target: StoreTarget, collector = 'c1'): Promise<ReconStores> {
  if (target.kind === 'sqlite') {
    const db: Db = openDatabase(target.path);
    return {
      pulls: sqlitePullStore(db),
      estate: sqliteEstateStore(db),
      rows: async (sql, ...args) => db.prepare(sql).all(...args) as Row[],
      run: async (sql, ...args) => void db.prepare(sql).run(...args),
      pool: undefined,
      close: async () => void db.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10 });
  pool.on('error', () => undefined);
  await createIngestTables(pool);
  await createPullTables(pool);
  const numbered = (sql: string): string => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    pulls: new PgPullStore(pool, collector),
    estate: new PgEstateStore(pool),
    rows: async (sql, ...args) => (await pool.query<Row>({ text: numbered(sql), values: args, types })).rows,
    run: async (sql, ...args) => void (await pool.query(numbered(sql), args)),
    pool,
    close: () => pool.end(),
  };
}

/**
 * Writes batches (batchesFor's) by the engine's own store writer: SQLite's BatchStore, then moved into
 * the index tables as the store thread moves them (account-created reads those); PostgreSQL's
 * PgBatchWriter into `collector`'s chain.
 */
export async function storeBatches(target: StoreTarget, e: ReconStores, batches: ReturnType<typeof batchesFor>, collector = 'c1'): Promise<void> {
  if (target.kind === 'sqlite') {
    const db = openDatabase(target.path);
    for (const b of batches) new BatchStore(db, 100).write(b);
    new IndexMover(db).moveAll();
    db.close();
  } else for (const b of batches) await new PgBatchWriter(e.pool!, collector, 100).write(b);
}
