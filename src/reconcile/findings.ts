// Raising findings: one open finding per (kind, device, account); a repeat updates it (last
// seen, occurrences, evidence, and severity if higher) instead of piling up. Every new finding and
// every escalation is written to finding_history with the severity it left, which is what alerts
// are sent from (src/reconcile/alerts.ts).

import type { Db } from '../store/db.js';
import { indexedValues, stmt } from './store.js';
import { pathColumns, SYSTEM_PATH, type DecisionPath } from './decision-path.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type FindingStatus = 'open' | 'acknowledged' | 'accepted' | 'resolved';

/** The kinds aaawatch raises (see docs/ARCHITECTURE.md, "Finding"). */
export type FindingKind =
  | 'unauthorised-account'
  | 'privilege-mismatch'
  | 'expired-authorisation'
  | 'missing-account'
  | 'dormant-account'
  | 'account-created'
  | 'unlogged-change'
  | 'telemetry-gap'
  | 'pull-failed'
  | 'host-key-changed'
  | 'sender-mismatch'
  | 'store-unwritable';

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
  /** One sentence: who did it, when, from where, by which path (src/reconcile/attribution.ts). */
  attribution?: string;
  evidence: FindingEvidence;
  at?: number;
}

/** A stored finding, as the commands, the web pages and the exports read it. */
export interface Finding {
  id: number;
  kind: string;
  severity: Severity;
  device: string;
  /** '' when the finding is about the device. */
  account: string;
  status: FindingStatus;
  summary: string;
  technique: string | null;
  attribution: string | null;
  evidence: FindingEvidence;
  firstSeen: number;
  lastSeen: number;
  occurrences: number;
  /** Accepted until (epoch ms); the finding reopens then. */
  acceptedUntil: number | null;
  updatedAt: number;
}

export interface FindingRow {
  id: number;
  kind: string;
  severity: Severity;
  device: string;
  account: string;
  status: FindingStatus;
  summary: string;
  technique: string | null;
  attribution: string | null;
  evidence: string;
  first_seen: number;
  last_seen: number;
  occurrences: number;
  accepted_until: number | null;
  updated_at: number;
}

export function findingFromRow(r: FindingRow): Finding {
  return {
    id: r.id, kind: r.kind, severity: r.severity, device: r.device, account: r.account, status: r.status,
    summary: r.summary, technique: r.technique, attribution: r.attribution, evidence: JSON.parse(r.evidence) as FindingEvidence,
    firstSeen: r.first_seen, lastSeen: r.last_seen, occurrences: r.occurrences, acceptedUntil: r.accepted_until, updatedAt: r.updated_at,
  };
}

/**
 * A finding as it stands at `now`: an acceptance that ran out is open, though reconciliation writes
 * the reopening only when it next runs (within reconcile.pullCheckSeconds under serve; never with
 * serve stopped). The exports read it so at their period's end (population.ts findingsAtEndSql);
 * the command line's views read it so at the time they are run.
 */
export function findingNow<F extends Pick<Finding, 'status' | 'acceptedUntil'>>(f: F, now: number): F {
  return f.status === 'accepted' && f.acceptedUntil !== null && f.acceptedUntil <= now ? { ...f, status: 'open', acceptedUntil: null } : f;
}

/** findingNow's status as SQL over a findings row (its columns prefixed by `alias`), `now` an SQL expression (a parameter), for a filter by status. */
export const statusNowSql = (now: string, alias = ''): string => `(CASE WHEN ${alias}status = 'accepted' AND ${alias}accepted_until <= ${now} THEN 'open' ELSE ${alias}status END)`;

/** Whether a findings row is undecided (open) at `now`, as findingNow reads it: open, or accepted with an acceptance that has ended. */
export const undecidedNowSql = (now: string, alias = ''): string => `(${alias}status = 'open' OR (${alias}status = 'accepted' AND ${alias}accepted_until <= ${now}))`;

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Evidence id lists are bounded: a finding that repeats for years keeps its first and latest evidence. */
function boundIds(ids: readonly number[]): number[] {
  return ids.length > 200 ? [...ids.slice(0, 50), ...ids.slice(-150)] : [...ids];
}

export function mergeEvidence(a: FindingEvidence, b: FindingEvidence): FindingEvidence {
  const out: FindingEvidence = { ...a, ...b };
  for (const key of ['events', 'snapshots'] as const) {
    const merged = [...new Set([...(a[key] ?? []), ...(b[key] ?? [])])];
    if (merged.length) out[key] = boundIds(merged);
  }
  return out;
}

