// The pull and estate stores opened on a fresh store of either engine (test/support/engines.ts),
// with one way to read rows back for both: SQL written with `?` parameters, integers as numbers.

import pg from 'pg';
import { sqlitePullStore, type PullStore } from '../../src/pull/pull-store.js';
import { sqliteEstateStore, type EstateStore } from '../../src/reconcile/estate-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { PgEstateStore } from '../../src/store/pg/estate-store.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { PgPullStore } from '../../src/store/pg/pull-store.js';
import type { StoreTarget } from './engines.js';

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
