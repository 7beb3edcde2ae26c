// The ingest tables, both engines' (table.ts): records (hash-chained), kept messages, counters,
// rejected inputs, unknowns, senders; on SQLite the records' sorted index tables and the chain's
// anchor and purges under way, on PostgreSQL each collector's chain head.
//
// On PostgreSQL every ingest table carries the collector that wrote the row, and every key that
// rows are merged on includes it: two collectors never update the same row, so they never wait on
// each other's row locks, and the web can still say which collector received what.

import { INDEX_TABLES } from '../index-moves.js';
import { beyondPrefix, keyHash, keyPrefix, prefixStatistics } from '../pg/text-keys.js';
import { col, only, type Table } from './table.js';

const collector = only('postgres', col('collector', 'text'));

/** The record columns in chain-body order (src/store/chain.ts `chainBody`). */
export const RECORD_COLUMNS = [
  'kind', 'action', 'time', 'device', 'platform', 'actor', 'actor_address', 'target', 'privilege', 'role', 'grp',
  'path', 'technique', 'command', 'session', 'container', 'raw',
] as const;

const NULLABLE_RECORD = new Set<string>(['actor', 'actor_address', 'target', 'privilege', 'role', 'grp', 'path', 'technique', 'command', 'session', 'container', 'raw']);

// On PostgreSQL text a sender chooses is indexed by its prefix (pg/text-keys.ts): a whole 10 KB
// name would fail the insert. SQLite has no such limit, and indexes the whole value.
const DEVICE = keyPrefix('device');
const ACTOR = keyPrefix('actor');
const TARGET = keyPrefix('target');

