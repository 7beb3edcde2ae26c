// The estate's reconciliation through EstateStore, for collectors sharing a PostgreSQL store: run
// by the one collector that holds the leader lease (src/reconcile/leader.ts). It is every step of
// src/reconcile/run.ts, in the same order — accepted findings whose acceptance ran out reopened,
// account-created for new account records, changes between pulls attributed (unlogged-change when
// no record explains one, and resolved when a late record does), syslog-made accounts a later pull
// lacks with no removal record (unlogged-change), account-created naming no maker attributed again
// once the change's command arrived, auditability of the latest
// snapshots, every account, device and roster entry evaluated with findings following the
// conditions, pull findings resolved, sender-mismatch — with the same pure parts (judge.ts,
// evaluate, withOrigins, resolutionFor, pullFindingResolution), so both engines raise the same
// findings from the same records (test/reconcile/estate-scenario.test.ts). SQLite keeps its
// synchronous run.ts in its own thread, measured at scale (bench:reconcile); this one reads a record
// at a time where run.ts reads thousands at once on a first run (no bulk read of every account
// record: a shared store is read over the network, and a leader's runs follow each other).

import type { Candidates } from './attribution.js';
import { auditability } from './auditability.js';
import { CONDITION_KINDS, evaluate, RosterIndex, type Settings } from './evaluate.js';
import type { EstateStore } from './estate-store.js';
import type { FindingEvidence, NewFinding } from './findings.js';
import { restateCandidates, restatingIds } from './held.js';
import {
  attributionRow, baselineWithoutRecord, type CreationGroup, changeSpan, CORROBORATING_PER_SIDE, creationFindingFor, creationGroups, judgedAsRenamed, judgeChange, lateAttribution, lateReason,
  CREATIONS_STAMP_MARGIN_MS, loggedCreations, mergeSenderRows, relayCheck, SAME_CHANGE_MS, senderEvidenceSpans, SESSION_LOOKBACK_MS, sessionLookups, lookupsOfEach, unnamedSpans,
  NAMED_LATER_MS, namedMaking, renamed, unnamedMaker, vanishedFinding, vanishedSpan,
} from './judge.js';
import { loginKey, type StoredRecord } from './model.js';
import { renameLivesAsync } from './renames.js';
import { PULL_FINDING_KINDS, pullFindingResolution, resolutionFor, withOrigins, type ReconcileOptions } from './run.js';
import type { DeviceRef } from './scope.js';
import { senderFinding, senderMismatches } from './senders.js';
import { makingRecords, namesNoMaker, stampedCreations, type AttributionRow, type PendingChange } from './store.js';
import type { OpenFinding, Resolution, SyncResult } from './sync.js';
import { firstWaiting, mayWait } from './under-way.js';

export interface EstateOutcome {
  ms: number;
  devices: number;
  accounts: number;
  reopened: number;
  created: number;
  changesJudged: number;
  unlogged: number;
  audited: number;
  conditions: SyncResult;
  pullFindingsResolved: number;
  senderMismatches: number;
  open: Record<string, number>;
  /**
   * When the oldest change or pull this run left for the skew may be judged (its time plus the skew),
   * or undefined: the leader runs again then (leader.ts), as SQLite's service does (service.ts followUpChanges).
   */
  judgeableAt: number | undefined;
}

/** Thrown between steps when the run may no longer write (this collector is no longer the leader). */
export class NotLeader extends Error {
  constructor() {
    super('no longer the reconcile leader; the run stopped before writing');
  }
}

/** Creations judged per transaction, as run.ts. */
const CREATION_BATCH = 100;
/** Changes read per step. */
const CHANGE_BATCH = 500;
/** Pull runs read per step, as run.ts. */
const PULL_BATCH = 200;

type Guard = () => void;

/** The sessions and corroborating commands of the actors of `records` (judge.ts sessionLookups says which). */
async function sessionsFor(s: EstateStore, device: string, records: readonly StoredRecord[]): Promise<StoredRecord[]> {
  const out = new Map<number, StoredRecord>();
  for (const l of sessionLookups(records)) {
    const login = await s.lastLoginOf(device, l.actor, l.time - SESSION_LOOKBACK_MS, l.time);
    if (login) out.set(login.id, login);
    if (!l.commands) continue;
    for (const c of await s.commandsNear(device, l.actor, l.time, SAME_CHANGE_MS, CORROBORATING_PER_SIDE)) out.set(c.id, c);
  }
  for (const span of unnamedSpans(records)) for (const c of await s.commandsNaming(device, span.account, span.from, span.to)) out.set(c.id, c);
  return [...out.values()];
}

