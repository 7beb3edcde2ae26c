// Copies a SQLite store into a PostgreSQL store (`aaawatch migrate`), in one PostgreSQL
// transaction, so a failure leaves nothing of it behind:
//
// - the collector's own rows: every ingest table (src/store/schema/ingest.ts) and its purge log (CHAIN_PURGES);
// - the estate's: findings and their history, pulls (snapshots, accounts and their changes, host
//   keys, runs, state), reconciliation's tables and the web's (users, tokens, sessions, the
//   activity log), the tables src/store/schema/pull.ts and web.ts describe, with SQLite's ids, since
//   rows cite each other and the records by id (a finding's evidence, an account's snapshots, a
//   token's user). The estate is one per database: it is copied into a target that holds none
//   (or, with --replace, whose estate it replaces), and left alone with --records-only.
//   Reconciliation's positions (reconcile_state) are the exception: their names mean other things
//   on PostgreSQL, so they are translated for the collector (copy-positions.ts).
//
// The records keep their hashes: the SQLite chain becomes the collector's chain, checked record
// by record as it is read (a broken source chain is refused, naming the record), so what lands in
// PostgreSQL verifies with the head SQLite's verify ends on. They keep their ids too, unless
// another collector's records hold those numbers: then they are numbered after the target's, and
// only a store with no estate and no purges may be copied so (what cites them would point
// elsewhere). Rows are read from one SQLite read transaction (a consistent snapshot even while
// `serve` writes) and sent in batches, the next batch read while the last is written, each as one
// array per column: memory stays bounded by the batch, not the store.

import type pg from 'pg';
import type { Db } from '../db.js';
import { GENESIS, chainBody, hashBody, type ChainedFields } from '../chain.js';
import { unescapeBytes } from '../raw-bytes.js';
import { copyPositions, forgetCollectorPositions } from './copy-positions.js';
import { createIngestTables, createTables } from './migrate.js';
import { pgText, type SqlValue } from './multi-insert.js';
import { CHAIN_PURGES, INGEST_TABLES, RECORD_COLUMNS } from '../schema/ingest.js';
import { LEASE_TABLE, PULL_TABLES } from '../schema/pull.js';
import { onEngine, tablesOn, type ColumnType, type EngineTable, type Table } from '../schema/table.js';
import { WEB_TABLES } from '../schema/web.js';
import { ignoreCheckedOutError } from './transaction.js';

const pgValue = (v: SqlValue): SqlValue => (typeof v === 'string' ? pgText(v) : v);

/** Rows per INSERT: what two batches hold in memory at once. */
const BATCH_ROWS = 2_000;

/** The estate's tables: one set per database, whichever collector wrote them (leases are no data). */
const ESTATE: readonly Table[] = [...PULL_TABLES, ...WEB_TABLES].filter(
  (t, i, all) => t !== LEASE_TABLE && all.findIndex((u) => u.name === t.name) === i,
);
/** The same as PostgreSQL has them, which the copy writes. */
export const ESTATE_TABLES: readonly EngineTable[] = tablesOn('postgres', ESTATE);

/** A collector's own tables: rows marked with it. */
const COLLECTOR_TABLES: readonly EngineTable[] = tablesOn('postgres', [...INGEST_TABLES, CHAIN_PURGES]);
/** Its purge log as PostgreSQL has it. */
const PURGES = onEngine(CHAIN_PURGES, 'postgres')!;

export interface CopyOptions {
  collector: string;
  /** Replace what the target already holds of this collector, and its estate; without it, such a target is refused. */
  replace: boolean;
  /** Copy the collector's own rows only, leaving the target's estate as it is. */
  recordsOnly?: boolean;
}

export interface TableCount {
  table: string;
  rows: number;
}

export interface LeftTable extends TableCount {
  /** Why it was not copied. */
  why: string;
}

export interface CopyReport {
  collector: string;
  /** Rows copied per PostgreSQL table: the collector's tables in schema order, then the estate's. */
  tables: TableCount[];
  /** The copied chain's head, hex: the hash SQLite's verify ends on. */
  head: string;
  /** Whether the chain starts at a retention anchor rather than at genesis. */
  anchored: boolean;
  /** Whether the records kept their SQLite ids (false: numbered after the target's records). */
  idsKept: boolean;
  /** SQLite tables with rows that were not copied, and why. */
  notCopied: LeftTable[];
  /** SQLite columns holding values that have no PostgreSQL column, so were not copied: `table.column`. */
  columnsNotCopied: string[];
  /** Rows of this collector (and, with --replace, of the estate) the target held and --replace removed. */
  replaced: number;
}

