// The tables pulls and reconciliation write, both engines' (table.ts; SQLite's migrations 003, 004
// and 010; the findings in findings.ts): pinned host keys, redacted snapshots, the local accounts
// each device holds and every change between two snapshots, the outcome of each pull, change
// attribution, the auditability checks, the alert outbox and reconciliation's positions. Two
// additions on PostgreSQL: a pull run carries the collector that pulled (pull_runs.collector), and
// the leases table decides who pulls a device and who reconciles (pg/leases.ts).
//
// Unlike the ingest tables these are not per collector: a device's snapshots, accounts and
// findings are the estate's, written by whichever collector holds the device's pull lease (or the
// reconcile leader), so every node reads the same rows.

import { keyDigest, keyPrefix } from '../pg/text-keys.js';
import { FINDING_TABLES } from './findings.js';
import { col, only, ref, type Table } from './table.js';

/**
 * Alerts waiting for delivery, delivered, or given up, per destination (migration 004;
 * src/reconcile/alerts.ts, pg/estate-alerts.ts). Each engine's queue is read by its own index:
 * SQLite's by when an alert is due, PostgreSQL's leader by destination in id order.
 */
const ALERT_TABLE: Table = {
  name: 'alert_outbox',
  columns: [
    col('id', 'id'), col('destination', 'text'), ref(col('finding_id', 'integer'), 'findings(id)'), col('event', 'text'), col('payload', 'text'), col('created_at', 'integer'),
    col('attempts', 'integer', false, '0'), col('next_at', 'integer'), col('last_error', 'text', true), col('delivered_at', 'integer', true), col('failed_at', 'integer', true),
  ],
  primaryKey: ['id'],
  indexes: [
    { name: 'alert_outbox_due', columns: ['next_at'], where: 'delivered_at IS NULL AND failed_at IS NULL', engine: 'sqlite' },
    { name: 'alert_outbox_queue', columns: ['destination', 'id'], where: 'delivered_at IS NULL AND failed_at IS NULL', engine: 'postgres' },
  ],
};

/** Who pulls a device and who reconciles, among the collectors on one PostgreSQL (pg/leases.ts); SQLite's one collector needs none. */
export const LEASE_TABLE: Table = {
  name: 'leases',
  engine: 'postgres',
  columns: [
    col('name', 'text'),
    // The process that holds it (collector name and a number per start), and its collector's name.
    col('holder', 'text'), col('collector', 'text'),
    // Milliseconds since the epoch on the database's clock.
    col('acquired_at', 'integer'), col('renewed_at', 'integer'), col('expires_at', 'integer'),
    col('token', 'integer'),
  ],
  primaryKey: ['name'],
};

