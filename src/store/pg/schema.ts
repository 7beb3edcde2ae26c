// The ingest tables as data, rendered to PostgreSQL DDL. One description so that the SQLite
// migrations can later be rendered from it too (see README, design notes); today SQLite keeps its
// hand-written migrations and only PostgreSQL is made from this.
//
// Every ingest table carries the collector that wrote the row, and every key that rows are merged
// on includes it: two collectors never update the same row, so they never wait on each other's
// row locks, and the web can still say which collector received what.

import { beyondPrefix, keyHash, keyPrefix, prefixStatistics } from './text-keys.js';

export type ColumnType = 'id' | 'integer' | 'text' | 'bytes';

export interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  /** A constant default, as SQL. */
  default?: string;
}

export interface Index {
  name: string;
  /** Column names, or SQL expressions. */
  columns: string[];
  where?: string;
  unique?: boolean;
  /** Columns carried in the index's entries, not ordered by (PostgreSQL's INCLUDE): a filter on them needs no row. */
  include?: string[];
  /** A hash index (one column; equality only): its entries hold a hash, so a value of any length goes in. */
  hash?: boolean;
}

export interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
  unique?: string[][];
  indexes?: Index[];
  /** What PostgreSQL keeps from this table's rows itself (a summary and the trigger that maintains it), made after the table. */
  derived?: DdlObject[];
  /** Indexes (or key constraints) an older store has in place of some of `indexes`: dropped where found (migrate.ts). */
  replaces?: string[];
}

export const col = (name: string, type: ColumnType, nullable = false, dflt?: string): Column => ({
  name, type, ...(nullable ? { nullable } : {}), ...(dflt !== undefined ? { default: dflt } : {}),
});
const collector = col('collector', 'text');

/** The record columns in chain-body order (src/store/chain.ts `chainBody`). */
export const RECORD_COLUMNS = [
  'kind', 'action', 'time', 'device', 'platform', 'actor', 'actor_address', 'target', 'privilege', 'role', 'grp',
  'path', 'technique', 'command', 'session', 'container', 'raw',
] as const;

const NULLABLE_RECORD = new Set(['actor', 'actor_address', 'target', 'privilege', 'role', 'grp', 'path', 'technique', 'command', 'session', 'container', 'raw']);

// Text a sender chooses is indexed by its prefix (text-keys.ts): a whole 10 KB name would fail the insert.
const DEVICE = keyPrefix('device');
const ACTOR = keyPrefix('actor');
const TARGET = keyPrefix('target');

