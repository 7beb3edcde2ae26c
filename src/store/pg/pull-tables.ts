// The tables pulls and reconciliation write in a shared PostgreSQL store, as data (schema.ts
// renders them): the same columns as SQLite's migrations 002–004 and 010 (findings, pulls,
// reconcile; alert_outbox from estate-alerts.ts), so
// the statements that read them are the same where SQL allows. Two additions: a pull run carries
// the collector that pulled (pull_runs.collector), and the leases table (leases.ts) that decides
// who pulls a device and who reconciles.
//
// Unlike the ingest tables these are not per collector: a device's snapshots, accounts and
// findings are the estate's, written by whichever collector holds the device's pull lease (or the
// reconcile leader), so every node reads the same rows.

import type pg from 'pg';
import { ALERT_TABLE } from './estate-alerts.js';
import { FINDING_TABLES } from './finding-tables.js';
import { LEASE_TABLE } from './leases.js';
import { createTables } from './migrate.js';
import { col, type Table } from './schema.js';
import { keyDigest, keyPrefix } from './text-keys.js';

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
      col('id', 'id'), col('collector', 'text'), col('device', 'text'), col('started_at', 'integer'), col('finished_at', 'integer'),
      col('attempts', 'integer'), col('outcome', 'text'), col('failure', 'text', true), col('error', 'text', true), col('snapshot_id', 'integer', true),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'pull_runs_device', columns: ['device', 'id'] }, { name: 'pull_runs_started', columns: ['started_at'] }],
  },
  {
    name: 'pull_state',
    columns: [
      col('device', 'text'), col('last_attempt', 'integer'), col('last_success', 'integer', true), col('snapshot_id', 'integer', true),
      col('failures', 'integer'), col('last_error', 'text', true),
    ],
    primaryKey: ['device'],
  },
  {
    name: 'accounts',
    columns: [
      col('id', 'id'), col('device', 'text'), col('name', 'text'), col('privilege', 'text', true), col('roles', 'text'), col('credentials', 'text'),
      col('lines', 'text'), col('first_seen', 'integer'), col('last_seen', 'integer'), col('removed_at', 'integer', true),
      col('first_snapshot_id', 'integer'), col('last_snapshot_id', 'integer'), col('removed_snapshot_id', 'integer', true),
    ],
    primaryKey: ['id'],
    // An account's name is what a device's configuration says (the device is the inventory's name):
    // indexed by its prefix and unique by its digest, as a record's names are (text-keys.ts), so a
    // configuration naming a 10 KB account does not fail every pull of its device.
    indexes: [
      { name: 'accounts_present_digest', columns: ['device', keyDigest('name')], where: 'removed_at IS NULL', unique: true },
      { name: 'accounts_device_prefix', columns: ['device', keyPrefix('name')] },
    ],
    replaces: ['accounts_present', 'accounts_device'],
  },
  {
    name: 'account_changes',
    columns: [
      col('id', 'id'), col('account_id', 'integer'), col('device', 'text'), col('name', 'text'), col('change', 'text'), col('at', 'integer'),
      col('before', 'text', true), col('after', 'text', true), col('from_snapshot_id', 'integer', true), col('to_snapshot_id', 'integer'),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'account_changes_device', columns: ['device', 'at'] }, { name: 'account_changes_at', columns: ['at'] }],
  },
  {
    // Written by change attribution (the leader's reconciliation); read for an account's origin.
    name: 'change_attribution',
    columns: [
      col('change_id', 'integer'), col('account_id', 'integer'), col('device', 'text'), col('name', 'text'), col('change', 'text'),
      col('explained', 'integer'), col('ambiguous', 'integer'), col('at', 'integer', true), col('actor', 'text', true), col('actor_address', 'text', true),
      col('path', 'text', true), col('change_window', 'text', true), col('sentence', 'text'), col('evidence', 'text'),
    ],
    primaryKey: ['change_id'],
    indexes: [{ name: 'change_attribution_account', columns: ['account_id'] }],
  },
  {
    name: 'snapshot_audit',
    columns: [col('snapshot_id', 'integer'), col('checks', 'text')],
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

/** Make the tables (safe to run again; collectors starting together take turns under the schema lock). */
export function createPullTables(pool: pg.Pool): Promise<void> {
  return createTables(pool, PULL_TABLES);
}