/**
 * sessionsFor of each record alone (`[record]`), the look-ups of all of them read together
 * (EstateStore.sessionsAt), as run.ts sessionsOfEach: account-created attributes a step's findings at once.
 */
async function sessionsOfEach(s: EstateStore, records: readonly StoredRecord[]): Promise<StoredRecord[][]> {
  const each = lookupsOfEach(records);
  const sessions = each.sessions(await s.sessionsAt(each.keys, SESSION_LOOKBACK_MS, SAME_CHANGE_MS, CORROBORATING_PER_SIDE));
  // A record naming no actor: the commands of its change by whoever (judge.ts unnamedSpans).
  for (const [i, r] of records.entries()) {
    for (const span of unnamedSpans([r])) sessions[i]!.push(...(await s.commandsNaming(r.device, span.account, span.from, span.to)));
  }
  return sessions;
}

/** run.ts asRenamed on a shared store: a rename's making judged on what the old name held. */
async function asRenamedEstate(s: EstateStore, g: CreationGroup, devices: ReadonlyMap<string, DeviceRef>): Promise<CreationGroup> {
  const r = g.judged;
  if (r.action !== 'account.create' || r.technique !== 'T1098') return g;
  const lives = await renameLivesAsync(r, {
    partner: (m) => s.renamePartner(m.id),
    records: (from) => s.accountRecordsFor(r.device, from.target, Number.MIN_SAFE_INTEGER, from.time),
    pulled: (from) => s.pulledStateAt(r.device, from.target, from.time),
  });
  return lives.length ? judgedAsRenamed(g, lives, devices) : g;
}

/** run.ts named on a shared store: a making naming no actor given the one its other records name (judge.ts namedMaking). */
async function namedEstate(s: EstateStore, g: CreationGroup, step: readonly StoredRecord[]): Promise<CreationGroup> {
  const r = g.judged;
  if (r.actor !== undefined || r.target === undefined) return g;
  return namedMaking(g, [...step, ...(await s.accountRecordsFor(r.device, r.target, r.time - SAME_CHANGE_MS - 1, r.time + SAME_CHANGE_MS))]);
}

/**
 * Step 2 (run.ts raiseCreations): account-created for account records stored since the last
 * position, at most `limit` (the rest wait for the next call). The leader calls it between runs
 * too, so a creation is raised within reconcile.pullCheckSeconds of being stored on any collector
 * (or, logged while a pull of its device is under way, once that pull ends: under-way.ts).
 */
export async function raiseCreationsEstate(
  s: EstateStore,
  index: RosterIndex | undefined,
  devices: ReadonlyMap<string, DeviceRef>,
  guard: Guard,
  now: number,
  skewMs: number,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ raised: number; more: boolean; unnamed: boolean }> {
  guard();
  await s.startCreationsHere(now);
  const underWay = await s.pullsUnderWay(now);
  let raised = 0;
  let read = 0;
  let unnamed = false;
  for (;;) {
    if (read >= limit) return { raised, more: true, unnamed };
    // A step may hold no creation and still move positions (past records that create nothing); nothing to read is the end.
    let { records, positions } = await s.newAccountRecords(CREATION_BATCH);
    if (!records.length && !Object.keys(positions).length) break;
    // A creation waiting for a pull of its device (under-way.ts): the step ends before it, and the pass
    // with the step (the leader's next pass, a second on, looks again).
    const wait = firstWaiting(records, underWay, await s.receipts(mayWait(records, underWay)), now);
    if (wait) ({ records, positions } = await s.newAccountRecords(CREATION_BATCH, wait.id));
    read += CREATION_BATCH;
    const findings: NewFinding[] = [];
    const granting: StoredRecord[] = [];
    const restating = await restatingInEstate(s, records, skewMs);
    for (const r of records) if (!restating.has(r.id)) granting.push(r);
    const groups = await Promise.all(creationGroups(granting, devices).map(async (g) => namedEstate(s, await asRenamedEstate(s, g, devices), records)));
    const sessions = await sessionsOfEach(s, groups.map((g) => g.judged));
    groups.forEach((g, i) => findings.push(creationFindingFor(g, devices, index, sessions[i]!)));
    unnamed ||= findings.some((f) => namesNoMaker(f.attribution));
    guard();
    await s.write({ findings, positions });
    raised += findings.length;
    if (wait) break;
  }
  return { raised, more: false, unnamed };
}

