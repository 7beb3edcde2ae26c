// One reconciliation over the store: the I/O around the pure functions. In order:
//   1. accepted findings whose acceptance expired reopen;
//   2. account records stored since the last run raise `account-created`;
//   3. account changes between pulls are attributed; those no record explains raise
//      `unlogged-change` (a change is judged once `attributionSkewSeconds` have passed, so late
//      syslog still counts), and open `unlogged-change` findings a late record now explains resolve;
//      an account whose creation was logged and that a later successful pull lacks, with no
//      removal record, raises `unlogged-change` too (judged once the skew after the pull passed);
//      `account-created` findings naming no maker are attributed again, as the same change's command
//      may arrive later, and so are their accounts' change attributions;
//   4. the latest snapshots are read for auditability;
//   5. every account, device and roster entry is evaluated, and findings follow the conditions;
//   6. `pull-failed` and `host-key-changed` resolve when pulls succeed again or the key was accepted;
//   7. devices heard from an address other than their inventory address raise `sender-mismatch`.

import type { Db } from '../store/db.js';
import { IndexMover } from '../store/index-moves.js';
import type { Attribution, Candidates } from './attribution.js';
import { auditability, type AuditCheckName } from './auditability.js';
import { ACCOUNT_KINDS, CONDITION_KINDS, evaluate, RosterIndex, type Assessment, type Condition, type Settings } from './evaluate.js';
import { raiseFinding, raiseFindings, reattribute, type FindingEvidence, type FindingKind, type NewFinding } from './findings.js';
import {
  attributionRow, baselineWithoutRecord, type CreationGroup, changeSpan, CORROBORATING_PER_SIDE, creationFindingFor, creationGroups, judgedAsRenamed, judgeChange, lateAttribution, lateReason,
  CREATIONS_STAMP_MARGIN_MS, loggedCreations, NAMED_LATER_MS, namedMaking, recordsInSpan, renamed, unnamedMaker, vanishedFinding, vanishedSpan,
  relayCheck, SAME_CHANGE_MS, senderEvidenceSpans, SENDER_EVIDENCE, SESSION_LOOKBACK_MS, sessionLookups, lookupsOfEach, unnamedSpans,
} from './judge.js';
import { autoResolve, reopenExpired } from './lifecycle.js';
import { loginKey, type DeviceInfo, type Origin, type StoredRecord } from './model.js';
import { firstWaiting, mayWait } from './under-way.js';
import type { Roster } from './roster.js';
import type { DeviceRef } from './scope.js';
import { senderFinding, senderMismatches, type InventoryAddress } from './senders.js';
import { RENAME_PARTNER_SQL } from './population.js';
import { renameLives, type RenamePartner } from './renames.js';
import * as store from './store.js';
import { openFindings, syncConditions, type OpenFinding, type Resolution, type SyncResult } from './sync.js';
import { criticalBecause, provisionalNote } from './severity.js';
import { minuteUtc } from './text.js';

export interface ReconcileOptions {
  /** Undefined when no roster is configured. */
  roster: Roster | undefined;
  /** The inventory. */
  devices: readonly DeviceRef[];
  dormantDays: number;
  silentHours: number;
  requiredChecks: readonly AuditCheckName[];
  collectorAddresses: readonly string[];
  skewMs: number;
  now: number;
  /** The sender check: inventory addresses, and relays (CIDRs) that send for other devices. Off when absent. */
  senders?: { inventory: readonly InventoryAddress[]; relays: readonly string[] };
}

export interface ReconcileOutcome {
  ms: number;
  /** Milliseconds per step, for the log and the benchmark. */
  phases: Record<string, number>;
  devices: number;
  accounts: number;
  rosterEntries: number | undefined;
  reopened: number;
  created: number;
  changesJudged: number;
  unlogged: number;
  audited: number;
  conditions: SyncResult;
  pullFindingsResolved: number;
  /** Devices with `sender-mismatch` raised or refreshed. */
  senderMismatches: number;
  /** Open (not resolved) findings by kind after the run. */
  open: Record<string, number>;
}

