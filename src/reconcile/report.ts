// The reconciliation as auditors export it (issue 6: CSV, JSON, PDF): one row per device and
// account — every account an inventory device holds, and every must-exist account it lacks —
// with its type and privilege, how it stands against the roster and who approved it, who created
// it when and by which path, its last login, and the finding raised on it with the reviewer's
// decision. Values are as stored (device text included): the exporter escapes for its format.

import type { Db } from '../store/db.js';
import { evaluate, RosterIndex, type RosterMatch } from './evaluate.js';
import type { FindingStatus, Severity } from './findings.js';
import { SEVERITY_RANK } from './findings.js';
import { SYSTEM_ACTOR } from './lifecycle.js';
import type { AccountType, Roster } from './roster.js';
import type { DeviceRef } from './scope.js';
import * as store from './store.js';
import { isoSeconds } from './text.js';

export interface RowFinding {
  id: number;
  kind: string;
  severity: Severity;
  status: FindingStatus;
  reviewer: string | null;
  decision: FindingStatus | null;
  decidedAt: string | null;
}

export interface ReconciliationRow {
  device: string;
  account: string;
  /** From the roster entry that governs it; null when it has none. */
  type: AccountType | null;
  /** `privilege 15`, `role network-admin`; empty for a missing account. */
  privilege: string;
  /** authorised, not on roster, privilege above roster, expired, not yet valid, missing, no roster. */
  rosterMatch: RosterMatch | 'missing';
  /** What the roster allows (`privilege 1`), when an entry governs it. */
  allowed: string | null;
  owner: string | null;
  department: string | null;
  approvalRef: string | null;
  approver: string | null;
  /** The roster entry (`file:line`). */
  rosterRef: string | null;
  /** When the explaining record says it was created (ISO 8601 UTC). */
  createdAt: string | null;
  createdBy: string | null;
  createdFrom: string | null;
  /** cli, rest, netconf, gui, tacacs, radius, os, cloud. */
  path: string | null;
  /** The attribution sentence of its creation. */
  attribution: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  lastLogin: string | null;
  daysInactive: number | null;
  /** The most severe finding's kind, then the others (`;`-separated). */
  findingKind: string | null;
  findingId: number | null;
  severity: Severity | null;
  status: FindingStatus | null;
  reviewer: string | null;
  decision: FindingStatus | null;
  decidedAt: string | null;
  findings: RowFinding[];
}

export interface ReportOptions {
  roster: Roster | undefined;
  /** The inventory. */
  devices: readonly DeviceRef[];
  dormantDays: number;
  now: number;
  /** Only this device. */
  device?: string;
}

interface FindingLite {
  id: number;
  kind: string;
  severity: Severity;
  status: FindingStatus;
  device: string;
  account: string;
}

