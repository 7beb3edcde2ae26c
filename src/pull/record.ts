// Writing a pull's outcome: the snapshot (only when the redacted configuration changed), the
// accounts with what changed since the last pull, the host key, the run, and the findings a
// failure raises. Each outcome is one transaction, begun IMMEDIATE: it reads (the last snapshot,
// the accounts, the pinned key) before it writes, and a DEFERRED one begun that way is upgraded to
// a writer when it first writes, which SQLite refuses at once (SQLITE_BUSY, or SQLITE_BUSY_SNAPSHOT
// when another connection committed since its read) without waiting in the busy handler: 3 of 20
// command-line pulls beside a serve storing 1,000 lines/s failed so (pull22). IMMEDIATE takes the
// write lock first, waiting its turn for up to the connection's busy timeout (db.ts).

import { raiseFinding, type NewFinding } from '../reconcile/findings.js';
import type { Db } from '../store/db.js';
import {
  clearHostKeyChange,
  getHostKey,
  getHostKeyChange,
  insertAccount,
  insertAccountChange,
  insertRun,
  insertSnapshot,
  latestSnapshot,
  noteHostKeyChange,
  pinHostKey,
  presentAccounts,
  pullFailed,
  pullSucceeded,
  recentRuns,
  removeAccount,
  rereadAccount,
  seeAccount,
  touchHostKey,
  type AccountRow,
  type AccountValues,
  type HostKeyChangeRow,
} from '../store/pull.js';
import type { LocalAccount } from '../types.js';
import { compareAccounts, facts, readAlike, type Comparison, type KnownAccount } from './account-changes.js';
import { roleReading } from '../reconcile/privilege.js';
import type { Digest } from './digest.js';
import type { PullError } from './errors.js';
import { HostKeyChanged } from './errors.js';
import type { HostKey } from './hostkeys.js';

export interface AccountCounts {
  added: number;
  removed: number;
  changed: number;
}

export interface Success {
  device: string;
  platform: string;
  startedAt: number;
  /**
   * When the successful attempt sent its configuration command (session.ts configuration): an
   * account made before it is in what the pull read. Absent for a pull stated without it (tests
   * that give only a start): reconciliation then reads the start (src/reconcile/store.ts pullReadSql).
   */
  readAt?: number;
  finishedAt: number;
  attempts: number;
  digest: Digest;
  hostKey: HostKey;
  /** Where trust in the key came from; a first key is pinned with this source. */
  keySource: 'tofu' | 'known_hosts';
}

/** How a pull's accounts are compared with the last pull's (both engines): by ranking; reread when the text is the same. */
export function comparison(platform: string, sameText: boolean): Comparison {
  return { roleKey: roleReading(platform), reread: sameText };
}

/** A stored account as compareAccounts reads it (both engines). */
export function known(row: Pick<AccountRow, 'id' | 'name' | 'privilege' | 'roles' | 'credentials'>): KnownAccount {
  return {
    id: row.id,
    name: row.name,
    ...(row.privilege !== null ? { privilege: row.privilege } : {}),
    roles: JSON.parse(row.roles) as string[],
    credentials: JSON.parse(row.credentials) as KnownAccount['credentials'],
  };
}

/** A pulled account's stored values (both engines). */
export function values(a: LocalAccount): AccountValues {
  return { privilege: a.privilege ?? null, roles: JSON.stringify(a.roles), credentials: JSON.stringify(a.credentials), lines: JSON.stringify(a.lines) };
}

export function recordSuccess(db: Db, s: Success): { changed: boolean; snapshotId: number; accounts: AccountCounts } {
  return db.transaction(() => {
    const at = s.finishedAt;
    const previous = latestSnapshot(db, s.device);
    const changed = !previous || previous.hash !== s.digest.hash;
    const snapshotId = changed
      ? insertSnapshot(db, { device: s.device, platform: s.platform, taken_at: at, hash: s.digest.hash, config: s.digest.redacted, bytes: Buffer.byteLength(s.digest.redacted) })
      : previous.id;
    const counts: AccountCounts = { added: 0, removed: 0, changed: 0 };
    const change = (accountId: number, name: string, kind: 'added' | 'removed' | 'changed', before: KnownAccount | undefined, after: LocalAccount | undefined): void => {
      counts[kind]++;
      insertAccountChange(db, {
        account_id: accountId, device: s.device, name, change: kind, at,
        before: before ? JSON.stringify(facts(before)) : null,
        after: after ? JSON.stringify(facts(after)) : null,
        from_snapshot_id: previous?.id ?? null, to_snapshot_id: snapshotId,
      });
    };
    for (const c of compareAccounts(presentAccounts(db, s.device).map(known), s.digest.accounts, comparison(s.platform, previous !== undefined && !changed))) {
      if (c.kind === 'added') {
        const id = insertAccount(db, { device: s.device, name: c.account.name, ...values(c.account), at, snapshotId });
        change(id, c.account.name, 'added', undefined, c.account);
      } else if (c.kind === 'removed') {
        removeAccount(db, c.previous.id, at, snapshotId);
        change(c.previous.id, c.previous.name, 'removed', c.previous, undefined);
      } else {
        seeAccount(db, c.previous.id, values(c.account), at, snapshotId);
        if (c.kind === 'changed') change(c.previous.id, c.account.name, 'changed', c.previous, c.account);
        else if (!readAlike(c.previous, c.account)) rereadAccount(db, s.device, c.account.name, JSON.stringify(facts(c.account)), s.digest.hash);
      }
    }
    const pin = getHostKey(db, s.device);
    if (pin && pin.key.equals(s.hostKey.blob)) touchHostKey(db, s.device, at);
    else pinHostKey(db, { device: s.device, key_type: s.hostKey.type, key: s.hostKey.blob, fingerprint: s.hostKey.fingerprint, source: s.keySource, pinned_at: at, pinned_by: null });
    pullSucceeded(db, s.device, at, snapshotId);
    insertRun(db, {
      device: s.device, started_at: s.startedAt, finished_at: at, attempts: s.attempts,
      outcome: changed ? 'changed' : 'unchanged', failure: null, error: null, snapshot_id: snapshotId, read_at: s.readAt ?? null,
    });
    return { changed, snapshotId, accounts: counts };
  }).immediate();
}