/** Write a history entry; `severity` is the finding's severity after it; `path` how it came (aaawatch's own when none). */
export function addHistory(
  db: Db,
  e: {
    findingId: number; at: number; by: string; from: FindingStatus | null; to: FindingStatus; reason?: string | null; until?: number | null; severity: Severity;
    ticket?: string | null; path?: DecisionPath;
  },
): void {
  const p = pathColumns(e.path ?? SYSTEM_PATH);
  stmt(db, `INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, until, severity, ticket, path, path_user, path_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    e.findingId, e.at, e.by, e.from, e.to, e.reason ?? null, e.until ?? null, e.severity, e.ticket ?? null, p.path, p.path_user, p.path_token,
  );
}

/**
 * Kinds raised once a change to an account: a repeat is another change (a restatement of what the
 * account already held raises none, src/reconcile/held.ts), so it reopens the finding when a person
 * had acknowledged or accepted it: a decision covers what the reviewer saw, not what the account
 * was given after it (bob accepted for `sudo`, then added to `wheel`, stayed accepted, unalerted).
 */
const REOPENED_BY_REPEAT: ReadonlySet<string> = new Set(['account-created', 'unlogged-change']);
export const REOPEN_REASON = 'the account changed again after the decision';

/** Whether a repeat of a `kind` finding reopens it from `status`. */
export function reopensOnRepeat(kind: string, status: FindingStatus): boolean {
  return REOPENED_BY_REPEAT.has(kind) && (status === 'acknowledged' || status === 'accepted');
}

/**
 * Raise or refresh a finding; returns its id and whether it is new or escalated (both are alerted).
 * Inside a caller's transaction (account-created raises a hundred in one) it writes there, without
 * a savepoint of its own, or a transaction function made for each call: the two were 8% of what
 * raising account-created findings cost the reconcile thread (profiled, aaa-only).
 */
export function raiseFinding(db: Db, f: NewFinding): { id: number; created: boolean; escalated: boolean } {
  return db.inTransaction ? writeFinding(db, f) : db.transaction(writeFinding).immediate(db, f);
}

/** The open finding a new one refreshes, as writeFinding reads it. */
interface OpenRow {
  id: number;
  severity: Severity;
  status: FindingStatus;
  evidence: string;
  last_seen: number;
}

/** Findings looked up in one statement (a chunk's keys bound as a VALUES list), at most. */
const LOOKUP_CHUNK = 128;

/**
 * Raise or refresh findings inside the caller's transaction, the open findings they name looked up
 * in one statement a chunk instead of one each: account-created writes a hundred at a time, and
 * the look-up a finding took 3.8 µs (none open) or 6.1 (one open) alone, 1.6 or 3.1 in chunks of
 * 100 (aaa-only's findings, one thread). Findings naming the same (kind, device, account) are
 * written one at a time, as each must see the one before it. Returns the findings written.
 */
export function raiseFindings(db: Db, findings: readonly NewFinding[]): number {
  if (!db.inTransaction) throw new Error('raiseFindings writes inside a transaction');
  const keys = new Set(findings.map((f) => JSON.stringify([f.kind, f.device, f.account ?? ''])));
  if (keys.size < findings.length) {
    for (const f of findings) writeFinding(db, f);
    return findings.length;
  }
  for (let i = 0; i < findings.length; i += LOOKUP_CHUNK) {
    const chunk = findings.slice(i, i + LOOKUP_CHUNK);
    const open = openFindingsOf(db, chunk);
    chunk.forEach((f, k) => writeKnown(db, f, open.get(k)));
  }
  return findings.length;
}

/** The open findings with the (kind, device, account) of each of `findings`, by its place in the list. */
function openFindingsOf(db: Db, findings: readonly NewFinding[]): Map<number, OpenRow> {
  const values = indexedValues(findings.map((f) => [f.kind, f.device, f.account ?? '']), 4);
  const rows = stmt(
    db,
    `WITH k (i, kind, device, account) AS (VALUES ${values.sql})
     SELECT k.i, f.id, f.severity, f.status, f.evidence, f.last_seen FROM k JOIN findings f
         ON f.kind = k.kind AND f.device = k.device AND f.account = k.account AND f.status <> 'resolved'`,
  ).all(...values.params) as Array<OpenRow & { i: number }>;
  return new Map(rows.map(({ i, ...row }) => [i, row]));
}

function writeFinding(db: Db, f: NewFinding): { id: number; created: boolean; escalated: boolean } {
  const existing = stmt(db, `SELECT id, severity, status, evidence, last_seen FROM findings WHERE kind = ? AND device = ? AND account = ? AND status <> 'resolved'`)
    .get(f.kind, f.device, f.account ?? '') as OpenRow | undefined;
  return writeKnown(db, f, existing);
}

/** The refresh of an open finding, setting last_seen only when it moves and severity and summary only on escalation. */
function refreshSql(later: boolean, escalated: boolean): string {
  return `UPDATE findings SET occurrences = occurrences + 1, evidence = ?, attribution = coalesce(?, attribution), updated_at = ?${later ? ', last_seen = ?' : ''}${
    escalated ? ', severity = ?, summary = ?' : ''} WHERE id = ?`;
}

/** Write a finding, given the open finding with its (kind, device, account) if there is one. */
function writeKnown(db: Db, f: NewFinding, existing: OpenRow | undefined): { id: number; created: boolean; escalated: boolean } {
  const at = f.at ?? Date.now();
  const account = f.account ?? '';
  if (existing) {
    const escalated = SEVERITY_RANK[f.severity] > SEVERITY_RANK[existing.severity];
    const later = at > existing.last_seen;
    // Only the columns whose value changes are set: SQLite rewrites the entries of every index on a
    // column the SET names, changed or not, and last_seen and severity are in five of the eight.
    stmt(db, refreshSql(later, escalated)).run(
      JSON.stringify(mergeEvidence(JSON.parse(existing.evidence) as FindingEvidence, f.evidence)), f.attribution ?? null, at,
      ...(later ? [at] : []), ...(escalated ? [f.severity, f.summary] : []), existing.id,
    );
    if (escalated) {
      addHistory(db, {
        findingId: existing.id, at, by: 'aaawatch', from: existing.status, to: existing.status,
        reason: `severity raised from ${existing.severity} to ${f.severity}`, severity: f.severity,
      });
    }
    if (reopensOnRepeat(f.kind, existing.status)) {
      stmt(db, `UPDATE findings SET status = 'open', accepted_until = NULL WHERE id = ?`).run(existing.id);
      addHistory(db, { findingId: existing.id, at, by: 'aaawatch', from: existing.status, to: 'open', reason: REOPEN_REASON, severity: escalated ? f.severity : existing.severity });
    }
    return { id: existing.id, created: false, escalated };
  }
  const id = Number(
    stmt(
      db,
      `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence, attribution,
         first_seen, last_seen, occurrences, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, 1, ?)`,
    ).run(f.kind, f.severity, f.device, account, f.summary, f.technique ?? null, JSON.stringify(f.evidence), f.attribution ?? null, at, at, at).lastInsertRowid,
  );
  addHistory(db, { findingId: id, at, by: 'aaawatch', from: null, to: 'open', severity: f.severity });
  return { id, created: true, escalated: false };
}

/** What an open finding attributed again is set to (judge.ts renamed). */
export interface Reattribution {
  severity: Severity;
  summary: string;
  attribution: string;
  evidence: FindingEvidence;
  escalated: boolean;
}

/** The history entry's reason when a finding attributed again escalates (and is alerted, as a repeat's escalation is). */
export const reattributedReason = (from: Severity, to: Severity): string => `attributed again as a later record named who made the change: severity raised from ${from} to ${to}`;

/**
 * An open finding's attribution brought up to date (the same change's command, naming its maker,
 * arrived after the finding was raised): its summary, attribution, severity and evidence, neither
 * counted as a repeat nor reopening a decision. Only an escalation writes its history, and so
 * alerts: a history entry keeping the status is what alerts read as one (alerts.ts eventOf).
 */
export function reattribute(db: Db, f: { id: number; status: FindingStatus; severity: Severity }, r: Reattribution, at: number): void {
  stmt(db, 'UPDATE findings SET summary = ?, attribution = ?, severity = ?, evidence = ?, updated_at = ? WHERE id = ?').run(
    r.summary, r.attribution, r.severity, JSON.stringify(r.evidence), at, f.id,
  );
  if (r.escalated) addHistory(db, { findingId: f.id, at, by: 'aaawatch', from: f.status, to: f.status, reason: reattributedReason(f.severity, r.severity), severity: r.severity });
}