/** The target already holds rows of the collector (or an estate) and --replace was not given. */
export class CollectorExists extends Error {
  override name = 'CollectorExists';
}

/** The SQLite store's own chain does not verify (or a purge is half done): copying it would copy the break. */
export class SourceChainBroken extends Error {
  override name = 'SourceChainBroken';
}

/**
 * The retention anchor (chain_heads.anchor carries it) and a purge's progress (refused while there):
 * not data. Nor are SQLite's record indexes kept as sorted tables and their moves
 * (src/store/index-moves.ts): PostgreSQL indexes the copied records itself.
 */
const NOT_DATA = new Set(['chain_anchor', 'purge_progress', 'events_by_device', 'events_by_actor', 'events_by_login', 'events_by_target', 'index_moves']);

type Row = Record<string, unknown>;

export async function copyFromSqlite(db: Db, pool: pg.Pool, opts: CopyOptions): Promise<CopyReport> {
  await createIngestTables(pool);
  await createTables(pool, [CHAIN_PURGES, ...ESTATE]);
  const client = await pool.connect();
  client.on('error', ignoreCheckedOutError);
  try {
    await client.query('BEGIN');
    // One migrate per collector at a time; a `serve` writing as the same collector waits on the
    // chain head row this transaction inserts, and continues the chain after it.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aaawatch migrate ${opts.collector}`]);
    db.exec('BEGIN');
    try {
      const pending = db.prepare('SELECT by, selection, next_id FROM purge_progress WHERE id = 1').get() as { by: string; selection: string; next_id: number } | undefined;
      if (pending) {
        throw new SourceChainBroken(`a purge of ${pending.selection} by ${pending.by} was interrupted at record ${pending.next_id}: run the same aaawatch purge-secret again to finish it, then migrate; nothing copied`);
      }
      let replaced = await clearCollector(client, opts);
      const ids = await recordIds(db, client);
      const estate = await estatePlan(db, client, opts, ids.offset);
      replaced += estate.replaced;
      await client.query('INSERT INTO chain_heads (collector, seq, hash) VALUES ($1, 0, $2)', [opts.collector, GENESIS]);
      const report = await copyTables(db, client, opts.collector, ids, estate.copy);
      await client.query('COMMIT');
      return { ...report, replaced };
    } finally {
      db.exec('COMMIT');
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', ignoreCheckedOutError);
    client.release();
  }
}

const count = async (client: pg.PoolClient, sql: string, args: unknown[] = []): Promise<number> =>
  Number((await client.query<{ n: string }>(sql, args)).rows[0]!.n);

/** Refuse a target holding the collector, or (with replace) remove its rows; returns how many were removed. */
async function clearCollector(client: pg.PoolClient, opts: CopyOptions): Promise<number> {
  const held: TableCount[] = [];
  for (const t of COLLECTOR_TABLES) {
    const rows = await count(client, `SELECT count(*) AS n FROM ${t.name} WHERE collector = $1`, [opts.collector]);
    if (rows > 0) held.push({ table: t.name, rows });
  }
  if (held.length === 0) return 0;
  if (!opts.replace) {
    const records = held.find((h) => h.table === 'events')?.rows ?? 0;
    throw new CollectorExists(
      `already holds collector ${opts.collector}'s ${records ? `chain (${records} records)` : 'rows'} ` +
        `(${held.map((h) => `${h.table} ${h.rows}`).join(', ')}); nothing copied. Give another --collector, ` +
        `or --replace to replace them with this store's`,
    );
  }
  let removed = 0;
  for (const t of COLLECTOR_TABLES) removed += (await client.query(`DELETE FROM ${t.name} WHERE collector = $1`, [opts.collector])).rowCount ?? 0;
  return removed;
}

interface RecordIds {
  /** What is added to a SQLite record id to make its PostgreSQL id: 0 when the ids are free there. */
  offset: number;
}

/**
 * Whether the records can keep their ids: none of the target's records (another collector's) holds
 * one of them. Either way the ids are taken from the identity's sequence before any is written
 * (setval is not rolled back, and is seen by every session at once), so a collector writing
 * meanwhile is given ids after them.
 */
async function recordIds(db: Db, client: pg.PoolClient): Promise<RecordIds> {
  const span = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM events').get() as { lo: number | null; hi: number | null };
  if (span.lo === null || span.hi === null) return { offset: 0 };
  const clash = await client.query('SELECT 1 FROM events WHERE id BETWEEN $1 AND $2 LIMIT 1', [span.lo, span.hi]);
  const offset = clash.rowCount ? Math.max(await sequenceNext(client, 'events'), (await count(client, 'SELECT coalesce(max(id), 0) + 1 AS n FROM events'))) - span.lo : 0;
  await reserveIds(client, 'events', span.hi + offset);
  return { offset };
}

/** The id the identity column of `table` hands out next. */
async function sequenceNext(client: pg.PoolClient, table: string): Promise<number> {
  const name = (await client.query<{ s: string }>("SELECT pg_get_serial_sequence($1, 'id') AS s", [table])).rows[0]!.s;
  const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${name}`);
  return Number(rows[0]!.last_value) + (rows[0]!.is_called ? 1 : 0);
}

/** Move `table`'s identity past `upTo`, so ids written with their own values are never handed out again. */
async function reserveIds(client: pg.PoolClient, table: string, upTo: number): Promise<void> {
  if (upTo >= (await sequenceNext(client, table))) await client.query("SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", [table, upTo]);
}

/**
 * Whether the estate is copied: the store holds one, --records-only was not given, and the target
 * holds none (or --replace empties it). Refused, copying nothing, when the target holds an estate
 * already, or when the records cannot keep their ids (the estate cites them by id).
 */
async function estatePlan(db: Db, client: pg.PoolClient, opts: CopyOptions, offset: number): Promise<{ copy: boolean; replaced: number }> {
  if (opts.recordsOnly) return { copy: false, replaced: 0 };
  const present = sqliteTables(db);
  const source = ESTATE_TABLES.filter((t) => present.has(t.name)).some((t) => db.prepare(`SELECT 1 FROM ${t.name} LIMIT 1`).get() !== undefined);
  if (!source) return { copy: false, replaced: 0 };
  const held: TableCount[] = [];
  for (const t of ESTATE_TABLES) {
    const rows = await count(client, `SELECT count(*) AS n FROM ${t.name}`);
    if (rows > 0) held.push({ table: t.name, rows });
  }
  if (held.length && !opts.replace) {
    throw new CollectorExists(
      `already holds an estate (${held.map((h) => `${h.table} ${h.rows}`).join(', ')}), from another store or a serve; nothing copied. ` +
        `Give --records-only to copy only this store's records as collector ${opts.collector}, or --replace to replace that estate with this store's`,
    );
  }
  if (offset !== 0) {
    throw new CollectorExists(
      `holds other collectors' records under the ids this store's records have, and this store's findings, pulls and activity log cite ` +
        `records by id; nothing copied. Give --records-only to copy only the records (numbered after the target's), or copy this store first`,
    );
  }
  let replaced = 0;
  for (const t of ESTATE_TABLES) replaced += (await client.query(`DELETE FROM ${t.name}`)).rowCount ?? 0;
  return { copy: true, replaced };
}

