// Copies a SQLite store into a PostgreSQL store as one collector (`aaawatch migrate`): every table
// the PostgreSQL schema describes (schema.ts) that the SQLite store has, in one PostgreSQL
// transaction, so a failure leaves nothing of the collector behind.
//
// The records keep their hashes: the SQLite chain becomes the collector's chain, checked record
// by record as it is read (a broken source chain is refused, naming the record), so what lands in
// PostgreSQL verifies with the head SQLite's verify ends on. Rows are read from one SQLite read
// transaction (a consistent snapshot even while `serve` writes) and sent in batches, the next batch
// read while the last is written, each as one array per column: memory stays bounded by the
// batch, not the store.

import type pg from 'pg';
import type { Db } from '../db.js';
import { GENESIS, chainBody, hashBody, type ChainedFields } from '../chain.js';
import { unescapeBytes } from '../raw-bytes.js';
import { createIngestTables } from './migrate.js';
import { pgText, type SqlValue } from './multi-insert.js';
import { INGEST_TABLES, RECORD_COLUMNS, type ColumnType, type Table } from './schema.js';

const pgValue = (v: SqlValue): SqlValue => (typeof v === 'string' ? pgText(v) : v);

/** Rows per INSERT: what two batches hold in memory at once. */
const BATCH_ROWS = 2_000;

export interface CopyOptions {
  collector: string;
  /** Replace what the target already holds of this collector; without it, such a target is refused. */
  replace: boolean;
}

export interface TableCount {
  table: string;
  rows: number;
}

export interface CopyReport {
  collector: string;
  /** Rows copied per PostgreSQL table, in schema order. */
  tables: TableCount[];
  /** The copied chain's head, hex: the hash SQLite's verify ends on. */
  head: string;
  /** Whether the chain starts at a retention anchor rather than at genesis. */
  anchored: boolean;
  /** SQLite tables with rows that have no PostgreSQL table yet, so were not copied. */
  notCopied: TableCount[];
  /** SQLite columns holding values that have no PostgreSQL column, so were not copied: `table.column`. */
  columnsNotCopied: string[];
  /** Rows of this collector the target held and --replace removed. */
  replaced: number;
}

/** The target already holds rows of the collector and --replace was not given. */
export class CollectorExists extends Error {
  override name = 'CollectorExists';
}

/** The SQLite store's own chain does not verify: copying it would copy the break. */
export class SourceChainBroken extends Error {
  override name = 'SourceChainBroken';
}

/** The retention anchor, which chain_heads.anchor carries: not a table left behind. */
const NOT_DATA = new Set(['chain_anchor']);

type Row = Record<string, unknown>;

/** Columns PostgreSQL fills itself (an identity id) or that this copy sets (collector, the chain's own). */
const OWN_COLUMNS = new Set(['collector']);

