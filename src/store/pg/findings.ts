// Raising a finding in a shared PostgreSQL store: src/reconcile/findings.ts's rule (one open
// finding per kind, device and account; a repeat refreshes it, a higher severity escalates it and
// is written to its history) in PostgreSQL's SQL. Two collectors may raise the same finding at
// once (one's pull failing while the leader reconciles): a transaction-scoped advisory lock on the
// finding's key makes the second wait and then refresh the first's row, never insert a twin.

import type pg from 'pg';
import { SYSTEM_ACTOR } from '../../reconcile/lifecycle.js';
import { mergeEvidence, SEVERITY_RANK, type FindingEvidence, type FindingStatus, type NewFinding, type Severity } from '../../reconcile/findings.js';
import { keyEquals } from './text-keys.js';

export interface Raised {
  id: number;
  created: boolean;
  escalated: boolean;
}

/** A history entry written by aaawatch itself; `severity`: the finding's severity after it. */
export async function addHistoryPg(
  c: pg.ClientBase,
  e: { findingId: number; at: number; from: FindingStatus | null; to: FindingStatus; reason?: string; severity: Severity },
): Promise<void> {
  await c.query(
    `INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, until, severity, ticket) VALUES ($1, $2, '${SYSTEM_ACTOR}', $3, $4, $5, NULL, $6, NULL)`,
    [e.findingId, e.at, e.from, e.to, e.reason ?? null, e.severity],
  );
}

/** Raise or refresh `f`; `c` must be inside a transaction (the lock is the transaction's). */
export async function raiseFindingPg(c: pg.ClientBase, f: NewFinding): Promise<Raised> {
  const at = f.at ?? Date.now();
  const account = f.account ?? '';
  await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['finding', f.kind, f.device, account])]);
  const { rows } = await c.query<{ id: string; severity: Severity; status: FindingStatus; evidence: string }>(
    `SELECT id, severity, status, evidence FROM findings WHERE kind = $1 AND ${keyEquals('device', '$2::text')} AND ${keyEquals('account', '$3::text')} AND status <> 'resolved' FOR UPDATE`,
    [f.kind, f.device, account],
  );
  const existing = rows[0];
  if (existing) {
    const id = Number(existing.id);
    const escalated = SEVERITY_RANK[f.severity] > SEVERITY_RANK[existing.severity];
    await c.query(
      `UPDATE findings SET last_seen = greatest(last_seen, $1), occurrences = occurrences + 1, evidence = $2,
         severity = CASE WHEN $3 THEN $4 ELSE severity END, summary = CASE WHEN $3 THEN $5 ELSE summary END,
         attribution = coalesce($6, attribution), updated_at = $1 WHERE id = $7`,
      [at, JSON.stringify(mergeEvidence(JSON.parse(existing.evidence) as FindingEvidence, f.evidence)), escalated, f.severity, f.summary, f.attribution ?? null, id],
    );
    if (escalated) {
      await addHistoryPg(c, { findingId: id, at, from: existing.status, to: existing.status, reason: `severity raised from ${existing.severity} to ${f.severity}`, severity: f.severity });
    }
    return { id, created: false, escalated };
  }
  const inserted = await c.query<{ id: string }>(
    `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence, attribution, first_seen, last_seen, occurrences, updated_at)
     VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $9, 1, $9) RETURNING id`,
    [f.kind, f.severity, f.device, account, f.summary, f.technique ?? null, JSON.stringify(f.evidence), f.attribution ?? null, at],
  );
  const id = Number(inserted.rows[0]!.id);
  await addHistoryPg(c, { findingId: id, at, from: null, to: 'open', severity: f.severity });
  return { id, created: true, escalated: false };
}
