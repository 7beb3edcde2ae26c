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
const CHUNK = 2000;

const keyOf = (kind: string, device: string, account: string): string => `${kind}\u0000${device}\u0000${account}`;

export function openFindings(db: Db, kinds: ReadonlySet<string>): OpenFinding[] {
  const list = [...kinds];
  return db
    .prepare(`SELECT id, kind, device, account, severity, status, summary, attribution, evidence FROM findings WHERE status <> 'resolved' AND kind IN (${list.map(() => '?').join(', ')})`)
    .all(...list) as OpenFinding[];
}

/**
 * Bring findings of `kinds` in line with `conditions`. `resolution` says, for an open finding
 * without a condition, why it is gone — or undefined when that cannot be judged now (a device not
 * pulled yet), in which case it is left as it is.
 */
export function syncConditions(
  db: Db,
  kinds: ReadonlySet<string>,
  conditions: readonly Condition[],
  resolution: (f: OpenFinding) => Resolution | undefined,
  now: number,
): SyncResult {
  const open = new Map(openFindings(db, kinds).map((f) => [keyOf(f.kind, f.device, f.account), f]));
  const result: SyncResult = { raised: 0, escalated: 0, refreshed: 0, resolved: 0 };
  const insert = stmt(db, 
    `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence, attribution, first_seen, last_seen, occurrences, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  const touch = stmt(db, 'UPDATE findings SET last_seen = ? WHERE id = ?');
  const update = stmt(db, 
    `UPDATE findings SET severity = ?, summary = ?, evidence = ?, attribution = ?, last_seen = ?, occurrences = occurrences + 1, updated_at = ? WHERE id = ?`,
  );
  const work: Array<() => void> = [];
  for (const c of conditions) {
    const key = keyOf(c.kind, c.device, c.account);
    const existing = open.get(key);
    open.delete(key);
    const evidence = JSON.stringify(c.evidence);
    const attribution = c.attribution ?? null;
    if (!existing) {
      work.push(() => {
        const id = Number(insert.run(c.kind, c.severity, c.device, c.account, c.summary, c.technique ?? null, evidence, attribution, now, now, now).lastInsertRowid);
        addHistory(db, { findingId: id, at: now, by: 'aaawatch', from: null, to: 'open', severity: c.severity });
        result.raised++;
      });
    } else if (existing.summary === c.summary && existing.evidence === evidence && existing.severity === c.severity && existing.attribution === attribution) {
      work.push(() => {
        touch.run(now, existing.id);
        result.refreshed++;
      });
    } else {
      work.push(() => {
        update.run(c.severity, c.summary, evidence, attribution, now, now, existing.id);
        if (SEVERITY_RANK[c.severity] > SEVERITY_RANK[existing.severity]) {
          addHistory(db, {
            findingId: existing.id, at: now, by: 'aaawatch', from: existing.status, to: existing.status,
            reason: `severity raised from ${existing.severity} to ${c.severity}`, severity: c.severity,
          });
          result.escalated++;
        }
        result.refreshed++;
      });
    }
  }
  for (const f of open.values()) {
    const why = resolution(f);
    if (!why) continue;
    work.push(() => {
      autoResolve(db, f.id, f.status, f.severity, JSON.parse(f.evidence) as FindingEvidence, why, now);
      result.resolved++;
    });
  }
  for (let i = 0; i < work.length; i += CHUNK) {
    const slice = work.slice(i, i + CHUNK);
    db.transaction(() => {
      for (const w of slice) w();
    }).immediate();
  }
  return result;
}
