// Data access for configuration pulls: host keys, snapshots, runs, accounts and their changes.
// Plain statements; the callers (src/pull/record.ts, the commands) decide what to write.

import { redactSecrets } from '../../parsers/lib/secrets.js';
import type { Db } from './db.js';

export interface HostKeyRow {
  device: string;
  key_type: string;
  key: Buffer;
  fingerprint: string;
  source: 'tofu' | 'known_hosts' | 'accepted';
  pinned_at: number;
  pinned_by: string | null;
  last_seen: number;
}

export interface HostKeyChangeRow {
  device: string;
  key_type: string;
  key: Buffer;
  fingerprint: string;
  first_seen: number;
  last_seen: number;
}

export interface SnapshotRow {
  id: number;
  device: string;
  platform: string;
  taken_at: number;
  hash: string;
  config: string;
  bytes: number;
}

export type SnapshotSummary = Omit<SnapshotRow, 'config'>;

export interface PullStateRow {
  device: string;
  last_attempt: number;
  last_success: number | null;
  snapshot_id: number | null;
  failures: number;
  last_error: string | null;
}

export interface AccountRow {
  id: number;
  device: string;
  name: string;
  privilege: string | null;
  roles: string;
  credentials: string;
  lines: string;
  first_seen: number;
  last_seen: number;
  removed_at: number | null;
  first_snapshot_id: number;
  last_snapshot_id: number;
  removed_snapshot_id: number | null;
}

export interface PullRunRow {
  id: number;
  device: string;
  started_at: number;
  finished_at: number;
  attempts: number;
  outcome: 'changed' | 'unchanged' | 'failed';
  failure: string | null;
  error: string | null;
  snapshot_id: number | null;
  /** When the successful attempt sent its configuration command (schema/pull.ts); null for a failure or a run stored before schema 25. */
  read_at: number | null;
}

// Host keys -------------------------------------------------------------------------------------

export function getHostKey(db: Db, device: string): HostKeyRow | undefined {
  return db.prepare('SELECT * FROM host_keys WHERE device = ?').get(device) as HostKeyRow | undefined;
}

export function listHostKeys(db: Db): HostKeyRow[] {
  return db.prepare('SELECT * FROM host_keys ORDER BY device').all() as HostKeyRow[];
}

export function pinHostKey(db: Db, row: Omit<HostKeyRow, 'last_seen'>): void {
  db.prepare(
    `INSERT INTO host_keys (device, key_type, key, fingerprint, source, pinned_at, pinned_by, last_seen)
     VALUES (@device, @key_type, @key, @fingerprint, @source, @pinned_at, @pinned_by, @pinned_at)
     ON CONFLICT (device) DO UPDATE SET key_type = excluded.key_type, key = excluded.key, fingerprint = excluded.fingerprint,
       source = excluded.source, pinned_at = excluded.pinned_at, pinned_by = excluded.pinned_by, last_seen = excluded.last_seen`,
  ).run(row);
}

export function touchHostKey(db: Db, device: string, at: number): void {
  db.prepare('UPDATE host_keys SET last_seen = ? WHERE device = ?').run(at, device);
}

export function getHostKeyChange(db: Db, device: string): HostKeyChangeRow | undefined {
  return db.prepare('SELECT * FROM host_key_changes WHERE device = ?').get(device) as HostKeyChangeRow | undefined;
}

export function listHostKeyChanges(db: Db): HostKeyChangeRow[] {
  return db.prepare('SELECT * FROM host_key_changes ORDER BY device').all() as HostKeyChangeRow[];
}

/** Remember the key a device presented instead of its pinned one (a new key replaces an older unaccepted one). */
export function noteHostKeyChange(db: Db, row: Omit<HostKeyChangeRow, 'first_seen' | 'last_seen'>, at: number): void {
  db.prepare(
    `INSERT INTO host_key_changes (device, key_type, key, fingerprint, first_seen, last_seen)
     VALUES (@device, @key_type, @key, @fingerprint, @at, @at)
     ON CONFLICT (device) DO UPDATE SET last_seen = excluded.last_seen,
       first_seen = CASE WHEN fingerprint = excluded.fingerprint THEN first_seen ELSE excluded.first_seen END,
       key_type = excluded.key_type, key = excluded.key, fingerprint = excluded.fingerprint`,
  ).run({ ...row, at });
}