/** More pending changes than this are judged against every account record read at once. */
const BULK_CHANGES = 500;
/** Pull runs read per step of judgeVanished. */
const PULL_BATCH = 200;
const RECORD_BATCH = 5000;
/** Account records grouped at a time: an account's records in one group make one finding (judge.ts creationGroups). */
const CREATION_BATCH = 100;
/**
 * Account records judged before their findings are written, in one transaction where the lock-hold
 * bound allows (writeCreations): a commit per 100 records was 28% of account-created's time (profiled, aaa-only).
 */
const CREATION_WRITE = 500;
/** A transaction of account-created findings takes no further step once it has held the write lock this long. */
const CREATION_HOLD_MS = 20;

/** The sessions and corroborating commands of the actors of `records` (judge.ts sessionLookups says which). */
function sessionsFor(db: Db, device: string, records: readonly StoredRecord[]): StoredRecord[] {
  const out = new Map<number, StoredRecord>();
  for (const l of sessionLookups(records)) {
    const login = store.lastLoginOf(db, device, l.actor, l.time - SESSION_LOOKBACK_MS, l.time);
    if (login) out.set(login.id, login);
    if (!l.commands) continue;
    for (const c of store.commandsNear(db, device, l.actor, l.time, SAME_CHANGE_MS, CORROBORATING_PER_SIDE)) out.set(c.id, c);
  }
  for (const span of unnamedSpans(records)) for (const c of store.commandsNaming(db, device, span.account, span.from, span.to)) out.set(c.id, c);
  return [...out.values()];
}

/**
 * sessionsFor of each record alone (`[record]`), the look-ups of all of them read together
 * (store.sessionsAt): account-created attributes a step's findings at once.
 */
function sessionsOfEach(db: Db, records: readonly StoredRecord[]): StoredRecord[][] {
  const each = lookupsOfEach(records);
  const sessions = each.sessions(store.sessionsAt(db, each.keys, SESSION_LOOKBACK_MS, SAME_CHANGE_MS, CORROBORATING_PER_SIDE));
  // A record naming no actor: the commands of its change by whoever (judge.ts unnamedSpans), the step's read together.
  const spans = records.flatMap((r, i) => unnamedSpans([r]).map((span) => ({ i, device: r.device, ...span })));
  store.commandsNamingEach(db, spans).forEach((commands, k) => sessions[spans[k]!.i]!.push(...commands));
  return sessions;
}

/**
 * `account-created` covers account records stored after reconciliation first ran on this store:
 * it is the immediate notice of a change (NIST AC-2(4)). Records from before are not raised at
 * once (that would flood a SIEM with history); the accounts they made are attributed to them when
 * a pull shows them. Called at start and by every run.
 */
export function startCreationsHere(db: Db): void {
  if (store.getState(db, 'events.created') === undefined) store.setState(db, 'events.created', store.maxEventId(db));
}

/**
 * Step 2: `account-created` for account records stored since the last run, at most `limit` of
 * them (the rest wait for the next call). Records for the same account on the same device in one
 * batch raise one finding, with every record as evidence: a burst of repeated `username` commands
 * costs one finding update, not one per line; it is judged on the record granting full administration
 * when one does (judge.ts creationGroups). Returns how many findings were raised or refreshed,
 * whether records are left, whether a finding names neither maker nor path (a full run
 * attributes it again: namedLater), and whether the pass stopped before a creation waiting for a
 * pull of its device (under-way.ts: looked at again until the pull ends).
 */
