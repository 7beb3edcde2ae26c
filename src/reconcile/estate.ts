// The estate's reconciliation through EstateStore, for collectors sharing a PostgreSQL store: run
// by the one collector that holds the leader lease (src/reconcile/leader.ts). It is steps 4–6 of
// src/reconcile/run.ts — auditability of the latest snapshots, every account, device and roster
// entry evaluated with findings following the conditions, pull findings resolved — with the same
// pure parts (evaluate, withOrigins, resolutionFor, pullFindingResolution). SQLite keeps its
// synchronous run.ts in its own thread, measured at scale; steps 1–3 and 7 (reopening accepted
// findings, account-created, change attribution, sender checks) and alerts read the record tables
// in ways not yet written for PostgreSQL (README, "More than one box — status").

import { auditability } from './auditability.js';
import { CONDITION_KINDS, evaluate, RosterIndex, type Settings } from './evaluate.js';
import type { EstateStore } from './estate-store.js';
import { loginKey } from './model.js';
import { PULL_FINDING_KINDS, pullFindingResolution, resolutionFor, withOrigins, type ReconcileOptions } from './run.js';
import type { OpenFinding, Resolution, SyncResult } from './sync.js';

export interface EstateOutcome {
  ms: number;
  devices: number;
  accounts: number;
  audited: number;
  conditions: SyncResult;
  pullFindingsResolved: number;
  open: Record<string, number>;
}

/** Thrown between steps when the run may no longer write (this collector is no longer the leader). */
export class NotLeader extends Error {
  constructor() {
    super('no longer the reconcile leader; the run stopped before writing');
  }
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
  const todo = await s.snapshotsToAudit(o.collectorAddresses);
  for (const snap of todo) {
    const config = await s.snapshotConfig(snap.id);
    guard();
    if (config !== undefined) await s.saveAudit(snap.id, { collectors: [...o.collectorAddresses], checks: auditability(snap.platform, config, o.collectorAddresses) });
  }

  const index = o.roster ? new RosterIndex(o.roster) : undefined;
  const refs = new Map(o.devices.map((d) => [d.name, d]));
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
  withOrigins((id) => origins.get(id), result.conditions, index, refs);
  const assessments = new Map(result.assessments.map((a) => [loginKey(a.account.device, a.account.name), a]));
  guard();
  const conditions = await s.syncConditions(CONDITION_KINDS, result.conditions, (f) => resolutionFor(f, devices, assessments, index !== undefined), o.now);

  const [states, waiting, pinned] = await Promise.all([s.pullStates(), s.keysWaiting(), s.pinnedKeys()]);
  const over: Array<{ finding: OpenFinding; why: Resolution }> = [];
  for (const f of await s.openFindings(PULL_FINDING_KINDS)) {
    const why = pullFindingResolution(f, states.get(f.device), waiting, (d) => pinned.get(d));
    if (why) over.push({ finding: f, why });
  }
  guard();
  if (over.length) await s.resolve(over, o.now);

  return {
    ms: Math.round(performance.now() - started), devices: devices.size, accounts: result.accounts, audited: todo.length, conditions,
    pullFindingsResolved: over.length, open: await s.openByKind(),
  };
}
