// What the estate's reconciliation (src/reconcile/estate.ts) reads and writes, whichever engine
// holds the store: the records behind account-created and change attribution (from every
// collector, in a shared store), the account changes pulls saw, the inventory's devices as pulls
// and syslog know them, the accounts they hold, the auditability of their latest snapshots, the
// senders devices were heard from, and the findings that follow. Asynchronous, so that PostgreSQL
// (src/store/pg/estate-store.ts) and SQLite (here, over src/reconcile/store.ts and sync.ts,
// unchanged) answer the same calls; the contract tests run both
// (test/reconcile/estate-store.test.ts, test/reconcile/estate-scenario.test.ts).
//
// Positions (how far account records, changes and senders were read) are written with the
// findings they led to, in one transaction: a run stopped between the two neither raises twice nor
// skips. Each engine says what its positions are: SQLite's are ids and times of one file; a shared
// store's account records are read per collector, by each one's chain sequence, as ids from
// several collectors' transactions do not commit in order.

import type { Db } from '../store/db.js';
import type { Condition } from './evaluate.js';
import { raiseFinding, reattribute, type FindingEvidence, type NewFinding, type Reattribution } from './findings.js';
import type { Candidate, HeldHistory, PulledState } from './held.js';
import { autoResolve, reopenExpired } from './lifecycle.js';
import type { DeviceInfo, Origin, PresentAccount, StoredRecord } from './model.js';
import { RENAME_PARTNER_SQL } from './population.js';
import type { RenamePartner } from './renames.js';
import { SENDER_EVIDENCE, type PullRun } from './judge.js';
import { startCreationsHere, type PinnedKey, type PullStateLike } from './run.js';
import type { PullsUnderWay } from './under-way.js';
import type { DeviceRef } from './scope.js';
import * as store from './store.js';
import type { SenderRow } from './senders.js';
import { openFindings, syncConditions, type OpenFinding, type Resolution, type SyncResult } from './sync.js';
import { HEARD_GAPS_SQL, type GapRow } from './heard.js';

/** Positions to save (reconcile_state names and values), as the store gave them with what it read. */
export type Positions = Readonly<Record<string, number>>;

/** What one transaction writes: attributions, findings raised or refreshed, and the positions reached. */
export interface StepWrite {
  attributions?: readonly store.AttributionRow[];
  findings?: readonly NewFinding[];
  positions: Positions;
}