export function raiseCreations(
  db: Db,
  index: RosterIndex | undefined,
  devices: ReadonlyMap<string, DeviceRef>,
  skewMs: number,
  limit = Number.POSITIVE_INFINITY,
  now = Date.now(),
): { raised: number; more: boolean; unnamed: boolean; waiting: boolean } {
  startCreationsHere(db);
  let after = store.getState(db, 'events.created')!;
  let raised = 0;
  let read = 0;
  // A finding naming neither maker nor path: its change's command may still come (namedLater).
  let unnamed = false;
  // A creation waiting for a pull of its device (under-way.ts): the pass stops before it.
  let waiting = false;
  const underWay = store.pullsUnderWay(db, now);
  for (;;) {
    if (read >= limit) return { raised, more: true, unnamed, waiting };
    // Attribution only reads: it runs before the write transaction, which then holds the write
    // lock for the findings alone. The store thread waits for that lock (SQLite's busy handler
    // sleeps 1 to 100 ms at a time), and attribution inside the transaction held it for most of
    // each step.
    const judged: JudgedStep[] = [];
    let through = after;
    for (let n = 0; n < CREATION_WRITE && read < limit && !waiting; n += CREATION_BATCH) {
      let step = store.creationRecordsAfter(db, through, CREATION_BATCH);
      if (step.through === through) break;
      const wait = firstWaiting(step.records, underWay, store.receiptsOf(db, mayWait(step.records, underWay)), now);
      if (wait) {
        waiting = true;
        step = { records: step.records.filter((r) => r.id < wait.id), through: wait.id - 1 };
        if (step.through === through) break;
      }
      read += CREATION_BATCH;
      through = step.through;
      const restating = store.restatingIn(db, step.records, skewMs);
      judged.push({ through, records: step.records, groups: creationGroups(step.records.filter((r) => !restating.has(r.id)), devices).map((g) => asRenamed(db, g, devices)) });
    }
    const steps: CreationStep[] = named(db, judged).map(({ through: upto, groups }) => {
      const sessions = sessionsOfEach(db, groups.map((g) => g.judged));
      const findings = groups.map((g, i) => creationFindingFor(g, devices, index, sessions[i]!));
      unnamed ||= findings.some((f) => store.namesNoMaker(f.attribution));
      return { through: upto, findings };
    });
    if (!steps.length) break;
    raised += writeCreations(db, steps);
    after = through;
    if (waiting) break;
  }
  return { raised, more: false, unnamed, waiting };
}

/** A step of a creation write: its records and their groups (creationGroups), not yet named. */
interface JudgedStep {
  through: number;
  records: StoredRecord[];
  groups: CreationGroup[];
}

/**
 * Each step's groups, those whose judged record names no actor given the one their making's other
 * records name (judge.ts namedMaking): the step's, and the account's stamped within SAME_CHANGE_MS
 * of it, read for the whole write at once (store.namingRecords). A record picked by its
 * receipt has its stamp outside that span, which sameMaking refuses, so none is read.
 */
function named(db: Db, steps: readonly JudgedStep[]): Array<{ through: number; groups: CreationGroup[] }> {
  const unnamed = steps.flatMap((s) => s.groups.filter((g) => g.judged.actor === undefined && g.judged.target !== undefined));
  const near = store.namingRecords(db, unnamed.map(({ judged: r }) => ({ id: r.id, device: r.device, target: r.target!, action: r.action, from: r.time - SAME_CHANGE_MS - 1, to: r.time + SAME_CHANGE_MS })));
  const read = new Map(unnamed.map((g, i) => [g, near[i]!]));
  return steps.map((s) => ({ through: s.through, groups: s.groups.map((g) => (read.has(g) ? namedMaking(g, [...s.records, ...read.get(g)!]) : g)) }));
}

/**
 * A group whose making is a rename's (RENAME_PARTNER_SQL) judged on what its old names held up to
 * the rename (renames.ts renameLives, judge.ts judgedAsRenamed); any other group as it is.
 */
function asRenamed(db: Db, g: CreationGroup, devices: ReadonlyMap<string, DeviceRef>): CreationGroup {
  const r = g.judged;
  if (r.action !== 'account.create' || r.technique !== 'T1098') return g;
  const lives = renameLives(r, {
    partner: (m) => store.stmt(db, RENAME_PARTNER_SQL).get(m.id) as RenamePartner | undefined,
    records: (from) => store.accountRecordsFor(db, r.device, from.target, Number.MIN_SAFE_INTEGER, from.time),
    pulled: (from) => store.pulledStateAt(db, r.device, from.target, from.time),
  });
  return lives.length ? judgedAsRenamed(g, lives, devices) : g;
}

/** The findings of a group of account records, and the position after them. */
interface CreationStep {
  through: number;
  findings: NewFinding[];
}