export interface Failure {
  device: string;
  startedAt: number;
  finishedAt: number;
  attempts: number;
  error: PullError;
  /** The error's message with every credential removed. */
  message: string;
  failuresBeforeFinding: number;
}

/** The finding a changed host key raises (both engines). */
export function hostKeyFinding(f: Failure, error: HostKeyChanged, runId: number): NewFinding {
  const k = error.presented;
  return {
    kind: 'host-key-changed', severity: 'high', device: f.device, at: f.finishedAt,
    summary: `${f.device} presented ${k.type} ${k.fingerprint} instead of ${error.expected.join(' or ')}; pulls stop until a person checks it and runs aaawatch hostkey accept ${f.device}`,
    evidence: { runs: [runId], presented: k.fingerprint, expected: error.expected },
  };
}

/** The finding repeated failures raise; `runs`: the ids of the latest failed runs (both engines). */
export function pullFailedFinding(f: Failure, failures: number, runs: number[]): NewFinding {
  return {
    kind: 'pull-failed', severity: 'medium', device: f.device, at: f.finishedAt,
    summary: `${failures} pulls of ${f.device} in a row failed; the last: ${f.message}`,
    evidence: { runs, failure: f.error.failure, failures },
  };
}

/** Record a failed run; returns the consecutive failures so far. */
export function recordFailure(db: Db, f: Failure): number {
  return db.transaction(() => {
    const at = f.finishedAt;
    const runId = insertRun(db, {
      device: f.device, started_at: f.startedAt, finished_at: at, attempts: f.attempts,
      outcome: 'failed', failure: f.error.failure, error: f.message, snapshot_id: null, read_at: null,
    });
    const failures = pullFailed(db, f.device, at, f.message);
    if (f.error instanceof HostKeyChanged) {
      const k = f.error.presented;
      noteHostKeyChange(db, { device: f.device, key_type: k.type, key: k.blob, fingerprint: k.fingerprint }, at);
      raiseFinding(db, hostKeyFinding(f, f.error, runId));
    } else if (failures >= f.failuresBeforeFinding) {
      raiseFinding(db, pullFailedFinding(f, failures, recentRuns(db, f.device, Math.min(failures, 20)).map((r) => r.id)));
    }
    return failures;
  }).immediate();
}

/** Refuse to accept when no key waits, or the key checked is not the one waiting (both engines). */
export function checkAcceptable(device: string, change: HostKeyChangeRow | undefined, fingerprint: string | undefined): asserts change is HostKeyChangeRow {
  if (!change) throw new Error(`no changed host key is waiting for ${device} (a pull records one when the key differs)`);
  if (fingerprint !== undefined && fingerprint !== change.fingerprint) {
    throw new Error(`the key waiting for ${device} is ${change.fingerprint}, not ${fingerprint}; nothing was accepted`);
  }
}

/**
 * A person checked the key a device now presents (out of band, against the device's console) and
 * accepts it: it becomes the pinned key, recorded with who accepted it and when. `fingerprint`,
 * when given, must be the waiting key's, so the key accepted is the key that was checked.
 */
export function acceptHostKey(db: Db, device: string, by: string, at: number, fingerprint?: string): HostKeyChangeRow {
  return db.transaction(() => {
    const change = getHostKeyChange(db, device);
    checkAcceptable(device, change, fingerprint);
    pinHostKey(db, { device, key_type: change.key_type, key: change.key, fingerprint: change.fingerprint, source: 'accepted', pinned_at: at, pinned_by: by });
    clearHostKeyChange(db, device);
    return change;
  }).immediate();
}
