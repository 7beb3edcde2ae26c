// Raising findings: one open finding per (kind, device, account); a repeat updates it (last
// seen, occurrences, evidence, and severity if higher) instead of piling up.

import type { Db } from '../store/db.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type FindingStatus = 'open' | 'acknowledged' | 'accepted' | 'resolved';

export interface FindingEvidence {
  events?: number[];
  snapshots?: number[];
  [key: string]: unknown;
}

export interface NewFinding {
  kind: string;
  severity: Severity;
  device: string;
  account?: string;
  summary: string;
  technique?: string;
  evidence: FindingEvidence;
  at?: number;
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

function mergeEvidence(a: FindingEvidence, b: FindingEvidence): FindingEvidence {
  const out: FindingEvidence = { ...a, ...b };
  for (const key of ['events', 'snapshots'] as const) {
    const merged = [...new Set([...(a[key] ?? []), ...(b[key] ?? [])])];
    // Bounded: a finding that repeats for years keeps its first and latest evidence.
    if (merged.length) out[key] = merged.length > 200 ? [...merged.slice(0, 50), ...merged.slice(-150)] : merged;
  }
  return out;
}

/** Raise or refresh a finding; returns its id and whether it is new (new findings are alerted). */
export function raiseFinding(db: Db, f: NewFinding): { id: number; created: boolean; escalated: boolean } {
  const at = f.at ?? Date.now();
  const account = f.account ?? '';
  return db.transaction(() => {
    const existing = db
      .prepare(
        `SELECT id, severity, evidence FROM findings WHERE kind = ? AND device = ? AND account = ? AND status <> 'resolved'`,
      )
      .get(f.kind, f.device, account) as { id: number; severity: Severity; evidence: string } | undefined;
    if (existing) {
      const escalated = RANK[f.severity] > RANK[existing.severity];
      db.prepare(
        `UPDATE findings SET last_seen = max(last_seen, ?), occurrences = occurrences + 1, evidence = ?,
           severity = CASE WHEN ? THEN ? ELSE severity END, summary = CASE WHEN ? THEN ? ELSE summary END,
           updated_at = ? WHERE id = ?`,
      ).run(
        at, JSON.stringify(mergeEvidence(JSON.parse(existing.evidence) as FindingEvidence, f.evidence)),
        escalated ? 1 : 0, f.severity, escalated ? 1 : 0, f.summary, at, existing.id,
      );
      return { id: existing.id, created: false, escalated };
    }
    const id = Number(
      db
        .prepare(
          `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence,
             first_seen, last_seen, occurrences, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, 1, ?)`,
        )
        .run(f.kind, f.severity, f.device, account, f.summary, f.technique ?? null, JSON.stringify(f.evidence), at, at, at)
        .lastInsertRowid,
    );
    db.prepare(`INSERT INTO finding_history (finding_id, at, by, from_status, to_status) VALUES (?, ?, 'aaawatch', NULL, 'open')`).run(id, at);
    return { id, created: true, escalated: false };
  })();
}