/**
 * Write steps' findings and positions, as few transactions as the lock-hold bound allows: every
 * step whole in one transaction with its position, so a crash never raises a record twice. A
 * transaction that has held the write lock CREATION_HOLD_MS takes no further step: this thread
 * runs at the lowest priority, and on a busy machine it is descheduled while it holds the lock
 * (500 records in one transaction held it p50 177 ms, p90 1 s at load 30, against 24 / 143 ms for
 * 100), while the store thread sleeps in the busy handler. Returns the findings written.
 */
function writeCreations(db: Db, steps: readonly CreationStep[]): number {
  let i = 0;
  let written = 0;
  while (i < steps.length) {
    db.transaction(() => {
      const started = performance.now();
      do {
        const step = steps[i++]!;
        raiseFindings(db, step.findings);
        store.setState(db, 'events.created', step.through);
        written += step.findings.length;
      } while (i < steps.length && performance.now() - started < CREATION_HOLD_MS);
    }).immediate();
  }
  return written;
}

/** A change's records without the creations made after its pull read the configuration (store.ts makingRecords): read only for an `added` change with creations. */
function makingOnly(db: Db, c: store.PendingChange, account: StoredRecord[], skewMs: number): StoredRecord[] {
  if (c.change !== 'added' || !account.some((r) => r.action === 'account.create')) return account;
  return store.makingRecords(c, account, store.pullRead(db, c.device, c.at), store.receiptsOf(db, store.stampedCreations(c, account)), skewMs);
}

/** Step 3: attribute account changes between pulls; unexplained ones raise `unlogged-change`. */
function judgeChanges(db: Db, index: RosterIndex | undefined, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions): { judged: number; unlogged: number } {
  let after = store.getState(db, 'changes.judged') ?? 0;
  let judged = 0;
  let unlogged = 0;
  let bulk: Map<string, StoredRecord[]> | undefined;
  for (;;) {
    const batch = store.changesAfter(db, after, RECORD_BATCH);
    // A change is judged once late syslog can no longer arrive for it; ids grow with time, so stop at the first too recent.
    const tooRecent = batch.findIndex((c) => c.at + o.skewMs > o.now);
    const ready = tooRecent < 0 ? batch : batch.slice(0, tooRecent);
    if (!ready.length) break;
    if (!bulk && ready.length > BULK_CHANGES) bulk = store.allAccountRecords(db);
    db.transaction(() => {
      for (const c of ready) {
        const previous = c.fromSnapshotId === null ? undefined : store.previousPullAt(db, c.device, c.at, c.fromSnapshotId);
        const { from, to } = changeSpan(previous, c.at, o.skewMs);
        const spanned = bulk
          ? recordsInSpan(bulk.get(loginKey(c.device, c.name)) ?? [], from, to)
          : store.accountRecordsFor(db, c.device, c.name, from, to);
        const account = makingOnly(db, c, spanned, o.skewMs);
        if (baselineWithoutRecord(c, account)) continue;
        const candidates: Candidates = {
          account,
          sessions: account.length ? sessionsFor(db, c.device, account) : [],
          configuration: account.length || c.fromSnapshotId === null ? [] : store.configurationRecords(db, c.device, from, to),
        };
        const j = judgeChange(c, devices, index, previous, candidates, o.now);
        store.saveAttribution(db, j.attribution);
        judged++;
        if (j.finding) {
          unlogged++;
          raiseFinding(db, j.finding);
        }
      }
      after = ready[ready.length - 1]!.id;
      store.setState(db, 'changes.judged', after);
    }).immediate();
    if (ready.length < batch.length) break;
  }
  return { judged, unlogged };
}

/**
 * Step 3b: accounts whose creation was logged and that a later successful pull does not hold, with
 * no removal record: `unlogged-change` (judge.ts vanishedFinding), once for the pull that judges
 * the record. A pull is judged once the skew after it has passed, as a change is.
 */