export async function copyFromSqlite(db: Db, pool: pg.Pool, opts: CopyOptions): Promise<CopyReport> {
  await createIngestTables(pool);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One migrate per collector at a time; a `serve` writing as the same collector waits on the
    // chain head row this transaction inserts, and continues the chain after it.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aaawatch migrate ${opts.collector}`]);
    const replaced = await clearTarget(client, opts);
    await client.query('INSERT INTO chain_heads (collector, seq, hash) VALUES ($1, 0, $2)', [opts.collector, GENESIS]);
    db.exec('BEGIN');
    try {
      const report = await copyTables(db, client, opts.collector);
      await client.query('COMMIT');
      return { ...report, replaced };
    } finally {
      db.exec('COMMIT');
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Refuse a target holding the collector, or (with replace) remove its rows; returns how many were removed. */
async function clearTarget(client: pg.PoolClient, opts: CopyOptions): Promise<number> {
  const held: TableCount[] = [];
  for (const t of INGEST_TABLES) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t.name} WHERE collector = $1`, [opts.collector]);
    if (Number(rows[0]!.n) > 0) held.push({ table: t.name, rows: Number(rows[0]!.n) });
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
  for (const t of INGEST_TABLES) removed += (await client.query(`DELETE FROM ${t.name} WHERE collector = $1`, [opts.collector])).rowCount ?? 0;
  return removed;
}

async function copyTables(db: Db, client: pg.PoolClient, collector: string): Promise<Omit<CopyReport, 'replaced'>> {
  const sqliteTables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]));
  const tables: TableCount[] = [];
  const columnsNotCopied: string[] = [];
  let chain: { head: Buffer; anchored: boolean } = { head: GENESIS, anchored: false };
  for (const t of INGEST_TABLES) {
    if (t.name === 'chain_heads') continue;
    if (!sqliteTables.has(t.name)) {
      tables.push({ table: t.name, rows: 0 });
      continue;
    }
    const sqliteColumns = new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t.name) as string[]));
    columnsNotCopied.push(...leftColumns(db, t, sqliteColumns));
    if (t.name === 'events') {
      const events = await copyEvents(db, client, collector);
      chain = events;
      tables.push({ table: 'events', rows: events.rows });
    } else {
      tables.push({ table: t.name, rows: await copyTable(db, client, t, sqliteColumns, collector) });
    }
  }
  const pgTables = new Set(INGEST_TABLES.map((t) => t.name));
  const notCopied = [...sqliteTables]
    .filter((name) => !pgTables.has(name) && !NOT_DATA.has(name))
    .sort()
    .map((name) => ({ table: name, rows: (db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number) }))
    .filter((t) => t.rows > 0);
  return { collector, tables, head: chain.head.toString('hex'), anchored: chain.anchored, notCopied, columnsNotCopied };
}

/** SQLite columns of `t` with a value in some row and no PostgreSQL column. */
function leftColumns(db: Db, t: Table, sqliteColumns: Set<string>): string[] {
  const pgColumns = new Set(t.columns.map((c) => c.name));
  return [...sqliteColumns]
    .filter((c) => !pgColumns.has(c) && db.prepare(`SELECT 1 FROM "${t.name}" WHERE "${c}" IS NOT NULL LIMIT 1`).get() !== undefined)
    .map((c) => `${t.name}.${c}`);
}

/**
 * Send rows in batches, reading the next batch while the last is written: at most two batches
 * are held at once.
 */
async function batched(client: pg.PoolClient, table: string, columns: readonly string[], rows: Iterable<SqlValue[]>): Promise<number> {
  const insert = insertColumns(INGEST_TABLES.find((t) => t.name === table)!, columns);
  let batch: SqlValue[][] = [];
  let pending: Promise<unknown> = Promise.resolve();
  let count = 0;
  try {
    for (const row of rows) {
      batch.push(row);
      count++;
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
  return count;
}

const ARRAY_TYPES: Record<ColumnType, string> = { id: 'bigint[]', integer: 'bigint[]', text: 'text[]', bytes: 'bytea[]' };

/**
 * An INSERT of many rows as one array per column, unnested: one parameter per column, however
 * many rows, so PostgreSQL parses and plans a short statement rather than one with a VALUES row
 * per row.
 */
function insertColumns(t: Table, columns: readonly string[]): (client: pg.PoolClient, rows: SqlValue[][]) => Promise<unknown> {
  const types = columns.map((c) => ARRAY_TYPES[t.columns.find((col) => col.name === c)!.type]);
  const sql = `INSERT INTO ${t.name} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;
  return (client, rows) => client.query(sql, columns.map((_, i) => rows.map((r) => pgValue(r[i]!))));
}

/** A table other than events: the columns both engines have, in SQLite's key order. */
async function copyTable(db: Db, client: pg.PoolClient, t: Table, sqliteColumns: Set<string>, collector: string): Promise<number> {
  const columns = t.columns.filter((c) => c.type !== 'id' && !OWN_COLUMNS.has(c.name) && sqliteColumns.has(c.name)).map((c) => c.name);
  const missing = t.columns.filter((c) => c.type !== 'id' && !OWN_COLUMNS.has(c.name) && !sqliteColumns.has(c.name) && !c.nullable && c.default === undefined);
  if (missing.length) throw new Error(`the SQLite table ${t.name} has no ${missing.map((c) => c.name).join(', ')}, which PostgreSQL's needs`);
  const order = t.columns.some((c) => c.type === 'id') ? 'rowid' : t.primaryKey.filter((k) => !OWN_COLUMNS.has(k)).join(', ');
  const rows = db.prepare(`SELECT ${columns.join(', ')} FROM ${t.name} ORDER BY ${order}`).iterate() as IterableIterator<Row>;
  // A kept message whose text holds a NUL keeps its exact bytes in PostgreSQL, as the PG writer does.
  const nulBytes = t.name === 'messages' && columns.includes('raw_bytes');
  const values = function* (): Generator<SqlValue[]> {
    for (const r of rows) {
      if (nulBytes && r.raw_bytes === null && typeof r.raw === 'string' && r.raw.includes('\0')) r.raw_bytes = Buffer.from(r.raw);
      yield [collector, ...columns.map((c) => r[c] as SqlValue)];
    }
  };
  return batched(client, t.name, ['collector', ...columns], values());
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
  'collector', 'seq', ...RECORD_COLUMNS, 'body', 'received_at', 'transport', 'source', 'time_text', 'raw_bytes', 'truncated', 'prev_hash', 'hash',
] as const;

/** The records, as the collector's chain, checked as they are read; sets the chain head row. */
async function copyEvents(db: Db, client: pg.PoolClient, collector: string): Promise<{ rows: number; head: Buffer; anchored: boolean }> {
  const anchor = db.prepare('SELECT before_id, hash FROM chain_anchor WHERE id = 1').get() as { before_id: number; hash: Buffer } | undefined;
  let prev = anchor?.hash ?? GENESIS;
  let seq = 0;
  const rows = db
    .prepare(`SELECT id, ${RECORD_COLUMNS.join(', ')}, received_at, transport, source, time_text, raw_bytes, truncated, prev_hash, hash FROM events ORDER BY id`)
    .iterate() as IterableIterator<EventRow>;
  const broken = (id: number, reason: string): SourceChainBroken =>
    new SourceChainBroken(`its chain is broken at record ${id}: ${reason} (aaawatch verify says more); nothing copied`);
  const values = function* (): Generator<SqlValue[]> {
    for (const r of rows) {
      if (anchor && seq === 0 && r.id < anchor.before_id) throw broken(r.id, 'row older than the retention anchor');
      if (!r.prev_hash.equals(prev)) throw broken(r.id, seq === 0 ? 'does not follow the chain start' : 'does not follow the row before it');
      const body = chainBody(r);
      if (!hashBody(prev, body).equals(r.hash)) throw broken(r.id, 'its content or message was changed');
      if (r.raw_bytes !== null && (r.raw === null || !unescapeBytes(r.raw).equals(r.raw_bytes))) throw broken(r.id, 'its message bytes were changed');
      seq++;
      // PostgreSQL text holds no NUL: such a record keeps its exact chain body, as the PG writer keeps it.
      const exact = body.includes('\\u0000') ? body : null;
      yield [collector, seq, ...RECORD_COLUMNS.map((c) => r[c] as SqlValue), exact, r.received_at, r.transport, r.source, r.time_text, r.raw_bytes, r.truncated, r.prev_hash, r.hash];
      prev = r.hash;
    }
  };
  const count = await batched(client, 'events', EVENT_COLUMNS, values());
  await client.query('UPDATE chain_heads SET seq = $2, hash = $3, anchor = $4 WHERE collector = $1', [collector, seq, prev, anchor ? anchor.hash : null]);
  return { rows: count, head: prev, anchored: anchor !== undefined };
}