/** Step 3 (run.ts judgeChanges): attribute changes between pulls; unexplained ones raise unlogged-change. */
async function judgeChanges(
  s: EstateStore, index: RosterIndex | undefined, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions, guard: Guard,
): Promise<{ judged: number; unlogged: number; judgeableAt: number | undefined }> {
  let judged = 0;
  let unlogged = 0;
  let judgeableAt: number | undefined;
  for (;;) {
    const batch = await s.changesToJudge(CHANGE_BATCH);
    // A change is judged once late syslog can no longer arrive for it; ids grow with time, so stop at the first too recent.
    const tooRecent = batch.findIndex((c) => c.at + o.skewMs > o.now);
    if (tooRecent >= 0) judgeableAt = batch[tooRecent]!.at + o.skewMs;
    const ready = tooRecent < 0 ? batch : batch.slice(0, tooRecent);
    if (!ready.length) break;
    const attributions: AttributionRow[] = [];
    const findings: NewFinding[] = [];
    for (const c of ready) {
      const previous = c.fromSnapshotId === null ? undefined : await s.previousPullAt(c.device, c.at, c.fromSnapshotId);
      const { from, to } = changeSpan(previous, c.at, o.skewMs);
      const account = await makingOnlyEstate(s, c, await s.accountRecordsFor(c.device, c.name, from, to), o.skewMs);
      if (baselineWithoutRecord(c, account)) continue;
      const candidates: Candidates = {
        account,
        sessions: account.length ? await sessionsFor(s, c.device, account) : [],
        configuration: account.length || c.fromSnapshotId === null ? [] : await s.configurationRecords(c.device, from, to),
      };
      const j = judgeChange(c, devices, index, previous, candidates, o.now);
      attributions.push(j.attribution);
      judged++;
      if (j.finding) {
        unlogged++;
        findings.push(j.finding);
      }
    }
    guard();
    await s.write({ attributions, findings, positions: { 'changes.judged': ready[ready.length - 1]!.id } });
    if (ready.length < batch.length) break;
  }
  return { judged, unlogged, judgeableAt };
}

/** Step 3b (run.ts judgeVanished): accounts whose creation was logged that a later successful pull lacks, with no removal record. */
async function judgeVanished(s: EstateStore, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions, guard: Guard): Promise<{ raised: number; judgeableAt: number | undefined }> {
  let raised = 0;
  let judgeableAt: number | undefined;
  for (;;) {
    const batch = await s.pullsToJudge(PULL_BATCH);
    const tooRecent = batch.findIndex((p) => p.finishedAt + o.skewMs > o.now);
    if (tooRecent >= 0) judgeableAt = batch[tooRecent]!.finishedAt + o.skewMs;
    const ready = tooRecent < 0 ? batch : batch.slice(0, tooRecent);
    if (!ready.length) break;
    const findings: NewFinding[] = [];
    for (const p of ready) {
      const { from, to } = vanishedSpan(await s.previousPullStart(p.device, p.startedAt), p.startedAt, o.skewMs);
      const stamped = await s.loggedCreationsOn(p.device, from - CREATIONS_STAMP_MARGIN_MS, to + CREATIONS_STAMP_MARGIN_MS);
      for (const make of loggedCreations(stamped, from, to, o.skewMs)) {
        if (await s.pullKnew(p.device, make.target!, p.finishedAt)) continue;
        const end = p.finishedAt + o.skewMs;
        const account = await s.accountRecordsFor(p.device, make.target!, make.receivedAt ?? make.time, end);
        const finding = vanishedFinding(make, p, devices, { account, configuration: await s.configurationRecords(p.device, make.receivedAt ?? make.time, end) }, o.now);
        if (finding) findings.push(finding);
      }
    }
    guard();
    await s.write({ findings, positions: { 'pulls.vanished': ready[ready.length - 1]!.id } });
    raised += findings.length;
    if (ready.length < batch.length) break;
  }
  return { raised, judgeableAt };
}