export const INGEST_TABLES: Table[] = [
  {
    // One row per collector: its chain's head. Locking this row is what orders a collector's
    // writes; other collectors lock their own. SQLite's one chain's head is its last record.
    name: 'chain_heads',
    engine: 'postgres',
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
      // seq: the record's place in its collector's chain (SQLite's one chain is in id order).
      col('id', 'id'), collector, only('postgres', col('seq', 'integer')),
      ...RECORD_COLUMNS.map((name) => col(name, name === 'time' ? 'integer' : 'text', NULLABLE_RECORD.has(name))),
      // The exact chain body, kept only for a record whose text holds a NUL (PostgreSQL text cannot).
      only('postgres', col('body', 'text', true)),
      // PostgreSQL's table was made allowing NULL here; every writer gives both.
      col('received_at', 'integer', 'postgres'), col('transport', 'text', 'postgres'), col('source', 'text', true), col('time_text', 'text', true),
      // SQLite added the message's exact bytes and its truncation later (migration 011), after the hashes.
      only('sqlite', col('prev_hash', 'bytes')), only('sqlite', col('hash', 'bytes')),
      col('raw_bytes', 'bytes', true), col('truncated', 'integer', false, '0'),
      only('postgres', col('prev_hash', 'bytes')), only('postgres', col('hash', 'bytes')),
    ],
    primaryKey: ['id'],
    unique: [['collector', 'seq']],
    indexes: [
      // PostgreSQL's indexes of names a sender chose hold their prefixes (above); events_time is both engines'.
      { name: 'events_device_time_prefix', columns: [DEVICE, 'time'], engine: 'postgres' },
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
      { name: 'events_device_kind_hash', columns: [keyHash('device'), 'kind', 'time'], where: "kind IN ('command', 'account')", engine: 'postgres' },
      { name: 'events_time', columns: ['time'] },
      { name: 'events_actor_prefix', columns: [ACTOR, 'time'], engine: 'postgres' },
      { name: 'events_device_target_prefix', columns: [DEVICE, TARGET, 'time'], where: 'target IS NOT NULL', engine: 'postgres' },
      // The audit trail searched by account alone (newest first): without it PostgreSQL walks the
      // time index over every record to find one account's (5.6 s at 10M records, bench:scale-web).
      { name: 'events_target_prefix', columns: [TARGET, 'time', 'id'], where: 'target IS NOT NULL', engine: 'postgres' },
      // Each account's last login, read by reconciliation (src/store/pg/estate-store.ts); login rows
      // only, as SQLite's (migration 004), so ingest pays for it on session records alone.
      { name: 'events_logins_prefix', columns: [DEVICE, ACTOR, 'time'], where: "kind = 'session' AND action IN ('login', 'session.start')", engine: 'postgres' },
      // Each account's records newest first, as the accounts page reads them (src/web/data/pg-population.ts,
      // pg-rows.ts): its keys found by a skip scan of this index alone (the action carried, so no
      // row is read to judge one), each account's latest 200 read in (time, id) order and the read
      // stopped there. Through events_device_target, which lacks the id, PostgreSQL read and sorted
      // every record of an account to take 200 (about 1,000 an account at 10M records), and at
      // times chose the (device, time) index for a probe and read every record of the devices
      // between cursor and bound (0.3–0.5 s). Account records only, so ingest pays for it on those alone:
      // about 9.5 µs of server CPU per account record (44 → 53.5 µs for the record's insert, seven
      // alternated rounds of 20,000 in 500-row statements, load ~16), none per command record (29.5 / 31.0).
      { name: 'events_account_key_prefix', columns: [DEVICE, TARGET, 'time', 'id'], include: ['action'], where: "kind = 'account'", engine: 'postgres' },
      // The account records whose device or account name is longer than the index's prefix (hostile,
      // or none at all): the accounts page reads their keys in whole-name order from here
      // (src/web/data/pg-population.ts), as the prefix order cannot tell them apart.
      { name: 'events_account_long', columns: ['id'], where: `kind = 'account' AND (${beyondPrefix('device')} OR ${beyondPrefix('target')})`, engine: 'postgres' },
      // SQLite: the account records in stored order (account-created, src/reconcile/store.ts, and the
      // unmoved tail of events_by_target; migrations 010, 016, 020). events_target (target, device)
      // was dropped by migration 019 (0.11–0.17 WAL pages a record, BENCHMARKS.md). Its device,
      // actor, login and account indexes are tables of the store's own (events_by_device, … below;
      // src/store/index-moves.ts).
      { name: 'events_accounts', columns: ['kind'], where: "kind = 'account'", engine: 'sqlite' },
    ],
    postgres: {
      replaces: ['events_device_time', 'events_actor', 'events_device_target', 'events_target', 'events_logins', 'events_account_key'],
      derived: prefixStatistics('events', ['device', 'actor', 'target']),
    },
  },
  {
    name: 'messages',
    columns: [
      col('id', 'id'), collector, col('received_at', 'integer'), col('time', 'integer'), col('time_text', 'text', true),
      col('time_quality', 'text'), col('source', 'text', true), col('transport', 'text'), col('device', 'text'),
      col('hostname', 'text', true), col('program', 'text', true), col('facility', 'integer', true),
      // platform: SQLite's since migration 001, where a message is kept with the platform that read
      // it (purge-secret redacts it by that platform's rules); PostgreSQL's keeps none.
      col('severity', 'integer', true), only('sqlite', col('platform', 'text', true)), col('raw', 'text'), col('raw_bytes', 'bytes', true), col('truncated', 'integer', false, '0'),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'traffic',
    columns: [collector, col('hour', 'integer'), col('device', 'text'), col('program', 'text'), col('messages', 'integer'), col('recognised', 'integer')],
    primaryKey: ['collector', 'hour', 'device', 'program'],
    sqlite: { withoutRowid: true },
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
    sqlite: { withoutRowid: true },
  },
  {
    // A native accounting sender and a device it sent for or named (migration 021): a RADIUS proxy
    // has a row per NAS it relays for. Its packets that did not read, with the last one's reason
    // (migration 027; on PostgreSQL added where missing, pg/migrate.ts).
    name: 'native_senders',
    columns: [
      collector, col('transport', 'text'), col('source', 'text'), col('device', 'text'), col('first_seen', 'integer'),
      col('last_seen', 'integer'), col('accepted', 'integer'), col('last_accepted', 'integer', true), col('bad_key', 'integer'),
      col('last_bad_key', 'integer', true), col('refused', 'integer'), col('named', 'integer', false, '0'), col('last_named', 'integer', true),
      col('malformed', 'integer', false, '0'), col('last_malformed', 'integer', true), col('last_malformed_reason', 'text', true),
    ],
    primaryKey: ['collector', 'transport', 'source', 'device'],
    indexes: [{ name: 'native_senders_device', columns: ['device'], engine: 'sqlite' }],
    sqlite: { withoutRowid: true },
  },
  {
    name: 'relp_frames',
    columns: [collector, col('session', 'text'), col('source', 'text'), col('seq', 'integer'), col('digest', 'text'), col('at', 'integer')],
    primaryKey: ['collector', 'session', 'seq'],
    sqlite: { withoutRowid: true },
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

/**
 * The records of events not yet in the index table `name` (index_moves): a rowid range, filtered
 * (NOT INDEXED: a query's time range must not walk events_time over the whole store instead).
 */
const tail = (view: string, name: string, key: string, where = ''): { name: string; sql: string } => ({
  name: view,
  sql: `CREATE VIEW ${view} AS
  SELECT e.* FROM index_moves m JOIN events e NOT INDEXED ON e.id > m.moved
   WHERE m.name = '${name}' AND (e.id > m.upto OR e.${key} >= m.key)${where}`,
});

/**
 * SQLite's own ingest tables. The retention anchor and a purge under way: PostgreSQL keeps the
 * anchor in chain_heads and runs no purges of its own. The records' device, actor, login and account
 * indexes kept as tables, filled in sorted runs (migrations 017, 018, 020; src/store/index-moves.ts):
 * a B-tree index took a page of its own per record once records name more keys than a commit has
 * rows (BENCHMARKS.md, storecost, sortidx5); PostgreSQL keeps its indexes.
 */
export const SQLITE_INGEST_TABLES: Table[] = [
  {
    // Where the chain starts after retention removed older rows: the hash the first kept row follows.
    name: 'chain_anchor',
    engine: 'sqlite',
    columns: [{ ...col('id', 'integer'), sqlite: { check: 'id = 1' } }, col('before_id', 'integer'), col('hash', 'bytes'), col('removed_at', 'integer')],
    primaryKey: ['id'],
  },
  {
    // A purge under way: the records are re-chained a batch per transaction (serve keeps storing
    // meanwhile); this row says how far, so an interrupted purge is finished by running it again.
    name: 'purge_progress',
    engine: 'sqlite',
    columns: [
      { ...col('id', 'integer'), sqlite: { check: 'id = 1' } }, col('started_at', 'integer'), col('by', 'text'), col('reason', 'text'), col('selection', 'text'),
      col('from_id', 'integer'), col('next_id', 'integer'), col('prev', 'bytes'), col('anchor', 'bytes'), col('changed', 'text'), col('tables', 'text'),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'events_by_device',
    engine: 'sqlite',
    columns: [col('device', 'text'), col('time', 'integer'), col('id', 'integer')],
    primaryKey: ['device', 'time', 'id'],
    sqlite: { withoutRowid: true },
  },
  {
    // The actor's index as it was (actor, time, device, kind): the account timeline reads device and
    // kind from its entries. Records without an actor stay out: nothing looks them up by actor.
    name: 'events_by_actor',
    engine: 'sqlite',
    columns: [col('actor', 'text'), col('time', 'integer'), col('id', 'integer'), col('device', 'text'), col('kind', 'text')],
    primaryKey: ['actor', 'time', 'id'],
    sqlite: { withoutRowid: true },
  },
  {
    name: 'events_by_login',
    engine: 'sqlite',
    columns: [col('device', 'text'), col('actor', 'text'), col('time', 'integer'), col('id', 'integer')],
    primaryKey: ['device', 'actor', 'time', 'id'],
    sqlite: { withoutRowid: true },
  },
  {
    // The account records by device and account (events_device_target as it was, migration 020),
    // carrying the action: the population's keys are read from its entries alone.
    name: 'events_by_target',
    engine: 'sqlite',
    columns: [col('device', 'text'), col('target', 'text'), col('time', 'integer'), col('id', 'integer'), col('action', 'text')],
    primaryKey: ['device', 'target', 'time', 'id'],
    sqlite: { withoutRowid: true },
  },
  {
    // Per index table: every record with id <= moved is in it; a move under way has put the records
    // in (moved, upto] whose key sorts below `key` there too (`key` is '' when none is under way).
    name: 'index_moves',
    engine: 'sqlite',
    columns: [col('name', 'text'), col('moved', 'integer'), col('upto', 'integer'), col('key', 'text')],
    primaryKey: ['name'],
    sqlite: {
      withoutRowid: true,
      after: [
        // A new store's index tables hold every record (none yet).
        { name: 'index_moves', sql: `INSERT INTO index_moves (name, moved, upto, key) VALUES ${INDEX_TABLES.map((t) => `('${t.name}', 0, 0, '')`).join(', ')}` },
        tail('events_device_tail', 'device', 'device'),
        tail('events_actor_tail', 'actor', 'actor'),
        tail('events_login_tail', 'login', 'device', `\n     AND e.kind = 'session' AND e.action IN ('login', 'session.start') AND e.actor IS NOT NULL`),
        {
          // Account records only: a range of events_accounts' rowids, not of every record.
          name: 'events_target_tail',
          sql: `CREATE VIEW events_target_tail AS
  SELECT e.* FROM index_moves m JOIN events e INDEXED BY events_accounts ON e.kind = 'account' AND e.id > m.moved
   WHERE m.name = 'target' AND (e.id > m.upto OR e.device >= m.key) AND e.target IS NOT NULL`,
        },
      ],
    },
  },
];