function judgeVanished(db: Db, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions): number {
  let after = store.getState(db, 'pulls.vanished') ?? 0;
  let raised = 0;
  for (;;) {
    const batch = store.pullsAfter(db, after, PULL_BATCH);
    const tooRecent = batch.findIndex((p) => p.finishedAt + o.skewMs > o.now);
    const ready = tooRecent < 0 ? batch : batch.slice(0, tooRecent);
    if (!ready.length) break;
    db.transaction(() => {
      for (const p of ready) {
        const { from, to } = vanishedSpan(store.previousPullStart(db, p.device, p.startedAt), p.startedAt, o.skewMs);
        const stamped = store.loggedCreationsOn(db, p.device, from - CREATIONS_STAMP_MARGIN_MS, to + CREATIONS_STAMP_MARGIN_MS);
        for (const make of loggedCreations(stamped, from, to, o.skewMs)) {
          if (store.pullKnew(db, p.device, make.target!, p.finishedAt)) continue;
          const end = p.finishedAt + o.skewMs;
          const account = store.accountRecordsFor(db, p.device, make.target!, make.receivedAt ?? make.time, end);
          const finding = vanishedFinding(make, p, devices, { account, configuration: store.configurationRecords(db, p.device, make.receivedAt ?? make.time, end) }, o.now);
          if (!finding) continue;
          raiseFinding(db, finding);
          raised++;
        }
      }
      after = ready[ready.length - 1]!.id;
      store.setState(db, 'pulls.vanished', after);
    }).immediate();
    if (ready.length < batch.length) break;
  }
  return raised;
}

/** Open `unlogged-change` findings whose changes a record that arrived late now explains. */
function explainLate(db: Db, index: RosterIndex | undefined, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions): number {
  let resolved = 0;
  for (const f of openFindings(db, new Set(['unlogged-change']))) {
    const evidence = JSON.parse(f.evidence) as FindingEvidence & { changes?: number[] };
    const ids = evidence.changes ?? [];
    if (!ids.length) continue;
    const rows = ids.map((id) => store.changeById(db, id)).filter((c): c is store.PendingChange => c !== undefined);
    const explained = rows.map((c) => {
      const previous = c.fromSnapshotId === null ? undefined : store.previousPullAt(db, c.device, c.at, c.fromSnapshotId);
      const { from, to } = changeSpan(previous, c.at, o.skewMs);
      // A creation made after the pull read the configuration restates what it found (makingOnly): a
      // re-issue is no late explanation of an account no record made.
      const account = makingOnly(db, c, store.accountRecordsFor(db, c.device, c.name, from, to), o.skewMs);
      if (!account.length) return undefined;
      return { c, a: lateAttribution(c, devices, index, previous, { account, sessions: sessionsFor(db, c.device, account) }) };
    });
    if (!rows.length || explained.some((x) => x === undefined)) continue;
    const done = explained as Array<{ c: store.PendingChange; a: Attribution }>;
    db.transaction(() => {
      for (const { c, a } of done) store.saveAttribution(db, attributionRow(c, a, true));
      autoResolve(db, f.id, f.status, f.severity, evidence, lateReason(done.map((x) => x.a)), o.now);
    }).immediate();
    resolved++;
  }
  return resolved;
}

/**
 * Open `account-created` findings naming no maker, attributed again: the same change's command
 * (an ASA's 111008/111010 for a 502101 without `Executed by:`) may be received after the finding
 * was raised, seconds or minutes later. A finding it now names is updated (judge.ts renamed), and
 * so are the account's change attributions that named no one. Run by full runs, which serve also
 * runs shortly after a creation pass raised such a finding (service.ts).
 */
function namedLater(db: Db, index: RosterIndex | undefined, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions): number {
  let named = 0;
  for (const f of store.unnamedCreations(db, o.now - NAMED_LATER_MS)) {
    const maker = unnamedMaker(store.recordsById(db, (JSON.parse(f.evidence) as FindingEvidence).events ?? []), f.device, f.account);
    if (!maker) continue;
    const fresh = creationFindingFor({ judged: maker, ids: [maker.id] }, devices, index, sessionsOfEach(db, [maker])[0]!);
    const update = renamed(f, fresh);
    if (!update) continue;
    const attributions = store.unnamedChanges(db, f.device, f.account).map((c) => {
      const previous = c.fromSnapshotId === null ? undefined : store.previousPullAt(db, c.device, c.at, c.fromSnapshotId);
      const { from, to } = changeSpan(previous, c.at, o.skewMs);
      const account = store.accountRecordsFor(db, c.device, c.name, from, to);
      return attributionRow(c, lateAttribution(c, devices, index, previous, { account, sessions: sessionsFor(db, c.device, account) }));
    });
    db.transaction(() => {
      reattribute(db, f, update, o.now);
      for (const a of attributions) store.saveAttribution(db, a);
    }).immediate();
    named++;
  }
  return named;
}