export const PULL_TABLES: Table[] = [
  ...FINDING_TABLES,
  {
    name: 'host_keys',
    columns: [
      col('device', 'text'), col('key_type', 'text'), col('key', 'bytes'), col('fingerprint', 'text'), col('source', 'text'),
      col('pinned_at', 'integer'), col('pinned_by', 'text', true), col('last_seen', 'integer'),
    ],
    primaryKey: ['device'],
  },
  {
    name: 'host_key_changes',
    columns: [col('device', 'text'), col('key_type', 'text'), col('key', 'bytes'), col('fingerprint', 'text'), col('first_seen', 'integer'), col('last_seen', 'integer')],
    primaryKey: ['device'],
  },
  {
    name: 'snapshots',
    columns: [col('id', 'id'), col('device', 'text'), col('platform', 'text'), col('taken_at', 'integer'), col('hash', 'text'), col('config', 'text'), col('bytes', 'integer')],
    primaryKey: ['id'],
    indexes: [{ name: 'snapshots_device', columns: ['device', 'id'] }],
  },
  {
    name: 'pull_runs',
    columns: [
      col('id', 'id'), only('postgres', col('collector', 'text')), col('device', 'text'), col('started_at', 'integer'), col('finished_at', 'integer'),
      col('attempts', 'integer'), col('outcome', 'text'), col('failure', 'text', true), col('error', 'text', true), ref(col('snapshot_id', 'integer', true), 'snapshots(id)'),
      // When the successful attempt sent its first configuration command (src/pull/session.ts
      // configuration), on the collector's clock as started_at: what the pull read held every account
      // made before it. NULL for a failed run and for a run stored before schema 25 (reconciliation
      // then reads started_at, src/reconcile/store.ts pullReadSql).
      col('read_at', 'integer', true),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'pull_runs_device', columns: ['device', 'id'] }, { name: 'pull_runs_started', columns: ['started_at'] }],
  },
  {
    // A pull attempt reading a device now (src/pull/run.ts), removed when its outcome is stored: an
    // account record stored meanwhile as a creation (the reader did not know the account) is judged
    // once the pull has shown what the device holds (src/reconcile/under-way.ts). `expires_at` bounds
    // a mark whose pull never stored an outcome (the process killed): the attempt's total timeout.
    name: 'pulls_under_way',
    columns: [col('id', 'id'), col('device', 'text'), col('started_at', 'integer'), col('expires_at', 'integer')],
    primaryKey: ['id'],
  },
  {
    name: 'pull_state',
    columns: [
      col('device', 'text'), col('last_attempt', 'integer'), col('last_success', 'integer', true), ref(col('snapshot_id', 'integer', true), 'snapshots(id)'),
      col('failures', 'integer'), col('last_error', 'text', true),
    ],
    primaryKey: ['device'],
  },
  {
    name: 'accounts',
    columns: [
      col('id', 'id'), col('device', 'text'), col('name', 'text'), col('privilege', 'text', true), col('roles', 'text'), col('credentials', 'text'),
      col('lines', 'text'), col('first_seen', 'integer'), col('last_seen', 'integer'), col('removed_at', 'integer', true),
      ref(col('first_snapshot_id', 'integer'), 'snapshots(id)'), ref(col('last_snapshot_id', 'integer'), 'snapshots(id)'),
      ref(col('removed_snapshot_id', 'integer', true), 'snapshots(id)'),
    ],
    primaryKey: ['id'],
    // An account's name is what a device's configuration says (the device is the inventory's name):
    // indexed by its prefix and unique by its digest, as a record's names are (text-keys.ts), so a
    // configuration naming a 10 KB account does not fail every pull of its device.
    indexes: [
      { name: 'accounts_present_digest', columns: ['device', keyDigest('name')], where: 'removed_at IS NULL', unique: true, engine: 'postgres' },
      { name: 'accounts_device_prefix', columns: ['device', keyPrefix('name')], engine: 'postgres' },
      // SQLite: the same by the whole name.
      { name: 'accounts_present', columns: ['device', 'name'], where: 'removed_at IS NULL', unique: true, engine: 'sqlite' },
      { name: 'accounts_device', columns: ['device', 'name'], engine: 'sqlite' },
    ],
    postgres: { replaces: ['accounts_present', 'accounts_device'] },
  },
  {
    name: 'account_changes',
    columns: [
      col('id', 'id'), ref(col('account_id', 'integer'), 'accounts(id)'), col('device', 'text'), col('name', 'text'), col('change', 'text'), col('at', 'integer'),
      col('before', 'text', true), col('after', 'text', true), ref(col('from_snapshot_id', 'integer', true), 'snapshots(id)'),
      ref(col('to_snapshot_id', 'integer'), 'snapshots(id)'),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'account_changes_device', columns: ['device', 'at'] }, { name: 'account_changes_at', columns: ['at'] }],
  },
  {
    // Written by change attribution (the leader's reconciliation); read for an account's origin.
    name: 'change_attribution',
    columns: [
      ref(col('change_id', 'integer'), 'account_changes(id)'), ref(col('account_id', 'integer'), 'accounts(id)'), col('device', 'text'), col('name', 'text'), col('change', 'text'),
      col('explained', 'integer'), col('ambiguous', 'integer'), col('at', 'integer', true), col('actor', 'text', true), col('actor_address', 'text', true),
      col('path', 'text', true), col('change_window', 'text', true), col('sentence', 'text'), col('evidence', 'text'),
    ],
    primaryKey: ['change_id'],
    indexes: [{ name: 'change_attribution_account', columns: ['account_id'] }],
  },
  {
    name: 'snapshot_audit',
    columns: [ref(col('snapshot_id', 'integer'), 'snapshots(id)'), col('checks', 'text')],
    primaryKey: ['snapshot_id'],
  },
  {
    name: 'reconcile_state',
    columns: [col('name', 'text'), col('value', 'integer')],
    primaryKey: ['name'],
  },
  ALERT_TABLE,
  LEASE_TABLE,
];

