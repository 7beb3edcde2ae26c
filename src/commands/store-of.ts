// The store a reading command works on: the SQLite file at store.path, or, when store.url is set,
// the shared PostgreSQL store (src/store/pg/command-reads.ts) — never the SQLite file then, which
// is not the store. One interface, so each command prints the same whichever engine answers.

import type { Config } from '../config/schema.js';
import { resolveSecret } from '../config/load.js';
import type { Finding } from '../reconcile/findings.js';
import { findingHistory, getFinding, listFindings, type FindingFilter, type HistoryEntry } from '../reconcile/lifecycle.js';
import { openDatabase } from '../store/db.js';
import { accountChanges, getSnapshot, listAccounts, listPullStates, listSnapshots } from '../store/pull.js';
import type { AccountChangeRow, AccountQuery, AccountRow, PullStateRow, SnapshotRow, SnapshotSummary } from '../store/pull.js';
import { counters, nativeSources, traffic, unknownTypes, type CounterRow, type NativeSourceRow, type TrafficRow, type UnknownRow } from '../store/queries.js';
import { pgStoreName } from '../store/pg/where.js';
import { openExisting, UsageError } from './common.js';

export interface CommandStore {
  readonly engine: 'sqlite' | 'postgres';
  findings(f: FindingFilter): Promise<Finding[]>;
  finding(id: number): Promise<Finding | undefined>;
  findingHistory(id: number): Promise<HistoryEntry[]>;
  accounts(q: AccountQuery): Promise<AccountRow[]>;
  accountChanges(device: string): Promise<AccountChangeRow[]>;
  snapshots(device: string): Promise<SnapshotSummary[]>;
  snapshot(id: number): Promise<SnapshotRow | undefined>;
  pullStates(): Promise<PullStateRow[]>;
  counters(): Promise<CounterRow[]>;
  traffic(sinceMs: number): Promise<TrafficRow[]>;
  /** On PostgreSQL each collector's row apart, named. */
  nativeSources(): Promise<Array<NativeSourceRow & { collector?: string }>>;
  unknowns(device?: string): Promise<UnknownRow[]>;
}

/**
 * `work` over the configured store. `mustExist`: a SQLite file that is not there is an error
 * rather than a new, empty store.
 */
export async function withStore<T>(config: Config, work: (store: CommandStore) => Promise<T>, o: { mustExist?: boolean } = {}): Promise<T> {
  if (config.store.url === undefined) {
    const db = o.mustExist === false ? openDatabase(config.store.path) : openExisting(config);
    try {
      return await work({
        engine: 'sqlite',
        findings: async (f) => listFindings(db, f),
        finding: async (id) => getFinding(db, id),
        findingHistory: async (id) => findingHistory(db, id),
        accounts: async (q) => listAccounts(db, q),
        accountChanges: async (device) => accountChanges(db, device),
        snapshots: async (device) => listSnapshots(db, device),
        snapshot: async (id) => getSnapshot(db, id),
        pullStates: async () => listPullStates(db),
        counters: async () => counters(db),
        traffic: async (since) => traffic(db, since),
        nativeSources: async () => nativeSources(db),
        unknowns: async (device) => unknownTypes(db, device),
      });
    } finally {
      db.close();
    }
  }
  const { connectPool } = await import('../store/pg/connection.js');
  const { createIngestTables } = await import('../store/pg/migrate.js');
  const { createPullTables } = await import('../store/pg/pull-tables.js');
  const { PgCommandReads } = await import('../store/pg/command-reads.js');
  const { PG_NUMBERS } = await import('../web/data/pg-access.js');
  const pool = await connectPool({ url: resolveSecret(config.store.url, 'store.url'), key: 'store.url' }, { max: 1, types: PG_NUMBERS });
  try {
    // A database no collector has written to yet reads as empty, as a new SQLite file does.
    await createIngestTables(pool);
    await createPullTables(pool);
    const pg = new PgCommandReads(pool);
    return await work({
      engine: 'postgres',
      findings: (f) => pg.findings(f),
      finding: (id) => pg.finding(id),
      findingHistory: (id) => pg.findingHistory(id),
      accounts: (q) => pg.accounts(q),
      accountChanges: (device) => pg.accountChanges(device),
      snapshots: (device) => pg.snapshots(device),
      snapshot: (id) => pg.snapshot(id),
      pullStates: () => pg.pullStates(),
      counters: () => pg.counters(),
      traffic: (since) => pg.traffic(since),
      nativeSources: () => pg.nativeSources(),
      unknowns: (device) => pg.unknowns(device),
    });
  } finally {
    await pool.end();
  }
}

/** Where the configured store is, for a command's output: the file, or the PostgreSQL database (no user or password). */
export function storeName(config: Config): string {
  return config.store.url === undefined ? config.store.path : pgStoreName(resolveSecret(config.store.url, 'store.url'));
}

/**
 * A command that works on the SQLite file only: on a PostgreSQL store (store.url) it would read or
 * write store.path, which is not the store then, so it is refused (exit 2) instead.
 */
export function sqliteOnly(config: Config, what: string, instead = ''): void {
  if (config.store.url === undefined) return;
  throw new UsageError(
    `${what} does not run on a PostgreSQL store, and store.url names one (store.path ${config.store.path} is not the store then)` +
      `${instead ? `; ${instead}` : ''}. README, "More than one box — status"`,
  );
}
