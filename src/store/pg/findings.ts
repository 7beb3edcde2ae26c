// Raising a finding in a shared PostgreSQL store: src/reconcile/findings.ts's rule (one open
// finding per kind, device and account; a repeat refreshes it, a higher severity escalates it and
// is written to its history) in PostgreSQL's SQL. Two collectors may raise the same finding at
// once (one's pull failing while the leader reconciles): a transaction-scoped advisory lock on the
// finding's key makes the second wait and then refresh the first's row, never insert a twin.
// Reconciliation writes a step's findings at once (raiseFindingsPg), the same locks taken in one
// statement.

import type pg from 'pg';
import { SYSTEM_ACTOR } from '../../reconcile/lifecycle.js';
import { mergeEvidence, REOPEN_REASON, reopensOnRepeat, SEVERITY_RANK, type FindingEvidence, type FindingStatus, type NewFinding, type Severity } from '../../reconcile/findings.js';
import { insertRows, pgText } from './multi-insert.js';
import { keyEquals } from './text-keys.js';
import { isoSeconds } from '../../reconcile/text.js';

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
    `INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, until, severity, ticket, path) VALUES ($1, $2, '${SYSTEM_ACTOR}', $3, $4, $5, NULL, $6, NULL, 'system')`,
    [e.findingId, e.at, e.from, e.to, e.reason ?? null, e.severity],
  );
}

/**
 * An accepted finding whose acceptance ended by `now` goes back to open: the row and its history (by
 * aaawatch, alerted as reopened), as lifecycle.ts reopenEnded does on SQLite. `c` holds the row locked.
 */