export const INGEST_TABLES: Table[] = [
  {
    // One row per collector: its chain's head. Locking this row is what orders a collector's
    // writes; other collectors lock their own.
    name: 'chain_heads',
    // last_write: the last batch its writer committed (PgBatchWriter), so a batch whose commit's
    // answer was lost is not stored twice when tried again. anchor: the hash its first record
    // follows when older records were removed before the chain came here (a SQLite store migrated
    // after retention, src/store/pg/copy-from-sqlite.ts); NULL: genesis.
    columns: [collector, col('seq', 'integer'), col('hash', 'bytes'), col('last_write', 'text', true), col('anchor', 'bytes', true)],
    primaryKey: ['collector'],
  },
  {
    name: 'events',
    columns: [
      col('id', 'id'), collector, col('seq', 'integer'),
      ...RECORD_COLUMNS.map((name) => col(name, name === 'time' ? 'integer' : 'text', NULLABLE_RECORD.has(name))),
      // The exact chain body, kept only for a record whose text holds a NUL (PostgreSQL text cannot).
      col('body', 'text', true),
      col('received_at', 'integer', true), col('transport', 'text', true), col('source', 'text', true),
      col('time_text', 'text', true), col('raw_bytes', 'bytes', true), col('truncated', 'integer', false, '0'),
      col('prev_hash', 'bytes'), col('hash', 'bytes'),
    ],
    primaryKey: ['id'],
    unique: [['collector', 'seq']],
    indexes: [
      { name: 'events_device_time_prefix', columns: [DEVICE, 'time'] },
      // A device's latest command and latest account record (its page, src/web/data/pg-devices.ts):
      // through the (device, time) index a device that sends none of a kind was read record by
      // record to its first (5,000 at 10M records, 278 ms from a cold cache), and through the
      // account records' index (device, target, …) a device's latest account record took all of them.
      // By the device's hash (text-keys.ts keyHash), not its prefix: an index of (device prefix,
      // kind, time) served the accounts page's key probes too, which then read every account record
      // of a device per probe (pg-population.ts; 349 ms a cursor page at 10M). Those two kinds only:
      // 3 µs of server CPU per record of a mixed feed, 80% of whose records it holds (13.0 → 16.0
      // µs, seven alternated rounds of 20,000 in 500-row statements, load ~17; by sha256, keyDigest,
      // 13.0 → 21.0; by prefix 13.0 → 17.0), where a summary table of each device's latest record
      // of each kind, kept by a trigger, cost 7 µs (15.5 → 22.5, load ~7).
      { name: 'events_device_kind_hash', columns: [keyHash('device'), 'kind', 'time'], where: "kind IN ('command', 'account')" },
      { name: 'events_time', columns: ['time'] },
      { name: 'events_actor_prefix', columns: [ACTOR, 'time'] },
      { name: 'events_device_target_prefix', columns: [DEVICE, TARGET, 'time'], where: 'target IS NOT NULL' },
      // The audit trail searched by account alone (newest first): without it PostgreSQL walks the
      // time index over every record to find one account's (5.6 s at 10M records, bench:scale-web).
      { name: 'events_target_prefix', columns: [TARGET, 'time', 'id'], where: 'target IS NOT NULL' },
      // Each account's last login, read by reconciliation (src/store/pg/estate-store.ts); login rows
      // only, as SQLite's (migration 004), so ingest pays for it on session records alone.
      { name: 'events_logins_prefix', columns: [DEVICE, ACTOR, 'time'], where: "kind = 'session' AND action IN ('login', 'session.start')" },
      // Each account's records newest first, as the accounts page reads them (src/web/data/pg-population.ts,
      // pg-rows.ts): its keys found by a skip scan of this index alone (the action carried, so no
      // row is read to judge one), each account's latest 200 read in (time, id) order and the read
      // stopped there. Through events_device_target, which lacks the id, PostgreSQL read and sorted
      // every record of an account to take 200 (about 1,000 an account at 10M records), and at
      // times chose the (device, time) index for a probe and read every record of the devices
      // between cursor and bound (0.3–0.5 s). Account records only, so ingest pays for it on those alone:
      // about 9.5 µs of server CPU per account record (44 → 53.5 µs for the record's insert, seven
      // alternated rounds of 20,000 in 500-row statements, load ~16), none per command record (29.5 / 31.0).
      { name: 'events_account_key_prefix', columns: [DEVICE, TARGET, 'time', 'id'], include: ['action'], where: "kind = 'account'" },
      // The account records whose device or account name is longer than the index's prefix (hostile,
      // or none at all): the accounts page reads their keys in whole-name order from here
      // (src/web/data/pg-population.ts), as the prefix order cannot tell them apart.
      { name: 'events_account_long', columns: ['id'], where: `kind = 'account' AND (${beyondPrefix('device')} OR ${beyondPrefix('target')})` },
    ],
    replaces: ['events_device_time', 'events_actor', 'events_device_target', 'events_target', 'events_logins', 'events_account_key'],
    derived: prefixStatistics('events', ['device', 'actor', 'target']),
  },
  {
    name: 'messages',
    columns: [
      col('id', 'id'), collector, col('received_at', 'integer'), col('time', 'integer'), col('time_text', 'text', true),
      col('time_quality', 'text'), col('source', 'text', true), col('transport', 'text'), col('device', 'text'),
      col('hostname', 'text', true), col('program', 'text', true), col('facility', 'integer', true),
      col('severity', 'integer', true), col('raw', 'text'), col('raw_bytes', 'bytes', true), col('truncated', 'integer', false, '0'),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'traffic',
    columns: [collector, col('hour', 'integer'), col('device', 'text'), col('program', 'text'), col('messages', 'integer'), col('recognised', 'integer')],
    primaryKey: ['collector', 'hour', 'device', 'program'],
  },
  {
    name: 'rejects',
    columns: [col('id', 'id'), collector, col('received_at', 'integer'), col('source', 'text', true), col('transport', 'text'), col('reason', 'text'), col('raw', 'bytes')],
    primaryKey: ['id'],
    indexes: [{ name: 'rejects_reason', columns: ['collector', 'reason', 'id'] }],
  },
  {
    name: 'unknowns',
    columns: [collector, col('device', 'text'), col('type', 'text'), col('count', 'integer'), col('first_seen', 'integer'), col('last_seen', 'integer'), col('example', 'text')],
    primaryKey: ['collector', 'device', 'type'],
  },
  {
    name: 'device_activity',
    columns: [collector, col('device', 'text'), col('source', 'text', true), col('first_seen', 'integer'), col('last_seen', 'integer')],
    primaryKey: ['collector', 'device'],
  },
  {
    name: 'device_senders',
    columns: [collector, col('device', 'text'), col('source', 'text'), col('first_seen', 'integer'), col('last_seen', 'integer')],
    primaryKey: ['collector', 'device', 'source'],
  },
  {
    name: 'native_sources',
    columns: [
      collector, col('transport', 'text'), col('source', 'text'), col('device', 'text'), col('first_seen', 'integer'),
      col('last_seen', 'integer'), col('accepted', 'integer'), col('last_accepted', 'integer', true), col('bad_key', 'integer'),
      col('last_bad_key', 'integer', true), col('refused', 'integer'),
    ],
    primaryKey: ['collector', 'transport', 'source'],
  },
  {
    name: 'relp_frames',
    columns: [collector, col('session', 'text'), col('source', 'text'), col('seq', 'integer'), col('digest', 'text'), col('at', 'integer')],
    primaryKey: ['collector', 'session', 'seq'],
  },
  {
    name: 'counters',
    columns: [collector, col('name', 'text'), col('value', 'integer'), col('updated_at', 'integer')],
    primaryKey: ['collector', 'name'],
  },
];

/**
 * A collector's purge log (SQLite's migration 015, `aaawatch purge-secret`), copied by `aaawatch
 * migrate` with its own chain and SQLite's ids: each entry names the records it re-chained by id,
 * and a migrated store's records keep theirs (copy-from-sqlite.ts). Only migrate writes it (purges
 * do not run on PostgreSQL); `verify` checks it against the collector's records (verify.ts).
 */
export const CHAIN_PURGES: Table = {
  name: 'chain_purges',
  columns: [
    collector, col('id', 'integer'), col('at', 'integer'), col('by', 'text'), col('reason', 'text'), col('selection', 'text'), col('rows', 'text'),
    col('from_id', 'integer', true), col('to_id', 'integer', true), col('anchor', 'bytes', true), col('new_hashes', 'text'),
    col('new_head', 'bytes', true), col('prev_hash', 'bytes'), col('hash', 'bytes'),
  ],
  primaryKey: ['collector', 'id'],
};

const PG_TYPES: Record<ColumnType, string> = { id: 'bigint GENERATED ALWAYS AS IDENTITY', integer: 'bigint', text: 'text', bytes: 'bytea' };

/** One object the DDL makes: its name (a table, an index, with `trigger` a trigger, with `statistics` extended statistics) and the statement(s). */
export interface DdlObject {
  name: string;
  sql: string;
  trigger?: boolean;
  statistics?: boolean;
}

/** CREATE statements for a table, its indexes and what is derived from it, safe to run again. */
export function postgresDdl(t: Table): DdlObject[] {
  // Names quoted: a column may be a word PostgreSQL reserves (web_audit.user).
  const lines = t.columns.map((c) => `  "${c.name}" ${PG_TYPES[c.type]}${c.nullable || c.type === 'id' ? '' : ' NOT NULL'}${c.default !== undefined ? ` DEFAULT ${c.default}` : ''}`);
  if (t.primaryKey.length) lines.push(`  PRIMARY KEY (${t.primaryKey.join(', ')})`);
  for (const u of t.unique ?? []) lines.push(`  UNIQUE (${u.join(', ')})`);
  return [
    { name: t.name, sql: `CREATE TABLE IF NOT EXISTS ${t.name} (\n${lines.join(',\n')}\n)` },
    ...(t.indexes ?? []).map((i) => ({
      name: i.name,
      sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${i.name} ON ${t.name}${i.hash ? ' USING hash' : ''} (${i.columns.join(', ')})${i.include ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.where ? ` WHERE ${i.where}` : ''}`,
    })),
    ...(t.derived ?? []),
  ];
}