export function clearHostKeyChange(db: Db, device: string): void {
  db.prepare('DELETE FROM host_key_changes WHERE device = ?').run(device);
}

// Snapshots -------------------------------------------------------------------------------------

export function latestSnapshot(db: Db, device: string): SnapshotSummary | undefined {
  return db
    .prepare('SELECT id, device, platform, taken_at, hash, bytes FROM snapshots WHERE device = ? ORDER BY id DESC LIMIT 1')
    .get(device) as SnapshotSummary | undefined;
}

export function insertSnapshot(db: Db, row: Omit<SnapshotRow, 'id'>): number {
  return Number(
    db
      .prepare('INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES (@device, @platform, @taken_at, @hash, @config, @bytes)')
      .run(row).lastInsertRowid,
  );
}

export function listSnapshots(db: Db, device: string): SnapshotSummary[] {
  return db
    .prepare('SELECT id, device, platform, taken_at, hash, bytes FROM snapshots WHERE device = ? ORDER BY id')
    .all(device) as SnapshotSummary[];
}

export function getSnapshot(db: Db, id: number): SnapshotRow | undefined {
  return db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
}

// Runs and state --------------------------------------------------------------------------------

export function insertRun(db: Db, row: Omit<PullRunRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO pull_runs (device, started_at, finished_at, attempts, outcome, failure, error, snapshot_id, read_at)
         VALUES (@device, @started_at, @finished_at, @attempts, @outcome, @failure, @error, @snapshot_id, @read_at)`,
      )
      // An error can quote what the device printed: it passes the secret gate like every kept byte.
      .run({ ...row, error: row.error === null ? null : redactSecrets(row.error) }).lastInsertRowid,
  );
}

/** The last `n` runs of a device, newest first. */
/** A pull attempt reading `device` from `at` (schema/pull.ts pulls_under_way); marks that expired go first. */
export function markUnderWay(db: Db, device: string, at: number, expiresAt: number): number {
  return db.transaction(() => {
    db.prepare('DELETE FROM pulls_under_way WHERE expires_at < ?').run(at);
    return Number(db.prepare('INSERT INTO pulls_under_way (device, started_at, expires_at) VALUES (?, ?, ?)').run(device, at, expiresAt).lastInsertRowid);
  }).immediate();
}

export function endMarks(db: Db, ids: readonly number[]): void {
  db.prepare(`DELETE FROM pulls_under_way WHERE id IN (${ids.map(() => '?').join(',')})`).run(...ids);
}

export function recentRuns(db: Db, device: string, n: number): PullRunRow[] {
  return db.prepare('SELECT * FROM pull_runs WHERE device = ? ORDER BY id DESC LIMIT ?').all(device, n) as PullRunRow[];
}

export function pruneRuns(db: Db, before: number): number {
  return db.prepare('DELETE FROM pull_runs WHERE started_at < ?').run(before).changes;
}

export function getPullState(db: Db, device: string): PullStateRow | undefined {
  return db.prepare('SELECT * FROM pull_state WHERE device = ?').get(device) as PullStateRow | undefined;
}

export function listPullStates(db: Db): PullStateRow[] {
  return db.prepare('SELECT * FROM pull_state ORDER BY device').all() as PullStateRow[];
}

export function pullSucceeded(db: Db, device: string, at: number, snapshotId: number): void {
  db.prepare(
    `INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures, last_error) VALUES (?, ?, ?, ?, 0, NULL)
     ON CONFLICT (device) DO UPDATE SET last_attempt = excluded.last_attempt, last_success = excluded.last_success,
       snapshot_id = excluded.snapshot_id, failures = 0, last_error = NULL`,
  ).run(device, at, at, snapshotId);
}

/** Count one more failed run; returns the consecutive failures so far. */
export function pullFailed(db: Db, device: string, at: number, error: string): number {
  return (
    db
      .prepare(
        `INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures, last_error) VALUES (?, ?, NULL, NULL, 1, ?)
         ON CONFLICT (device) DO UPDATE SET last_attempt = excluded.last_attempt, failures = failures + 1, last_error = excluded.last_error
         RETURNING failures`,
      )
      .get(device, at, redactSecrets(error)) as { failures: number }
  ).failures;
}

// Accounts --------------------------------------------------------------------------------------

export function presentAccounts(db: Db, device: string): AccountRow[] {
  return db.prepare('SELECT * FROM accounts WHERE device = ? AND removed_at IS NULL ORDER BY name').all(device) as AccountRow[];
}

export interface AccountQuery {
  device?: string;
  /** Include accounts that have since been removed. */
  removed?: boolean;
}

export function listAccounts(db: Db, q: AccountQuery = {}): AccountRow[] {
  const where: string[] = [];
  const args: string[] = [];
  if (q.device !== undefined) {
    where.push('device = ?');
    args.push(q.device);
  }
  if (!q.removed) where.push('removed_at IS NULL');
  return db
    .prepare(`SELECT * FROM accounts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY device, name, id`)
    .all(...args) as AccountRow[];
}

export interface AccountValues {
  privilege: string | null;
  roles: string;
  credentials: string;
  lines: string;
}

export function insertAccount(
  db: Db,
  row: AccountValues & { device: string; name: string; at: number; snapshotId: number },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
         VALUES (@device, @name, @privilege, @roles, @credentials, @lines, @at, @at, @snapshotId, @snapshotId)`,
      )
      .run(row).lastInsertRowid,
  );
}