/** Step 4: audit the latest snapshots not yet read (or read against other collector addresses). */
function auditSnapshots(db: Db, collectors: readonly string[]): number {
  const todo = store.snapshotsToAudit(db, collectors);
  for (let i = 0; i < todo.length; i += 500) {
    db.transaction(() => {
      for (const s of todo.slice(i, i + 500)) {
        const config = store.snapshotConfig(db, s.id);
        if (config !== undefined) store.saveAudit(db, s.id, { collectors: [...collectors], checks: auditability(s.platform, config, collectors) });
      }
    }).immediate();
  }
  return todo.length;
}

/**
 * Findings on an account carry the sentence of its creation and the records behind it; one on an
 * account with full administration is critical when its creation was unlogged, by someone not an
 * authorised administrator, or outside a change window. One whose making is not judged yet (the
 * pull that first showed it less than `skewMs` before the run: records may still arrive) says it
 * is provisional and until when (severity.ts provisionalNote): the run after that judges it.
 */
export function withOrigins(
  originOf: (accountId: number) => Origin | undefined,
  conditions: Condition[],
  index: RosterIndex | undefined,
  devices: ReadonlyMap<string, DeviceRef>,
  skewMs: number,
): void {
  for (const c of conditions) {
    // Dormancy is about logins, not about who made the account.
    if (c.kind === 'dormant-account') continue;
    const id = (c.evidence.accounts as number[] | undefined)?.[0];
    if (id === undefined) continue;
    const origin = originOf(id);
    if (!origin) {
      if (c.superuser && c.firstPulled !== undefined && c.at !== undefined && c.firstPulled + skewMs > c.at) c.summary = `${c.summary}; ${provisionalNote(c.firstPulled + skewMs)}`;
      continue;
    }
    c.attribution = origin.sentence;
    if (origin.events.length) c.evidence = { ...c.evidence, events: origin.events };
    if (!c.superuser || c.severity === 'critical') continue;
    const device = devices.get(c.device) ?? { name: c.device, platform: '', groups: [] };
    // Automation's changes are expected at any time (its account-created stays low): never outside a window.
    const automation = index?.isAutomation(origin.actor, device) === true;
    const byAdministrator = index ? automation || index.isAdministrator(origin.actor, device) : undefined;
    const critical = criticalBecause({ superuser: true, logged: origin.explained, byAdministrator, inWindow: automation || origin.window !== undefined });
    if (critical) {
      c.severity = 'critical';
      c.summary = `${c.summary}; ${critical}`;
    }
  }
}

const ROSTER_KINDS: ReadonlySet<string> = new Set(['unauthorised-account', 'privilege-mismatch', 'expired-authorisation', 'missing-account']);