const sqliteTables = (db: Db): Set<string> =>
  new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]);

const sqliteColumnsOf = (db: Db, table: string): Set<string> => new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);

const rowsIn = (db: Db, table: string): number => db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;

async function copyTables(db: Db, client: pg.PoolClient, collector: string, ids: RecordIds, withEstate: boolean): Promise<Omit<CopyReport, 'replaced'>> {
  const present = sqliteTables(db);
  const tables: TableCount[] = [];
  const notCopied: LeftTable[] = [];
  const columnsNotCopied: string[] = [];
  let chain: { rows: number; head: Buffer; anchored: boolean } = { rows: 0, head: GENESIS, anchored: false };
  const copy = async (t: EngineTable, keepIds: boolean): Promise<void> => {
    if (!present.has(t.name)) {
      tables.push({ table: t.name, rows: 0 });
      return;
    }
    const sqliteColumns = sqliteColumnsOf(db, t.name);
    columnsNotCopied.push(...leftColumns(db, t, sqliteColumns));
    if (t.name === 'events') {
      const events = await copyEvents(db, client, collector, ids.offset);
      chain = events;
      tables.push({ table: 'events', rows: events.rows });
    } else if (t.name === 'reconcile_state') {
      // After the records: positions in them are translated to places in the copied chain.
      const left = await copyPositions(db, client, collector, chain.rows, Date.now());
      if (left.length) notCopied.push({ table: t.name, rows: left.length, why: `${left.join(', ')}: a SQLite position with no meaning on PostgreSQL (its reconcile leader looks for new pull runs itself)` });
      tables.push({ table: t.name, rows: await count(client, 'SELECT count(*) AS n FROM reconcile_state') });
    } else {
      tables.push({ table: t.name, rows: await copyTable(db, client, t, sqliteColumns, collector, keepIds) });
    }
  };
  for (const t of tablesOn('postgres', INGEST_TABLES)) if (t.name !== 'chain_heads') await copy(t, false);
  // A purge names the records it re-chained by id: copied only where they kept theirs.
  if (ids.offset === 0) await copy(PURGES, true);
  else if (present.has(CHAIN_PURGES.name) && rowsIn(db, CHAIN_PURGES.name) > 0) {
    notCopied.push({ table: CHAIN_PURGES.name, rows: rowsIn(db, CHAIN_PURGES.name), why: 'it names records by the ids they had, and they were numbered after the target\'s records' });
  }
  if (!withEstate) await forgetCollectorPositions(client, collector);
  for (const t of ESTATE_TABLES) {
    if (withEstate) await copy(t, true);
    else if (present.has(t.name) && rowsIn(db, t.name) > 0) notCopied.push({ table: t.name, rows: rowsIn(db, t.name), why: 'the estate was not copied (--records-only, or this store holds none)' });
  }
  const known = new Set([...COLLECTOR_TABLES, ...ESTATE_TABLES].map((t) => t.name));
  for (const name of [...present].filter((n) => !known.has(n) && !NOT_DATA.has(n)).sort()) {
    const rows = rowsIn(db, name);
    if (rows > 0) notCopied.push({ table: name, rows, why: 'no PostgreSQL table for it yet' });
  }
  return { collector, tables, head: chain.head.toString('hex'), anchored: chain.anchored, idsKept: ids.offset === 0, notCopied, columnsNotCopied };
}

