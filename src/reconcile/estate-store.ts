// What the estate's reconciliation (src/reconcile/estate.ts) reads and writes, whichever engine
// holds the store: the inventory's devices as pulls and syslog know them, the accounts they hold,
// the auditability of their latest snapshots, and the findings that follow. Asynchronous, so that
// PostgreSQL (src/store/pg/estate-store.ts) and SQLite (here, over src/reconcile/store.ts and
// sync.ts, unchanged) answer the same calls; the contract tests run both
// (test/reconcile/estate-store.test.ts).

import type { Db } from '../store/db.js';
import type { Condition } from './evaluate.js';
import type { FindingEvidence } from './findings.js';
import { autoResolve } from './lifecycle.js';
import type { DeviceInfo, Origin, PresentAccount } from './model.js';
import type { PinnedKey, PullStateLike } from './run.js';
import type { DeviceRef } from './scope.js';
import * as store from './store.js';
import { openFindings, syncConditions, type OpenFinding, type Resolution, type SyncResult } from './sync.js';

export interface EstateStore {
  /** Latest snapshots whose audit is missing or was judged against other collector addresses. */
  snapshotsToAudit(collectors: readonly string[]): Promise<Array<{ id: number; platform: string }>>;
  snapshotConfig(id: number): Promise<string | undefined>;
  saveAudit(snapshotId: number, audit: store.StoredAudit): Promise<void>;
  /** Inventory devices with what pulls, syslog (from every collector) and audits say. */
  deviceInfo(inventory: readonly DeviceRef[]): Promise<Map<string, DeviceInfo>>;
  /** Every account the devices hold now, with its last login on its device. */
  presentAccounts(): Promise<PresentAccount[]>;
  /** The attributed creation of each account. */
  origins(): Promise<Map<number, Origin>>;
  openFindings(kinds: ReadonlySet<string>): Promise<OpenFinding[]>;
  /** Findings of `kinds` brought in line with `conditions` (src/reconcile/sync.ts's rule). */
  syncConditions(kinds: ReadonlySet<string>, conditions: readonly Condition[], resolution: (f: OpenFinding) => Resolution | undefined, now: number): Promise<SyncResult>;
  /** Each device's pull state. */
  pullStates(): Promise<Map<string, PullStateLike>>;
  /** Devices with a changed host key waiting for a person. */
  keysWaiting(): Promise<Set<string>>;
  pinnedKeys(): Promise<Map<string, PinnedKey>>;
  /** Resolve findings, each with why; one transaction. */
  resolve(items: ReadonlyArray<{ finding: OpenFinding; why: Resolution }>, now: number): Promise<void>;
  /** Unresolved findings by kind. */
  openByKind(): Promise<Record<string, number>>;
}

/** The SQLite store: today's statements, synchronous, behind the same calls. */
export function sqliteEstateStore(db: Db): EstateStore {
  // async throughout: a statement that throws rejects, as PostgreSQL's would.
  return {
    snapshotsToAudit: async (collectors) => store.snapshotsToAudit(db, collectors),
    snapshotConfig: async (id) => store.snapshotConfig(db, id),
    saveAudit: async (id, audit) => store.saveAudit(db, id, audit),
    deviceInfo: async (inventory) => store.deviceInfo(db, inventory),
    presentAccounts: async () => [...store.presentAccounts(db)],
    origins: async () => store.origins(db),
    openFindings: async (kinds) => openFindings(db, kinds),
    syncConditions: async (kinds, conditions, resolution, now) => syncConditions(db, kinds, conditions, resolution, now),
    pullStates: async () =>
      new Map((store.stmt(db, 'SELECT device, last_success, failures, snapshot_id FROM pull_state').all() as Array<PullStateLike & { device: string }>).map((s) => [s.device, s])),
    keysWaiting: async () => new Set((store.stmt(db, 'SELECT device FROM host_key_changes').all() as Array<{ device: string }>).map((r) => r.device)),
    pinnedKeys: async () =>
      new Map((store.stmt(db, 'SELECT device, fingerprint, pinned_by, pinned_at FROM host_keys').all() as Array<PinnedKey & { device: string }>).map((k) => [k.device, k])),
    resolve: async (items, now) =>
      db.transaction(() => {
        for (const { finding: f, why } of items) autoResolve(db, f.id, f.status, f.severity, JSON.parse(f.evidence) as FindingEvidence, why, now);
      }).immediate(),
    openByKind: async () =>
      Object.fromEntries((store.stmt(db, `SELECT kind, count(*) AS n FROM findings WHERE status <> 'resolved' GROUP BY kind`).all() as Array<{ kind: string; n: number }>).map((r) => [r.kind, r.n])),
  };
}