/** Why an open condition finding no longer holds, or undefined when that cannot be said now. */
export function resolutionFor(
  f: OpenFinding,
  devices: ReadonlyMap<string, DeviceInfo>,
  assessments: ReadonlyMap<string, Assessment>,
  rosterLoaded: boolean,
): Resolution | undefined {
  const d = devices.get(f.device);
  if (!d) return { reason: `${f.device} is no longer in the inventory` };
  const kind = f.kind as FindingKind;
  if (ROSTER_KINDS.has(kind) && !rosterLoaded) return undefined;
  if (kind === 'telemetry-gap') {
    // A device heard only through its TACACS+ or RADIUS accounting is said so: no syslog arrived.
    const heard = (d.lastNative ?? -Infinity) > (d.lastSyslog ?? -Infinity) ? 'native accounting (TACACS+, RADIUS) arrives' : 'syslog arrives';
    return { reason: `${heard} and the configuration checks pass`, ...(d.snapshotId !== undefined ? { snapshots: [d.snapshotId] } : {}) };
  }
  if (ACCOUNT_KINDS.has(kind) && d.lastPull === undefined) return undefined;
  const pulled = `the pull at ${minuteUtc(d.lastPull!)}${d.snapshotId !== undefined ? ` (snapshot ${d.snapshotId})` : ''}`;
  const snapshots = d.snapshotId !== undefined ? [d.snapshotId] : [];
  if (kind === 'missing-account') return { reason: `${pulled} shows the account again`, snapshots };
  const a = assessments.get(loginKey(f.device, f.account));
  if (!a) return { reason: `${pulled} no longer shows the account`, snapshots };
  if (kind === 'dormant-account') {
    return a.lastLogin ? { reason: `login seen at ${minuteUtc(a.lastLogin.time)}`, events: [a.lastLogin.eventId] } : { reason: 'no longer dormant', snapshots };
  }
  const entry = a.entry ? ` (${a.entry.ref})` : '';
  if (a.match === 'authorised') return { reason: `the roster authorises it now${entry}`, snapshots };
  return { reason: `no longer applies: the account is now "${a.match}"${entry}`, snapshots };
}

/** Step 6: `pull-failed` resolves once a pull succeeds; `host-key-changed` once the new key is accepted. */
function resolvePullFindings(db: Db, now: number): number {
  let resolved = 0;
  const states = new Map((store.stmt(db, 'SELECT device, last_success, failures, snapshot_id FROM pull_state').all() as Array<{ device: string; last_success: number | null; failures: number; snapshot_id: number | null }>).map((s) => [s.device, s]));
  const waiting = new Set((store.stmt(db, 'SELECT device FROM host_key_changes').all() as Array<{ device: string }>).map((r) => r.device));
  db.transaction(() => {
    for (const f of openFindings(db, PULL_FINDING_KINDS)) {
      const why = pullFindingResolution(f, states.get(f.device), waiting, (device) =>
        store.stmt(db, 'SELECT fingerprint, pinned_by, pinned_at FROM host_keys WHERE device = ?').get(device) as PinnedKey | undefined);
      if (!why) continue;
      autoResolve(db, f.id, f.status, f.severity, JSON.parse(f.evidence) as FindingEvidence, why, now);
      resolved++;
    }
  }).immediate();
  return resolved;
}

export const PULL_FINDING_KINDS: ReadonlySet<string> = new Set(['pull-failed', 'host-key-changed']);

export interface PullStateLike {
  last_success: number | null;
  failures: number;
  snapshot_id: number | null;
}

export interface PinnedKey {
  fingerprint: string;
  pinned_by: string | null;
  pinned_at: number;
}

/**
 * Why an open `pull-failed` or `host-key-changed` finding is over (a pull succeeded since; the
 * changed key was accepted), or undefined while it holds. `waiting`: devices with a changed key
 * not yet accepted.
 */
export function pullFindingResolution(
  f: OpenFinding,
  state: PullStateLike | undefined,
  waiting: ReadonlySet<string>,
  pinned: (device: string) => PinnedKey | undefined,
): Resolution | undefined {
  if (f.kind === 'pull-failed' && state && state.failures === 0 && state.last_success !== null) {
    return { reason: `the pull at ${minuteUtc(state.last_success)} succeeded`, ...(state.snapshot_id !== null ? { snapshots: [state.snapshot_id] } : {}) };
  }
  if (f.kind === 'host-key-changed' && !waiting.has(f.device)) {
    const key = pinned(f.device);
    return { reason: key ? `key ${key.fingerprint} accepted${key.pinned_by ? ` by ${key.pinned_by}` : ''} at ${minuteUtc(key.pinned_at)}` : 'no changed key is waiting' };
  }
  return undefined;
}