/** The account was seen again (its values may have changed). */
export function seeAccount(db: Db, id: number, values: AccountValues, at: number, snapshotId: number): void {
  db.prepare(
    `UPDATE accounts SET privilege = @privilege, roles = @roles, credentials = @credentials, lines = @lines,
       last_seen = @at, last_snapshot_id = @snapshotId WHERE id = @id`,
  ).run({ ...values, id, at, snapshotId });
}

/**
 * A present account compared as the same but read otherwise (src/pull/record.ts): its latest change
 * takes the new reading when that change was read from this very text (its snapshot hashes the
 * same): this version reading the same configuration better, as the account row takes it. The
 * pulled state as of any time since (reconcile/store.ts PULLED_STATE_SQL, held.ts) then says what
 * the row says; left at the old reading, a later record restating the account was judged against
 * it. A change read from other text keeps what it read: the device held that then.
 */
export const REREAD_ACCOUNT_SQL = `UPDATE account_changes SET after = ?
  WHERE id = (SELECT id FROM account_changes WHERE device = ? AND name = ? ORDER BY at DESC, id DESC LIMIT 1)
    AND (SELECT hash FROM snapshots WHERE id = account_changes.to_snapshot_id) = ?`;

export function rereadAccount(db: Db, device: string, name: string, after: string, hash: string): void {
  db.prepare(REREAD_ACCOUNT_SQL).run(after, device, name, hash);
}

export function removeAccount(db: Db, id: number, at: number, snapshotId: number): void {
  db.prepare('UPDATE accounts SET removed_at = ?, removed_snapshot_id = ? WHERE id = ?').run(at, snapshotId, id);
}

export interface AccountChangeRow {
  id: number;
  account_id: number;
  device: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  at: number;
  before: string | null;
  after: string | null;
  from_snapshot_id: number | null;
  to_snapshot_id: number;
}

export function insertAccountChange(db: Db, row: Omit<AccountChangeRow, 'id'>): void {
  db.prepare(
    `INSERT INTO account_changes (account_id, device, name, change, at, before, after, from_snapshot_id, to_snapshot_id)
     VALUES (@account_id, @device, @name, @change, @at, @before, @after, @from_snapshot_id, @to_snapshot_id)`,
  ).run(row);
}

export function accountChanges(db: Db, device: string): AccountChangeRow[] {
  return db.prepare('SELECT * FROM account_changes WHERE device = ? ORDER BY id').all(device) as AccountChangeRow[];
}