/** Findings per device and account: the unresolved ones, else the latest resolved one (the decision trail of what was fixed). */
function findingsByAccount(db: Db): Map<string, FindingLite[]> {
  const rows = db
    .prepare(`SELECT id, kind, severity, status, device, account FROM findings WHERE account <> '' ORDER BY id`)
    .all() as FindingLite[];
  const out = new Map<string, FindingLite[]>();
  for (const f of rows) {
    const key = `${f.device}\u0000${f.account}`;
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  for (const [key, list] of out) {
    const unresolved = list.filter((f) => f.status !== 'resolved');
    out.set(key, unresolved.length ? unresolved : list.slice(-1));
  }
  return out;
}

/** The latest decision a person made on each finding (bare columns take the row max() chose). */
function decisions(db: Db): Map<number, { by: string; to: FindingStatus; at: number }> {
  const rows = db
    .prepare(`SELECT finding_id, by, to_status, at, max(id) FROM finding_history WHERE by <> ? GROUP BY finding_id`)
    .raw()
    .all(SYSTEM_ACTOR) as Array<[number, string, FindingStatus, number, number]>;
  return new Map(rows.map(([id, by, to, at]) => [id, { by, to, at }]));
}

export function reconciliationRows(db: Db, o: ReportOptions): ReconciliationRow[] {
  const inventory = o.device === undefined ? o.devices : o.devices.filter((d) => d.name === o.device);
  const devices = store.deviceInfo(db, inventory);
  const origins = store.origins(db);
  const index = o.roster ? new RosterIndex(o.roster) : undefined;
  const result = evaluate({
    now: o.now, roster: index, devices, accounts: store.presentAccounts(db),
    // Telemetry does not enter the rows; dormancy does.
    settings: { dormantDays: o.dormantDays, silentHours: Number.MAX_SAFE_INTEGER, requiredChecks: [] },
  });
  const found = findingsByAccount(db);
  const decided = decisions(db);
  const withDecision = (f: FindingLite): RowFinding => {
    const d = decided.get(f.id);
    return { id: f.id, kind: f.kind, severity: f.severity, status: f.status, reviewer: d?.by ?? null, decision: d?.to ?? null, decidedAt: isoSeconds(d?.at) };
  };
  const findingColumns = (device: string, account: string): Pick<ReconciliationRow, 'findingKind' | 'findingId' | 'severity' | 'status' | 'reviewer' | 'decision' | 'decidedAt' | 'findings'> => {
    const list = (found.get(`${device}\u0000${account}`) ?? []).map(withDecision).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id - b.id);
    const top = list[0];
    return {
      findingKind: list.length ? list.map((f) => f.kind).join('; ') : null,
      findingId: top?.id ?? null, severity: top?.severity ?? null, status: top?.status ?? null,
      reviewer: top?.reviewer ?? null, decision: top?.decision ?? null, decidedAt: top?.decidedAt ?? null,
      findings: list,
    };
  };

  const rows: ReconciliationRow[] = result.assessments.map((a) => {
    const origin = origins.get(a.account.id);
    const e = a.entry;
    return {
      device: a.account.device, account: a.account.name, type: e?.type ?? null, privilege: a.held.label, rosterMatch: a.match,
      allowed: a.allowed?.label ?? null, owner: e?.owner ?? null, department: e?.department ?? null, approvalRef: e?.approval ?? null,
      approver: e?.approver ?? null, rosterRef: e?.ref ?? null,
      createdAt: isoSeconds(origin?.at), createdBy: origin?.actor ?? null, createdFrom: origin?.actorAddress ?? null, path: origin?.path ?? null,
      attribution: origin?.sentence ?? null,
      firstSeen: isoSeconds(a.account.firstSeen), lastSeen: isoSeconds(a.account.lastSeen),
      lastLogin: isoSeconds(a.lastLogin?.time), daysInactive: a.inactiveDays ?? null,
      ...findingColumns(a.account.device, a.account.name),
    };
  });
  for (const c of result.conditions) {
    if (c.kind !== 'missing-account') continue;
    const entry = index!.entriesNamed(c.account).find((e) => e.mustExist);
    rows.push({
      device: c.device, account: c.account, type: entry?.type ?? null, privilege: '', rosterMatch: 'missing', allowed: entry ? entry.privilege : null,
      owner: entry?.owner ?? null, department: entry?.department ?? null, approvalRef: entry?.approval ?? null, approver: entry?.approver ?? null,
      rosterRef: entry?.ref ?? null, createdAt: null, createdBy: null, createdFrom: null, path: null, attribution: null,
      firstSeen: null, lastSeen: null, lastLogin: null, daysInactive: null,
      ...findingColumns(c.device, c.account),
    });
  }
  return rows.sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

/** The columns of the auditors' CSV, in order (issue 6), with the row field each comes from. */
export const REPORT_COLUMNS: ReadonlyArray<readonly [string, keyof ReconciliationRow]> = [
  ['device', 'device'], ['account', 'account'], ['type', 'type'], ['privilege', 'privilege'], ['roster match', 'rosterMatch'],
  ['allowed', 'allowed'], ['owner', 'owner'], ['department', 'department'], ['approval reference', 'approvalRef'], ['approver', 'approver'],
  ['created at', 'createdAt'], ['created by', 'createdBy'], ['created from', 'createdFrom'], ['path', 'path'], ['first seen', 'firstSeen'],
  ['last login', 'lastLogin'], ['days inactive', 'daysInactive'], ['finding kind', 'findingKind'], ['finding id', 'findingId'],
  ['status', 'status'], ['reviewer', 'reviewer'], ['decision', 'decision'], ['decided at', 'decidedAt'],
];