/** Step 7: senders heard since the last look that are not the device's inventory address. */
function checkSenders(db: Db, s: NonNullable<ReconcileOptions['senders']>, now: number): number {
  const seen = store.getState(db, 'senders.seen') ?? 0;
  const rows = store.stmt(db, 'SELECT device, source, first_seen, last_seen FROM device_senders WHERE last_seen > ?').all(seen) as SenderRowLike[];
  if (!rows.length) return 0;
  const mismatches = senderMismatches(s.inventory, rows, relayCheck(s.relays));
  const latest = store.stmt(
    db,
    store.senderEvidenceSql(SENDER_EVIDENCE),
  );
  db.transaction(() => {
    for (const m of mismatches) {
      const events = senderEvidenceSpans(m).flatMap((q) => (latest.all({ device: q.device, from: q.from, to: q.to, source: q.source }) as Array<{ id: number }>).map((e) => e.id));
      raiseFinding(db, senderFinding(m, events.sort((a, b) => a - b), now));
    }
    store.setState(db, 'senders.seen', Math.max(...rows.map((r) => r.last_seen)));
  }).immediate();
  return mismatches.length;
}

type SenderRowLike = { device: string; source: string; first_seen: number; last_seen: number };

/** A full reconciliation. */
export function reconcile(db: Db, o: ReconcileOptions): ReconcileOutcome {
  const started = performance.now();
  const phases: Record<string, number> = {};
  let mark = started;
  const phase = <T>(name: string, f: () => T): T => {
    const value = f();
    const t = performance.now();
    phases[name] = Math.round(t - mark);
    mark = t;
    return value;
  };
  const index = o.roster ? new RosterIndex(o.roster) : undefined;
  const refs = new Map(o.devices.map((d) => [d.name, d]));
  // A full run judges every record stored so far: those the store thread has not yet moved into
  // the index tables are moved first (src/store/index-moves.ts; a run of records at most, in steps).
  phase('moves', () => new IndexMover(db).moveAll());
  const reopened = phase('reopen', () => reopenExpired(db, o.now).length);
  const created = phase('created', () => raiseCreations(db, index, refs, o.skewMs).raised);
  const changes = phase('changes', () => judgeChanges(db, index, refs, o));
  const vanished = phase('vanished', () => judgeVanished(db, refs, o));
  const lateExplained = phase('late', () => explainLate(db, index, refs, o));
  phase('named', () => namedLater(db, index, refs, o));
  const audited = phase('audit', () => auditSnapshots(db, o.collectorAddresses));

  const devices = phase('devices', () => store.deviceInfo(db, o.devices));
  // Open condition findings by device and account: the assessments kept are theirs, to say why one is gone.
  const open = new Map<string, Set<string>>();
  for (const f of openFindings(db, CONDITION_KINDS)) {
    let names = open.get(f.device);
    if (!names) open.set(f.device, (names = new Set()));
    names.add(f.account);
  }
  const settings: Settings = { dormantDays: o.dormantDays, silentHours: o.silentHours, requiredChecks: o.requiredChecks };
  const result = phase('evaluate', () =>
    evaluate({ now: o.now, roster: index, devices, accounts: store.presentAccounts(db), settings }, (a) => open.get(a.account.device)?.has(a.account.name) === true),
  );
  phase('origins', () => withOrigins((id) => store.originOf(db, id), result.conditions, index, refs, o.skewMs));
  const conditions = phase('sync', () => {
    const assessments = new Map(result.assessments.map((a) => [loginKey(a.account.device, a.account.name), a]));
    return syncConditions(db, CONDITION_KINDS, result.conditions, (f) => resolutionFor(f, devices, assessments, index !== undefined), o.now);
  });
  conditions.resolved += lateExplained;
  const pullFindingsResolved = phase('pulls', () => resolvePullFindings(db, o.now));
  const senders = phase('senders', () => (o.senders ? checkSenders(db, o.senders, o.now) : 0));

  const byKind: Record<string, number> = {};
  for (const r of store.stmt(db, `SELECT kind, count(*) AS n FROM findings WHERE status <> 'resolved' GROUP BY kind`).all() as Array<{ kind: string; n: number }>) byKind[r.kind] = r.n;
  return {
    ms: Math.round(performance.now() - started), phases, devices: devices.size, accounts: result.accounts, rosterEntries: o.roster?.entries.length,
    reopened, created, changesJudged: changes.judged, unlogged: changes.unlogged + vanished, audited, conditions, pullFindingsResolved,
    senderMismatches: senders, open: byKind,
  };
}