/** run.ts explainLate: open unlogged-change findings whose changes a record that arrived late now explains. */
async function explainLate(s: EstateStore, index: RosterIndex | undefined, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions, guard: Guard): Promise<number> {
  let resolved = 0;
  for (const f of await s.openFindings(new Set(['unlogged-change']))) {
    const ids = (JSON.parse(f.evidence) as FindingEvidence & { changes?: number[] }).changes ?? [];
    if (!ids.length) continue;
    const rows = (await Promise.all(ids.map((id) => s.changeById(id)))).filter((c): c is PendingChange => c !== undefined);
    if (!rows.length) continue;
    const done: Array<{ c: PendingChange; a: ReturnType<typeof lateAttribution> }> = [];
    for (const c of rows) {
      const previous = c.fromSnapshotId === null ? undefined : await s.previousPullAt(c.device, c.at, c.fromSnapshotId);
      const { from, to } = changeSpan(previous, c.at, o.skewMs);
      // A creation made after the pull read the configuration is no late explanation (run.ts explainLate).
      const account = await makingOnlyEstate(s, c, await s.accountRecordsFor(c.device, c.name, from, to), o.skewMs);
      if (!account.length) break;
      done.push({ c, a: lateAttribution(c, devices, index, previous, { account, sessions: await sessionsFor(s, c.device, account) }) });
    }
    if (done.length < rows.length) continue;
    guard();
    await s.explain(f, done.map(({ c, a }) => attributionRow(c, a, true)), lateReason(done.map((x) => x.a)), o.now);
    resolved++;
  }
  return resolved;
}

/** run.ts namedLater: open account-created findings naming no maker, attributed again now that the same change's command may have arrived. */
async function namedLater(s: EstateStore, index: RosterIndex | undefined, devices: ReadonlyMap<string, DeviceRef>, o: ReconcileOptions, guard: Guard): Promise<number> {
  let named = 0;
  for (const f of await s.unnamedCreations(o.now - NAMED_LATER_MS)) {
    const maker = unnamedMaker(await s.recordsById((JSON.parse(f.evidence) as FindingEvidence).events ?? []), f.device, f.account);
    if (!maker) continue;
    const fresh = creationFindingFor({ judged: maker, ids: [maker.id] }, devices, index, (await sessionsOfEach(s, [maker]))[0]!);
    const update = renamed(f, fresh);
    if (!update) continue;
    const attributions: AttributionRow[] = [];
    for (const c of await s.unnamedChanges(f.device, f.account)) {
      const previous = c.fromSnapshotId === null ? undefined : await s.previousPullAt(c.device, c.at, c.fromSnapshotId);
      const { from, to } = changeSpan(previous, c.at, o.skewMs);
      const account = await s.accountRecordsFor(c.device, c.name, from, to);
      attributions.push(attributionRow(c, lateAttribution(c, devices, index, previous, { account, sessions: await sessionsFor(s, c.device, account) })));
    }
    guard();
    await s.reattribute(f, update, attributions, o.now);
    named++;
  }
  return named;
}

/** Step 7 (run.ts checkSenders): senders heard since the last look that are not the device's inventory address. */
async function checkSenders(s: EstateStore, senders: NonNullable<ReconcileOptions['senders']>, now: number, guard: Guard): Promise<number> {
  const { rows, positions } = await s.newSenders();
  if (!rows.length) return 0;
  const mismatches = senderMismatches(senders.inventory, mergeSenderRows(rows), relayCheck(senders.relays));
  const findings: NewFinding[] = [];
  for (const m of mismatches) {
    const events: number[] = [];
    for (const q of senderEvidenceSpans(m)) events.push(...(await s.senderEvents(q.device, q.source, q.from, q.to)));
    findings.push(senderFinding(m, events.sort((a, b) => a - b), now));
  }
  guard();
  await s.write({ findings, positions });
  return mismatches.length;
}

/**
 * One run. `mayWrite` is asked before each step that writes: a leader that lost its lease stops
 * there, so two collectors never write the same run's findings.
 */