export async function reopenEndedPg(c: pg.ClientBase, f: { id: number; severity: Severity; accepted_until: number }, now: number): Promise<void> {
  const decision = (await c.query<{ by: string }>(`SELECT by FROM finding_history WHERE finding_id = $1 AND by <> '${SYSTEM_ACTOR}' ORDER BY id DESC LIMIT 1`, [f.id])).rows[0];
  await c.query(`UPDATE findings SET status = 'open', accepted_until = NULL, updated_at = $1 WHERE id = $2`, [now, f.id]);
  await addHistoryPg(c, {
    findingId: f.id, at: now, from: 'accepted', to: 'open', severity: f.severity,
    reason: `acceptance expired ${isoSeconds(f.accepted_until)}${decision ? ` (accepted by ${decision.by})` : ''}`,
  });
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
    if (reopensOnRepeat(f.kind, existing.status)) {
      await c.query(`UPDATE findings SET status = 'open', accepted_until = NULL WHERE id = $1`, [id]);
      await addHistoryPg(c, { findingId: id, at, from: existing.status, to: 'open', reason: REOPEN_REASON, severity: escalated ? f.severity : existing.severity });
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

/** The open finding a step's findings refresh, as read under their keys' locks. */
interface OpenRow {
  id: number;
  severity: Severity;
  status: FindingStatus;
  evidence: FindingEvidence;
  lastSeen: number;
}

/** One key's findings folded in memory, as raiseFindingPg applied one after another would leave the row. */
interface Folded {
  first: NewFinding;
  existing: OpenRow | undefined;
  id?: number;
  severity: Severity;
  /** Set when a finding of the step escalated (or created) it: the summary of the last to do so. */
  summary: string | undefined;
  evidence: FindingEvidence;
  attribution: string | null;
  firstSeen: number;
  lastSeen: number;
  added: number;
  updatedAt: number;
  /** The status the step leaves (a repeat may reopen an acknowledged or accepted finding). */
  status: FindingStatus;
}

interface HistoryRow {
  key: Folded;
  at: number;
  from: FindingStatus | null;
  to: FindingStatus;
  reason: string | null;
  severity: Severity;
}

const keyOf = (f: NewFinding): string => JSON.stringify(['finding', f.kind, pgText(f.device), pgText(f.account ?? '')]);

/**
 * Raise or refresh a step's findings in `c`'s transaction, in five statements whatever their
 * number (lock the keys, read the open ones, insert, refresh, history), where raiseFindingPg takes
 * four a finding: on a loaded PostgreSQL each round trip was ~2 ms, and a 10,000-account burst's
 * findings took minutes (#14). Findings, history and evidence end as raiseFindingPg applied to
 * each in turn leaves them (test/store/pg-findings-batch.test.ts). Returns how many were new.
 */
export async function raiseFindingsPg(c: pg.ClientBase, findings: readonly NewFinding[]): Promise<number> {
  if (!findings.length) return 0;
  const keys = [...new Set(findings.map(keyOf))];
  // The same advisory locks as raiseFindingPg's, taken in one order (the locks' own) by every
  // collector, so two raising overlapping steps at once wait for each other and never deadlock.
  await c.query(
    `SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS locks`,
    [keys],
  );
  const byKey = new Map<string, number>(keys.map((k, i) => [k, i]));
  const parts = keys.map((k) => JSON.parse(k) as [string, string, string, string]);
  const { rows } = await c.query<{ i: number; id: string; severity: Severity; status: FindingStatus; evidence: string; last_seen: string }>(
    `SELECT k.i, f.id, f.severity, f.status, f.evidence, f.last_seen
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS k(i, kind, device, account)
     JOIN findings f ON f.kind = k.kind AND ${keyEquals('f.device', 'k.device')} AND ${keyEquals('f.account', 'k.account')} AND f.status <> 'resolved'
     FOR UPDATE OF f`,
    [parts.map((_, i) => i), parts.map((p) => p[1]), parts.map((p) => p[2]), parts.map((p) => p[3])],
  );
  const open = new Map<number, OpenRow>(
    rows.map((r) => [r.i, { id: Number(r.id), severity: r.severity, status: r.status, evidence: JSON.parse(r.evidence) as FindingEvidence, lastSeen: Number(r.last_seen) }]),
  );
  const { folded, history } = fold(findings, (f) => open.get(byKey.get(keyOf(f))!));
  const created = folded.filter((k) => !k.existing);
  const ids = await insertRows<{ id: string; kind: string; device: string; account: string }>(
    c, 'findings',
    ['kind', 'severity', 'device', 'account', 'status', 'summary', 'technique', 'evidence', 'attribution', 'first_seen', 'last_seen', 'occurrences', 'updated_at'],
    created.map((k) => [
      k.first.kind, k.severity, k.first.device, k.first.account ?? '', 'open', k.summary!, k.first.technique ?? null,
      JSON.stringify(k.evidence), k.attribution, k.firstSeen, k.lastSeen, k.added, k.updatedAt,
    ]),
    'RETURNING id, kind, device, account',
  );
  const createdByKey = new Map(created.map((k) => [keyOf(k.first), k]));
  for (const r of ids) createdByKey.get(JSON.stringify(['finding', r.kind, r.device, r.account]))!.id = Number(r.id);
  const refreshed = folded.filter((k) => k.existing);
  if (refreshed.length) {
    // One statement for every refresh. Unlike SQLite's (src/reconcile/findings.ts), it names every
    // column whatever moved: PostgreSQL compares an indexed column's old and new value and keeps a
    // heap-only update when they are equal, so an unchanged severity or last_seen costs no index entry.
    await c.query(
      `UPDATE findings f SET last_seen = greatest(f.last_seen, v.last_seen), occurrences = f.occurrences + v.added, evidence = v.evidence,
         severity = coalesce(v.severity, f.severity), summary = coalesce(v.summary, f.summary), attribution = coalesce(v.attribution, f.attribution), updated_at = v.updated_at,
         status = CASE WHEN v.reopened THEN 'open' ELSE f.status END, accepted_until = CASE WHEN v.reopened THEN NULL ELSE f.accepted_until END
       FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::boolean[]) AS v(id, last_seen, added, evidence, severity, summary, attribution, updated_at, reopened)
       WHERE f.id = v.id`,
      [
        refreshed.map((k) => k.existing!.id), refreshed.map((k) => k.lastSeen), refreshed.map((k) => k.added), refreshed.map((k) => pgText(JSON.stringify(k.evidence))),
        refreshed.map((k) => (k.summary === undefined ? null : k.severity)), refreshed.map((k) => (k.summary === undefined ? null : pgText(k.summary))),
        refreshed.map((k) => (k.attribution === null ? null : pgText(k.attribution))), refreshed.map((k) => k.updatedAt),
        refreshed.map((k) => k.status !== k.existing!.status),
      ],
    );
  }
  await insertRows(
    c, 'finding_history', ['finding_id', 'at', 'by', 'from_status', 'to_status', 'reason', 'until', 'severity', 'ticket', 'path'],
    history.map((h) => [h.key.existing?.id ?? h.key.id!, h.at, SYSTEM_ACTOR, h.from, h.to, h.reason, null, h.severity, null, 'system']),
  );
  return created.length;
}

/**
 * `findings` applied in order to the open findings `existing` gives, in memory: each key's row as
 * it ends, and the history entries in the order one-at-a-time raising writes them.
 */
function fold(findings: readonly NewFinding[], existing: (f: NewFinding) => OpenRow | undefined): { folded: Folded[]; history: HistoryRow[] } {
  const byKey = new Map<string, Folded>();
  const history: HistoryRow[] = [];
  for (const f of findings) {
    const at = f.at ?? Date.now();
    const key = keyOf(f);
    let k = byKey.get(key);
    if (!k) {
      const open = existing(f);
      if (!open) {
        // The evidence as stored and read back (JSON), as the next finding of the key would merge it.
        const evidence = JSON.parse(JSON.stringify(f.evidence)) as FindingEvidence;
        const created: Folded = { first: f, existing: undefined, severity: f.severity, summary: f.summary, evidence, attribution: f.attribution ?? null, firstSeen: at, lastSeen: at, added: 1, updatedAt: at, status: 'open' };
        byKey.set(key, created);
        history.push({ key: created, at, from: null, to: 'open', reason: null, severity: f.severity });
        continue;
      }
      k = { first: f, existing: open, severity: open.severity, summary: undefined, evidence: open.evidence, attribution: null, firstSeen: at, lastSeen: open.lastSeen, added: 0, updatedAt: at, status: open.status };
      byKey.set(key, k);
    }
    refresh(k, f, at, history);
  }
  return { folded: [...byKey.values()], history };
}

/** One repeat of a key's finding: raiseFindingPg's UPDATE, and its history entry when it escalates. */
function refresh(k: Folded, f: NewFinding, at: number, history: HistoryRow[]): void {
  const from = k.severity;
  const escalated = SEVERITY_RANK[f.severity] > SEVERITY_RANK[from];
  k.lastSeen = Math.max(k.lastSeen, at);
  k.added++;
  k.evidence = JSON.parse(JSON.stringify(mergeEvidence(k.evidence, f.evidence))) as FindingEvidence;
  k.attribution = f.attribution ?? k.attribution;
  k.updatedAt = at;
  if (escalated) {
    k.severity = f.severity;
    k.summary = f.summary;
    history.push({ key: k, at, from: k.status, to: k.status, reason: `severity raised from ${from} to ${f.severity}`, severity: f.severity });
  }
  if (reopensOnRepeat(f.kind, k.status)) {
    history.push({ key: k, at, from: k.status, to: 'open', reason: REOPEN_REASON, severity: k.severity });
    k.status = 'open';
  }
}
