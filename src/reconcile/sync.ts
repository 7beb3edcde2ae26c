// Writing a reconciliation's conditions as findings: a new condition raises a finding; one that
// still holds refreshes it (last seen; summary, evidence and severity when they changed, with an
// escalation entry when severity rose); an open finding whose condition is gone is resolved with
// the evidence that shows it. Many thousands of findings are written per run at scale, so this
// reads the open ones once and writes in bounded transactions (the ingest thread shares the file).

import type { Db } from '../store/db.js';
import type { Condition } from './evaluate.js';
import { addHistory, SEVERITY_RANK, type FindingEvidence, type FindingStatus, type Severity } from './findings.js';
import { autoResolve } from './lifecycle.js';
import { stmt } from './store.js';

export interface OpenFinding {
  id: number;
  kind: string;
  device: string;
  account: string;
  severity: Severity;
  status: FindingStatus;
  summary: string;
  attribution: string | null;
  evidence: string;
}

export interface Resolution {
  reason: string;
  snapshots?: number[];
  events?: number[];
}

export interface SyncResult {
  raised: number;
  escalated: number;
  refreshed: number;
  resolved: number;
}

/** Rows written per transaction: short enough that the ingest writer never waits long for the lock. */
export const SYNC_CHUNK = 2000;

const keyOf = (kind: string, device: string, account: string): string => `${kind}\u0000${device}\u0000${account}`;

export function openFindings(db: Db, kinds: ReadonlySet<string>): OpenFinding[] {
  const list = [...kinds];
  return db
    .prepare(`SELECT id, kind, device, account, severity, status, summary, attribution, evidence FROM findings WHERE status <> 'resolved' AND kind IN (${list.map(() => '?').join(', ')})`)
    .all(...list) as OpenFinding[];
}

/** What bringing findings in line with conditions does to each finding, decided apart from any engine. */
export type SyncStep =
  | { do: 'raise'; condition: Condition; evidence: string }
  | { do: 'touch'; finding: OpenFinding }
  | { do: 'update'; finding: OpenFinding; condition: Condition; evidence: string; escalated: boolean }
  | { do: 'resolve'; finding: OpenFinding; why: Resolution };

/**
 * The steps that bring the `open` findings in line with `conditions`. `resolution` says, for an
 * open finding without a condition, why it is gone — or undefined when that cannot be judged now
 * (a device not pulled yet), in which case it is left as it is.
 */
export function planSync(open: readonly OpenFinding[], conditions: readonly Condition[], resolution: (f: OpenFinding) => Resolution | undefined): SyncStep[] {
  const byKey = new Map(open.map((f) => [keyOf(f.kind, f.device, f.account), f]));
  const steps: SyncStep[] = [];
  for (const c of conditions) {
    const key = keyOf(c.kind, c.device, c.account);
    const existing = byKey.get(key);
    byKey.delete(key);
    const evidence = JSON.stringify(c.evidence);
    if (!existing) steps.push({ do: 'raise', condition: c, evidence });
    else if (existing.summary === c.summary && existing.evidence === evidence && existing.severity === c.severity && existing.attribution === (c.attribution ?? null)) {
      steps.push({ do: 'touch', finding: existing });
    } else steps.push({ do: 'update', finding: existing, condition: c, evidence, escalated: SEVERITY_RANK[c.severity] > SEVERITY_RANK[existing.severity] });
  }
  for (const f of byKey.values()) {
    const why = resolution(f);
    if (why) steps.push({ do: 'resolve', finding: f, why });
  }
  return steps;
}

/** What a plan's steps add up to once written. */
export function tally(steps: readonly SyncStep[]): SyncResult {
  const result: SyncResult = { raised: 0, escalated: 0, refreshed: 0, resolved: 0 };
  for (const s of steps) {
    if (s.do === 'raise') result.raised++;
    else if (s.do === 'resolve') result.resolved++;
    else {
      result.refreshed++;
      if (s.do === 'update' && s.escalated) result.escalated++;
    }
  }
  return result;
}

/** Bring findings of `kinds` in line with `conditions` (see planSync), in transactions of SYNC_CHUNK steps. */
export function syncConditions(
  db: Db,
  kinds: ReadonlySet<string>,
  conditions: readonly Condition[],
  resolution: (f: OpenFinding) => Resolution | undefined,
  now: number,
): SyncResult {
  const steps = planSync(openFindings(db, kinds), conditions, resolution);
  const insert = stmt(db, 
    `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence, attribution, first_seen, last_seen, occurrences, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  const touch = stmt(db, 'UPDATE findings SET last_seen = ? WHERE id = ?');
  const update = stmt(db, 
    `UPDATE findings SET severity = ?, summary = ?, evidence = ?, attribution = ?, last_seen = ?, occurrences = occurrences + 1, updated_at = ? WHERE id = ?`,
  );
  const write = (s: SyncStep): void => {
    if (s.do === 'raise') {
      const c = s.condition;
      const id = Number(insert.run(c.kind, c.severity, c.device, c.account, c.summary, c.technique ?? null, s.evidence, c.attribution ?? null, now, now, now).lastInsertRowid);
      addHistory(db, { findingId: id, at: now, by: 'aaawatch', from: null, to: 'open', severity: c.severity });
    } else if (s.do === 'touch') touch.run(now, s.finding.id);
    else if (s.do === 'update') {
      const { finding: f, condition: c } = s;
      update.run(c.severity, c.summary, s.evidence, c.attribution ?? null, now, now, f.id);
      if (s.escalated) {
        addHistory(db, {
          findingId: f.id, at: now, by: 'aaawatch', from: f.status, to: f.status,
          reason: `severity raised from ${f.severity} to ${c.severity}`, severity: c.severity,
        });
      }
    } else autoResolve(db, s.finding.id, s.finding.status, s.finding.severity, JSON.parse(s.finding.evidence) as FindingEvidence, s.why, now);
  };
  for (let i = 0; i < steps.length; i += SYNC_CHUNK) {
    const slice = steps.slice(i, i + SYNC_CHUNK);
    db.transaction(() => {
      for (const s of slice) write(s);
    }).immediate();
  }
  return tally(steps);
}