export interface EstateStore {
  /** Accepted findings whose acceptance ran out go back to open (and are alerted again); how many. */
  reopenExpired(now: number): Promise<number>;
  /** On a store reconciliation never ran on, account records stored so far (before `now`, on a shared store) raise no account-created. */
  startCreationsHere(now: number): Promise<void>;
  /**
   * Account records stored since the last position saved, oldest first, at most `limit`; with the
   * positions after them. `before`: only those with a smaller id (a creation waits: under-way.ts).
   */
  newAccountRecords(limit: number, before?: number): Promise<{ records: StoredRecord[]; positions: Positions }>;
  /** Pulls under way at `now` (under-way.ts). */
  pullsUnderWay(now: number): Promise<PullsUnderWay>;
  /** An actor's latest login or AAA session start on a device in [from, to] that gives an address. */
  lastLoginOf(device: string, actor: string, from: number, to: number): Promise<StoredRecord | undefined>;
  /** An actor's command records on a device nearest `at`: at most `perSide` before and after, within `span` ms. */
  commandsNear(device: string, actor: string, at: number, span: number, perSide: number): Promise<StoredRecord[]>;
  /** lastLoginOf (from `time - lookback` to `time`) and commandsNear (within `span`) of many keys, read together: each key gets what the two give it alone. */
  sessionsAt(keys: readonly store.ActorAt[], lookback: number, span: number, perSide: number): Promise<Array<{ login?: StoredRecord; commands: StoredRecord[] }>>;
  /** Account changes pulls recorded after `changes.judged`, oldest first: only changes whose pulls have committed. */
  changesToJudge(limit: number): Promise<store.PendingChange[]>;
  changeById(id: number): Promise<store.PendingChange | undefined>;
  /** The successful pull of a device before `at`, or the earlier snapshot's time once runs were pruned. */
  previousPullAt(device: string, at: number, fromSnapshotId: number): Promise<number | undefined>;
  /** Successful pull runs after `pulls.vanished`, oldest first: only runs whose pulls have committed. */
  pullsToJudge(limit: number): Promise<PullRun[]>;
  /** When the successful pull before one started at `startedAt` started (store.ts PREVIOUS_PULL_START); none before the device's first. */
  previousPullStart(device: string, startedAt: number): Promise<number | undefined>;
  /** Records on a device stamped in [from, to) that log an account's creation, in time order, each with its receipt. */
  loggedCreationsOn(device: string, from: number, to: number): Promise<Array<StoredRecord & { receivedAt: number }>>;
  /** Whether a pull finished at `at` held the account or saw it go (store.ts PULL_KNEW). */
  pullKnew(device: string, name: string, at: number): Promise<boolean>;
  /** The old name's deletion half of a rename's making (population.ts RENAME_PARTNER_SQL): its id, time and name. */
  renamePartner(id: number): Promise<RenamePartner | undefined>;
  /** Account records on a device naming an account, in (from, to]. */
  accountRecordsFor(device: string, target: string, from: number, to: number): Promise<StoredRecord[]>;
  /** When the successful pull that committed at `at` on `device` read the configuration (store.ts PULL_READ_SQL). */
  pullRead(device: string, at: number): Promise<number>;
  /** The receipts (store.ts RECEIPT_SQL) of records by id. */
  receipts(ids: readonly number[]): Promise<Map<number, number>>;
  /** An account's pulled state as of `at`: the latest account change at or before it (src/reconcile/held.ts). */
  pulledStateAt(device: string, name: string, at: number): Promise<PulledState | undefined>;
  /** What the held check of a step's candidates reads, in a few statements (src/reconcile/held.ts HeldHistory). */
  heldHistory(candidates: readonly Candidate[], skewMs: number): Promise<HeldHistory>;
  /** Configuration-changing command records on a device in (from, to], newest first. */
  configurationRecords(device: string, from: number, to: number): Promise<StoredRecord[]>;
  /** Command records on a device in (from, to] whose text holds `account`, newest first (store.ts commandsNaming). */
  commandsNaming(device: string, account: string, from: number, to: number): Promise<StoredRecord[]>;
  /** device_senders rows heard since the last position saved (a shared store's one per collector that heard a sender); with the positions after them. */
  newSenders(): Promise<{ rows: SenderRow[]; positions: Positions }>;
  /** Ids of the latest records (SENDER_EVIDENCE) from `source` naming `device` in [from, to]. */
  senderEvents(device: string, source: string, from: number, to: number): Promise<number[]>;
  /** Write one step: attributions, findings (raised or refreshed, src/reconcile/findings.ts's rule) and positions, in one transaction. */
  write(w: StepWrite): Promise<void>;
  /** Open account-created findings last seen since `since` naming neither maker nor path (store.ts UNNAMED_CREATIONS). */
  unnamedCreations(since: number): Promise<OpenFinding[]>;
  /** Records by id. */
  recordsById(ids: readonly number[]): Promise<StoredRecord[]>;
  /** An account's changes whose attribution names no maker though a record explains them. */
  unnamedChanges(device: string, name: string): Promise<store.PendingChange[]>;
  /** An open finding attributed again (findings.ts reattribute) and its account's changes' attributions, in one transaction. */
  reattribute(finding: OpenFinding, update: Reattribution, attributions: readonly store.AttributionRow[], now: number): Promise<void>;
  /** Save attributions and resolve a finding they explain, in one transaction. */
  explain(finding: OpenFinding, attributions: readonly store.AttributionRow[], why: Resolution, now: number): Promise<void>;

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
  /** Open telemetry-gap findings of devices heard since `since` (heard.ts HEARD_GAPS_SQL). */
  heardGaps(since: number): Promise<GapRow[]>;
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
  const latestFrom = store.stmt(
    db,
    store.senderEvidenceSql(SENDER_EVIDENCE),
  );
  const savePositions = (positions: Positions): void => {
    for (const [name, value] of Object.entries(positions)) store.setState(db, name as store.StateName, value);
  };
  return {
    reopenExpired: async (now) => reopenExpired(db, now).length,
    startCreationsHere: async () => startCreationsHere(db),
    newAccountRecords: async (limit, before) => {
      const after = store.getState(db, 'events.created') ?? 0;
      const read = store.creationRecordsAfter(db, after, limit);
      const through = before === undefined ? read.through : Math.min(read.through, before - 1);
      const positions: Positions = through > after ? { 'events.created': through } : {};
      return { records: read.records.filter((r) => r.id <= through), positions };
    },
    pullsUnderWay: async (now) => store.pullsUnderWay(db, now),
    lastLoginOf: async (device, actor, from, to) => store.lastLoginOf(db, device, actor, from, to),
    commandsNear: async (device, actor, at, span, perSide) => store.commandsNear(db, device, actor, at, span, perSide),
    sessionsAt: async (keys, lookback, span, perSide) => store.sessionsAt(db, keys, lookback, span, perSide),
    changesToJudge: async (limit) => store.changesAfter(db, store.getState(db, 'changes.judged') ?? 0, limit),
    changeById: async (id) => store.changeById(db, id),
    previousPullAt: async (device, at, from) => store.previousPullAt(db, device, at, from),
    pullsToJudge: async (limit) => store.pullsAfter(db, store.getState(db, 'pulls.vanished') ?? 0, limit),
    previousPullStart: async (device, startedAt) => store.previousPullStart(db, device, startedAt),
    loggedCreationsOn: async (device, from, to) => store.loggedCreationsOn(db, device, from, to),
    pullKnew: async (device, name, at) => store.pullKnew(db, device, name, at),
    renamePartner: async (id) => store.stmt(db, RENAME_PARTNER_SQL).get(id) as RenamePartner | undefined,
    accountRecordsFor: async (device, target, from, to) => store.accountRecordsFor(db, device, target, from, to),
    pullRead: async (device, at) => store.pullRead(db, device, at),
    receipts: async (ids) => store.receiptsOf(db, ids),
    pulledStateAt: async (device, name, at) => store.pulledStateAt(db, device, name, at),
    heldHistory: async (candidates, skewMs) => store.heldHistory(db, candidates, skewMs),
    configurationRecords: async (device, from, to) => store.configurationRecords(db, device, from, to),
    commandsNaming: async (device, account, from, to) => store.commandsNaming(db, device, account, from, to),
    newSenders: async () => {
      const rows = store.stmt(db, 'SELECT device, source, first_seen, last_seen FROM device_senders WHERE last_seen > ?').all(store.getState(db, 'senders.seen') ?? 0) as SenderRow[];
      const positions: Positions = rows.length ? { 'senders.seen': Math.max(...rows.map((r) => r.last_seen)) } : {};
      return { rows, positions };
    },
    senderEvents: async (device, source, from, to) => (latestFrom.all({ device, from, to, source }) as Array<{ id: number }>).map((e) => e.id),
    write: async (w) =>
      db.transaction(() => {
        for (const a of w.attributions ?? []) store.saveAttribution(db, a);
        for (const f of w.findings ?? []) raiseFinding(db, f);
        savePositions(w.positions);
      }).immediate(),
    unnamedCreations: async (since) => store.unnamedCreations(db, since),
    recordsById: async (ids) => store.recordsById(db, ids),
    unnamedChanges: async (device, name) => store.unnamedChanges(db, device, name),
    reattribute: async (f, update, attributions, now) =>
      db.transaction(() => {
        reattribute(db, f, update, now);
        for (const a of attributions) store.saveAttribution(db, a);
      }).immediate(),
    explain: async (f, attributions, why, now) =>
      db.transaction(() => {
        for (const a of attributions) store.saveAttribution(db, a);
        autoResolve(db, f.id, f.status, f.severity, JSON.parse(f.evidence) as FindingEvidence, why, now);
      }).immediate(),
    snapshotsToAudit: async (collectors) => store.snapshotsToAudit(db, collectors),
    snapshotConfig: async (id) => store.snapshotConfig(db, id),
    saveAudit: async (id, audit) => store.saveAudit(db, id, audit),
    deviceInfo: async (inventory) => store.deviceInfo(db, inventory),
    presentAccounts: async () => [...store.presentAccounts(db)],
    origins: async () => store.origins(db),
    openFindings: async (kinds) => openFindings(db, kinds),
    heardGaps: async (since) => store.stmt(db, HEARD_GAPS_SQL).all(since, since) as GapRow[],
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
