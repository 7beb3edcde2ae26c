// A store of either engine as reconciliation scenarios use it (test/reconcile/estate-scenario.test.ts,
// creation-citations.test.ts): syslog lines made into records by the real pipeline and written by
// the engine's own store writer (SQLite's BatchStore and index moves; PostgreSQL's PgBatchWriter, per
// collector), pulls through its pull store, reconciliation as production runs it (run.ts on SQLite,
// or the estate's run over either engine's EstateStore), and the web's data access over it.

import pg from 'pg';
import { pino } from 'pino';
import type { Config } from '../../src/config/schema.js';
import { startEstateReconciler } from '../../src/reconcile/leader.js';
import { ReconcileService } from '../../src/reconcile/service.js';
import { PgEstateStore } from '../../src/store/pg/estate-store.js';
import { Leases } from '../../src/store/pg/leases.js';
import { sqliteOutbox, type AlertOutbox } from '../../src/reconcile/alerts.js';
import { sqlitePullStore } from '../../src/pull/pull-store.js';
import { sqliteEstateStore } from '../../src/reconcile/estate-store.js';
import { reconcileEstate } from '../../src/reconcile/estate.js';
import { reconcile, type ReconcileOptions } from '../../src/reconcile/run.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { openDatabase } from '../../src/store/db.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { PgAlertOutbox } from '../../src/store/pg/estate-alerts.js';
import type { WebAccess } from '../../src/web/data/access.js';
import { createWebTables, PG_NUMBERS, pgAccess } from '../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../src/web/data/sqlite-access.js';
import type { Transport } from '../../src/types.js';
import type { StoreTarget } from './engines.js';
import { batchesFor } from './ingest-batches.js';
import { openReconStores, type ReconStores } from './recon-stores.js';

export interface RunCounts {
  reopened: number;
  created: number;
  changesJudged: number;
  unlogged: number;
  senderMismatches: number;
}

/** A store of either engine, and how a scenario writes into it, reconciles it and reads it. */
export interface Side {
  /** Records of `lines` from `source`, received at `receivedAt` (over `transport`, UDP unless given), stored by `collector` (PostgreSQL). */
  ingest(lines: string[], source: string, collector: string, receivedAt: number, transport?: Transport): Promise<void>;
  pulls: ReconStores['pulls'];
  run(options: ReconcileOptions): Promise<RunCounts>;
  rows(sql: string, ...args: unknown[]): Promise<Array<Record<string, unknown>>>;
  exec(sql: string, ...args: unknown[]): Promise<void>;
  outbox: AlertOutbox;
  /** The web's data access over the store (made at the first call). */
  access(): Promise<WebAccess>;
  close(): Promise<void>;
}

const counts = (o: RunCounts): RunCounts =>
  ({ reopened: o.reopened, created: o.created, changesJudged: o.changesJudged, unlogged: o.unlogged, senderMismatches: o.senderMismatches });

/** SQLite: BatchStore writes the records; `viaEstate` reconciles through the SQLite EstateStore instead of run.ts. */
export function sqliteSide(path: string, viaEstate = false): Side {
  const db = openDatabase(path);
  const estate = sqliteEstateStore(db);
  return {
    ingest: async (lines, source, _collector, receivedAt, transport) => {
      for (const b of batchesFor(lines, { source, receivedAt, transport })) new BatchStore(db, 100).write(b);
      // Into the index tables, as the store thread moves what it stored (src/store/index-moves.ts).
      new IndexMover(db).moveAll();
    },
    pulls: sqlitePullStore(db),
    run: async (o) => counts(viaEstate ? await reconcileEstate(estate, o) : reconcile(db, o)),
    rows: async (sql, ...args) => db.prepare(sql).all(...args) as Array<Record<string, unknown>>,
    exec: async (sql, ...args) => void db.prepare(sql).run(...args),
    outbox: sqliteOutbox(db),
    access: async () => sqliteAccess(db),
    close: async () => void db.close(),
  };
}

/** PostgreSQL: each collector's PgBatchWriter writes its records into its chain; pulls are `pulling`'s; the leader's reconcileEstate. */
export async function postgresSide(target: StoreTarget & { kind: 'postgres' }, pulling = 'b'): Promise<Side> {
  const e = await openReconStores(target, pulling);
  let web: WebAccess | undefined;
  return {
    ingest: async (lines, source, collector, receivedAt, transport) => {
      for (const b of batchesFor(lines, { source, receivedAt, transport })) await new PgBatchWriter(e.pool!, collector, 100).write(b);
    },
    pulls: e.pulls,
    run: async (o) => counts(await reconcileEstate(e.estate, o)),
    rows: e.rows,
    exec: e.run,
    outbox: new PgAlertOutbox(e.pool!, pulling),
    access: async () => {
      if (!web) {
        await createWebTables(e.pool!);
        // The web's pool reads bigint as numbers, as serve makes it (src/web/data/open.ts).
        const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
        pool.on('error', () => undefined);
        web = pgAccess(pool, true);
      }
      return web;
    },
    close: async () => {
      await web?.close();
      await e.close();
    },
  };
}

/**
 * Reconciliation running on a store as serve runs it: SQLite's service (started), or the estate
 * leader of collector `a` on PostgreSQL (on a pool of its own, the leader lease 3 s); `onRun` told of
 * each full run. Returns its stop.
 */
export function runningReconciler(target: StoreTarget, config: Config, onRun?: (run: { ms: number; ok: boolean }) => void): () => Promise<void> {
  const log = pino({ level: 'silent' });
  if (target.kind === 'sqlite') {
    const db = openDatabase(target.path);
    const service = new ReconcileService({ config, db, log, ...(onRun ? { onRun } : {}) });
    service.start();
    return async () => {
      await service.stop();
      db.close();
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4 });
  pool.on('error', () => undefined);
  const leader = startEstateReconciler({
    config, store: new PgEstateStore(pool), outbox: new PgAlertOutbox(pool, 'a'), leases: new Leases(pool, 'a', 3000), log,
    latestPullRun: async () => Number((await pool.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM pull_runs')).rows[0]!.id),
    ...(onRun ? { onRun } : {}),
  });
  return async () => {
    await leader.stop();
    await pool.end();
  };
}