/** SQLite columns of `t` with a value in some row and no PostgreSQL column. */
function leftColumns(db: Db, t: EngineTable, sqliteColumns: Set<string>): string[] {
  const pgColumns = new Set(t.columns.map((c) => c.name));
  return [...sqliteColumns]
    .filter((c) => !pgColumns.has(c) && db.prepare(`SELECT 1 FROM "${t.name}" WHERE "${c}" IS NOT NULL LIMIT 1`).get() !== undefined)
    .map((c) => `${t.name}.${c}`);
}

/**
 * Send rows in batches, reading the next batch while the last is written: at most two batches
 * are held at once.
 */
async function batched(client: pg.PoolClient, t: EngineTable, columns: readonly string[], rows: Iterable<SqlValue[]>): Promise<number> {
  const insert = insertColumns(t, columns);
  let batch: SqlValue[][] = [];
  let pending: Promise<unknown> = Promise.resolve();
  let n = 0;
  try {
    for (const row of rows) {
      batch.push(row);
      n++;
      if (batch.length === BATCH_ROWS) {
        await pending;
        pending = insert(client, batch);
        batch = [];
      }
    }
  } catch (err) {
    // Reading failed (a broken source chain): the batch in flight is rolled back with the rest.
    await pending.catch(() => undefined);
    throw err;
  }
  await pending;
  if (batch.length) await insert(client, batch);
  return n;
}

const ARRAY_TYPES: Record<ColumnType, string> = { id: 'bigint[]', integer: 'bigint[]', text: 'text[]', bytes: 'bytea[]' };

/**
 * An INSERT of many rows as one array per column, unnested: one parameter per column, however
 * many rows, so PostgreSQL parses and plans a short statement rather than one with a VALUES row
 * per row. Ids given are written as given (OVERRIDING SYSTEM VALUE).
 */