export async function reconcileEstate(s: EstateStore, o: ReconcileOptions, mayWrite: () => boolean = () => true): Promise<EstateOutcome> {
  const started = performance.now();
  const guard = (): void => {
    if (!mayWrite()) throw new NotLeader();
  };
  const index = o.roster ? new RosterIndex(o.roster) : undefined;
  const refs = new Map(o.devices.map((d) => [d.name, d]));
  guard();
  const reopened = await s.reopenExpired(o.now);
  const created = (await raiseCreationsEstate(s, index, refs, guard, o.now, o.skewMs)).raised;
  const changes = await judgeChanges(s, index, refs, o, guard);
  const vanished = await judgeVanished(s, refs, o, guard);
  const lateExplained = await explainLate(s, index, refs, o, guard);
  await namedLater(s, index, refs, o, guard);

  const todo = await s.snapshotsToAudit(o.collectorAddresses);
  for (const snap of todo) {
    const config = await s.snapshotConfig(snap.id);
    guard();
    if (config !== undefined) await s.saveAudit(snap.id, { collectors: [...o.collectorAddresses], checks: auditability(snap.platform, config, o.collectorAddresses) });
  }

  const devices = await s.deviceInfo(o.devices);
  const open = new Map<string, Set<string>>();
  for (const f of await s.openFindings(CONDITION_KINDS)) {
    let names = open.get(f.device);
    if (!names) open.set(f.device, (names = new Set()));
    names.add(f.account);
  }
  const settings: Settings = { dormantDays: o.dormantDays, silentHours: o.silentHours, requiredChecks: o.requiredChecks };
  const result = evaluate({ now: o.now, roster: index, devices, accounts: await s.presentAccounts(), settings }, (a) => open.get(a.account.device)?.has(a.account.name) === true);
  const origins = await s.origins();
  withOrigins((id) => origins.get(id), result.conditions, index, refs, o.skewMs);
  const assessments = new Map(result.assessments.map((a) => [loginKey(a.account.device, a.account.name), a]));
  guard();
  const conditions = await s.syncConditions(CONDITION_KINDS, result.conditions, (f) => resolutionFor(f, devices, assessments, index !== undefined), o.now);
  conditions.resolved += lateExplained;

  const [states, waiting, pinned] = await Promise.all([s.pullStates(), s.keysWaiting(), s.pinnedKeys()]);
  const over: Array<{ finding: OpenFinding; why: Resolution }> = [];
  for (const f of await s.openFindings(PULL_FINDING_KINDS)) {
    const why = pullFindingResolution(f, states.get(f.device), waiting, (d) => pinned.get(d));
    if (why) over.push({ finding: f, why });
  }
  guard();
  if (over.length) await s.resolve(over, o.now);
  const senders = o.senders ? await checkSenders(s, o.senders, o.now, guard) : 0;

  return {
    ms: Math.round(performance.now() - started), devices: devices.size, accounts: result.accounts, reopened, created,
    changesJudged: changes.judged, unlogged: changes.unlogged + vanished.raised, audited: todo.length, conditions,
    pullFindingsResolved: over.length, senderMismatches: senders, open: await s.openByKind(),
    judgeableAt: earliest(changes.judgeableAt, vanished.judgeableAt),
  };
}

/** The earlier of two times either may lack. */
function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The ids of a step's records that only restate what their account already held (src/reconcile/held.ts), over any EstateStore. */
async function restatingInEstate(s: EstateStore, records: readonly StoredRecord[], skewMs: number): Promise<Set<number>> {
  const candidates = restateCandidates(records);
  return candidates.length ? restatingIds(candidates, await s.heldHistory(candidates, skewMs)) : new Set();
}

/** A change's records without the creations made after its pull read the configuration (store.ts makingRecords), over any EstateStore. */
async function makingOnlyEstate(s: EstateStore, c: PendingChange, account: StoredRecord[], skewMs: number): Promise<StoredRecord[]> {
  if (c.change !== 'added' || !account.some((r) => r.action === 'account.create')) return account;
  return makingRecords(c, account, await s.pullRead(c.device, c.at), await s.receipts(stampedCreations(c, account)), skewMs);
}