function insertColumns(t: EngineTable, columns: readonly string[]): (client: pg.PoolClient, rows: SqlValue[][]) => Promise<unknown> {
  const types = columns.map((c) => ARRAY_TYPES[t.columns.find((col) => col.name === c)!.type]);
  const overriding = columns.some((c) => t.columns.find((col) => col.name === c)!.type === 'id') ? ' OVERRIDING SYSTEM VALUE' : '';
  const sql = `INSERT INTO ${t.name} (${columns.map((c) => `"${c}"`).join(', ')})${overriding} SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;
  return (client, rows) => client.query(sql, columns.map((_, i) => rows.map((r) => pgValue(r[i]!))));
}

/**
 * A table other than events: the columns both engines have, in SQLite's key order. `keepIds`: an
 * identity id is written as SQLite's, and the identity moved past the largest.
 */
async function copyTable(db: Db, client: pg.PoolClient, t: EngineTable, sqliteColumns: Set<string>, collector: string, keepIds: boolean): Promise<number> {
  const copied = (c: EngineTable['columns'][number]): boolean => (keepIds || c.type !== 'id') && c.name !== 'collector';
  const columns = t.columns.filter((c) => copied(c) && sqliteColumns.has(c.name)).map((c) => c.name);
  const missing = t.columns.filter((c) => copied(c) && c.type !== 'id' && !sqliteColumns.has(c.name) && !c.nullable && c.default === undefined);
  if (missing.length) throw new Error(`the SQLite table ${t.name} has no ${missing.map((c) => c.name).join(', ')}, which PostgreSQL's needs`);
  const own = t.columns.some((c) => c.name === 'collector');
  const identity = t.columns.find((c) => c.type === 'id');
  if (keepIds && identity) {
    const hi = db.prepare(`SELECT max(${identity.name}) FROM ${t.name}`).pluck().get() as number | null;
    if (hi !== null) await reserveIds(client, t.name, hi);
  }
  const order = t.columns.some((c) => c.type === 'id') ? 'rowid' : t.primaryKey.filter((k) => k !== 'collector').join(', ');
  const rows = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${t.name} ORDER BY ${order}`).iterate() as IterableIterator<Row>;
  // A kept message whose text holds a NUL keeps its exact bytes in PostgreSQL, as the PG writer does.
  const nulBytes = t.name === 'messages' && columns.includes('raw_bytes');
  const values = function* (): Generator<SqlValue[]> {
    for (const r of rows) {
      if (nulBytes && r.raw_bytes === null && typeof r.raw === 'string' && r.raw.includes('\0')) r.raw_bytes = Buffer.from(r.raw);
      const row = columns.map((c) => r[c] as SqlValue);
      yield own ? [collector, ...row] : row;
    }
  };
  return batched(client, t, own ? ['collector', ...columns] : columns, values());
}

interface EventRow extends ChainedFields {
  id: number;
  received_at: number;
  transport: string;
  source: string | null;
  time_text: string | null;
  raw_bytes: Buffer | null;
  truncated: number;
  prev_hash: Buffer;
  hash: Buffer;
}

const EVENT_COLUMNS = [
  'id', 'collector', 'seq', ...RECORD_COLUMNS, 'body', 'received_at', 'transport', 'source', 'time_text', 'raw_bytes', 'truncated', 'prev_hash', 'hash',
] as const;

/** The records, as the collector's chain, checked as they are read, ids moved by `offset`; sets the chain head row. */
async function copyEvents(db: Db, client: pg.PoolClient, collector: string, offset: number): Promise<{ rows: number; head: Buffer; anchored: boolean }> {
  const anchor = db.prepare('SELECT before_id, hash FROM chain_anchor WHERE id = 1').get() as { before_id: number; hash: Buffer } | undefined;
  let prev = anchor?.hash ?? GENESIS;
  let seq = 0;
  const source = db
    .prepare(`SELECT id, ${RECORD_COLUMNS.join(', ')}, received_at, transport, source, time_text, raw_bytes, truncated, prev_hash, hash FROM events ORDER BY id`)
    .iterate() as IterableIterator<EventRow>;
  const broken = (id: number, reason: string): SourceChainBroken =>
    new SourceChainBroken(`its chain is broken at record ${id}: ${reason} (aaawatch verify says more); nothing copied`);
  const values = function* (): Generator<SqlValue[]> {
    for (const r of source) {
      if (anchor && seq === 0 && r.id < anchor.before_id) throw broken(r.id, 'row older than the retention anchor');
      if (!r.prev_hash.equals(prev)) throw broken(r.id, seq === 0 ? 'does not follow the chain start' : 'does not follow the row before it');
      const body = chainBody(r);
      if (!hashBody(prev, body).equals(r.hash)) throw broken(r.id, 'its content or message was changed');
      if (r.raw_bytes !== null && (r.raw === null || !unescapeBytes(r.raw).equals(r.raw_bytes))) throw broken(r.id, 'its message bytes were changed');
      seq++;
      // PostgreSQL text holds no NUL: such a record keeps its exact chain body, as the PG writer keeps it.
      const exact = body.includes('\\u0000') ? body : null;
      yield [r.id + offset, collector, seq, ...RECORD_COLUMNS.map((c) => r[c] as SqlValue), exact, r.received_at, r.transport, r.source, r.time_text, r.raw_bytes, r.truncated, r.prev_hash, r.hash];
      prev = r.hash;
    }
  };
  const rows = await batched(client, COLLECTOR_TABLES.find((t) => t.name === 'events')!, EVENT_COLUMNS, values());
  await client.query('UPDATE chain_heads SET seq = $2, hash = $3, anchor = $4 WHERE collector = $1', [collector, seq, prev, anchor ? anchor.hash : null]);
  return { rows, head: prev, anchored: anchor !== undefined };
}
