// A finding's lifecycle, and the API the command line and the web call to move it:
//
//   open → acknowledged | accepted | resolved
//   acknowledged → accepted | resolved | open
//   accepted → accepted (renewed) | resolved | open (by a person, or when the acceptance expires)
//   resolved: final
//
// - acknowledge: a reviewer has seen it and is dealing with it.
// - accept: the risk is accepted, with a reason and an expiry; when it passes, the finding
//   reopens (`reopenExpired`, run on every reconciliation) and is alerted again.
// - resolve: a person says it is fixed. A standing condition that still holds is raised again as
//   a new finding on the next reconciliation; reconciliation also resolves findings itself when a
//   later pull shows the condition gone, keeping that evidence (`autoResolve`).
// - reopen: a person takes back an acknowledgement or acceptance.
// Every transition is a finding_history row with who and when: the reviewer, decision and
// decided-at columns auditors ask for. Resolved findings are final; the name `aaawatch` is
// reserved for automatic transitions.

import type { Db } from '../store/db.js';
import { addHistory, findingFromRow, findingNow, statusNowSql, type Finding, type FindingEvidence, type FindingRow, type FindingStatus, type Severity } from './findings.js';
import { pathFromColumns, type DecisionPath, type PathColumns, type StoredPath } from './decision-path.js';
import { storedDecisionText } from './reviewer-text.js';
import { isoSeconds } from './text.js';
import { stmt } from './store.js';

/** Thrown for a transition that is not allowed or not well formed; its message is for the person who asked. */
export class TransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

/**
 * A decision request that is not well formed (no reason, a NUL in it, a ticket with a control
 * character …): the asker's mistake, answered 400, not a state the finding is in (409).
 */
export class RequestError extends TransitionError {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export type Decision = 'acknowledged' | 'accepted' | 'resolved' | 'open';

export interface TransitionRequest {
  /** The reviewer: a person's name or login. */
  by: string;
  /** Why (required: auditors read it). */
  reason: string;
  /** For accept: until when (epoch ms, in the future). */
  until?: number;
  /** The change or risk ticket the decision cites. */
  ticket?: string;
  /** When it happened (default now). */
  at?: number;
  /** How it reached aaawatch: a session, a token, the command line (decision-path.ts). */
  path: DecisionPath;
}

export interface HistoryEntry {
  id: number;
  findingId: number;
  at: number;
  by: string;
  from: FindingStatus | null;
  to: FindingStatus;
  reason: string | null;
  until: number | null;
  severity: Severity | null;
  ticket: string | null;
  path: StoredPath;
}

export const SYSTEM_ACTOR = 'aaawatch';

export const ALLOWED: Readonly<Record<FindingStatus, ReadonlySet<Decision>>> = {
  open: new Set(['acknowledged', 'accepted', 'resolved']),
  acknowledged: new Set(['accepted', 'resolved', 'open']),
  accepted: new Set(['accepted', 'resolved', 'open']),
  resolved: new Set(),
};

const MAX_REASON = 2000;

export function getFinding(db: Db, id: number): Finding | undefined {
  const row = stmt(db, 'SELECT * FROM findings WHERE id = ?').get(id) as FindingRow | undefined;
  return row ? findingFromRow(row) : undefined;
}

export function findingHistory(db: Db, id: number): HistoryEntry[] {
  const rows = stmt(db, 'SELECT * FROM finding_history WHERE finding_id = ? ORDER BY id').all(id) as Array<{
    id: number; finding_id: number; at: number; by: string; from_status: FindingStatus | null; to_status: FindingStatus;
    reason: string | null; until: number | null; severity: Severity | null; ticket: string | null;
  } & PathColumns>;
  return rows.map((r) => ({
    id: r.id, findingId: r.finding_id, at: r.at, by: r.by, from: r.from_status, to: r.to_status, reason: r.reason, until: r.until, severity: r.severity, ticket: r.ticket,
    path: pathFromColumns(r),
  }));
}

export interface FindingFilter {
  status?: FindingStatus | FindingStatus[];
  kind?: string;
  severity?: Severity;
  device?: string;
  account?: string;
  limit?: number;
  offset?: number;
  /** Read each finding as it stands at this time (findingNow), its status filter too; else as stored. */
  now?: number;
}

/** Findings, newest activity first. */
export function listFindings(db: Db, f: FindingFilter = {}): Finding[] {
  const where: string[] = [];
  const args: Array<string | number> = [];
  const statuses = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : [f.status];
  if (statuses.length) {
    if (f.now !== undefined) args.push(f.now);
    where.push(`${f.now !== undefined ? statusNowSql('?') : 'status'} IN (${statuses.map(() => '?').join(', ')})`);
    args.push(...statuses);
  }
  for (const [column, value] of [['kind', f.kind], ['severity', f.severity], ['device', f.device], ['account', f.account]] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    args.push(value);
  }
  args.push(f.limit ?? -1, f.offset ?? 0);
  const rows = db
    .prepare(`SELECT * FROM findings ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...args) as FindingRow[];
  const now = f.now;
  return now === undefined ? rows.map(findingFromRow) : rows.map((r) => findingNow(findingFromRow(r), now));
}

/** The latest decision a person made on a finding: the reviewer, decision and decided-at of the reports. */
export interface ReviewDecision {
  reviewer: string;
  decision: FindingStatus;
  decidedAt: number;
  reason: string | null;
  until: number | null;
}

export function latestDecision(db: Db, id: number): ReviewDecision | undefined {
  const row = db
    .prepare(`SELECT by, to_status, at, reason, until FROM finding_history WHERE finding_id = ? AND by <> ? ORDER BY id DESC LIMIT 1`)
    .get(id, SYSTEM_ACTOR) as { by: string; to_status: FindingStatus; at: number; reason: string | null; until: number | null } | undefined;
  return row ? { reviewer: row.by, decision: row.to_status, decidedAt: row.at, reason: row.reason, until: row.until } : undefined;
}

export function checkRequest(to: Decision, req: TransitionRequest, at: number): void {
  const by = req.by.trim();
  if (!by) throw new RequestError('say who decides (--by NAME)');
  if (by.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(by)) throw new RequestError('the reviewer name must be at most 200 printable characters');
  if (by.toLowerCase() === SYSTEM_ACTOR) throw new RequestError(`"${SYSTEM_ACTOR}" is reserved for automatic changes; give your own name`);
  const reason = req.reason.trim();
  if (!reason) throw new RequestError('give a reason (--reason TEXT): auditors read it');
  if (reason.length > MAX_REASON) throw new RequestError(`the reason is longer than ${MAX_REASON} characters`);
  // PostgreSQL's text cannot hold U+0000 (a 500 there) while SQLite kept it: refused on both, as typed.
  if (reason.includes('\u0000')) throw new RequestError('the reason must not hold a NUL character (U+0000)');
  if (to === 'accepted') {
    if (req.until === undefined || !Number.isFinite(req.until)) throw new RequestError('an acceptance needs an end (--until DATE): accepted findings reopen then');
    if (req.until <= at) throw new RequestError(`--until ${isoSeconds(req.until)} is not in the future`);
  } else if (req.until !== undefined) {
    throw new RequestError('--until applies to accept only');
  }
  if (req.ticket !== undefined && (req.ticket.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(req.ticket))) {
    throw new RequestError('the ticket reference must be at most 200 printable characters');
  }
}

/** Move a finding to `to` on a person's decision; returns the finding as it is now. */
export function transition(db: Db, id: number, to: Decision, req: TransitionRequest): Finding {
  const at = req.at ?? Date.now();
  checkRequest(to, req, at);
  return db.transaction(() => {
    const stored = getFinding(db, id);
    if (!stored) throw new TransitionError(`no finding ${id}`);
    // Decided as it stands (and is shown): an acceptance that ran out is reopened first, as
    // reconciliation would have, so its history says so and the decision is taken on an open finding.
    const current = reopenIfEnded(db, stored, at);
    if (!ALLOWED[current.status].has(to)) {
      throw new TransitionError(
        current.status === 'resolved'
          ? `finding ${id} is resolved; a condition that returns is raised as a new finding`
          : `finding ${id} is ${current.status}; it cannot become ${to}`,
      );
    }
    const until = to === 'accepted' ? req.until! : null;
    stmt(db, 'UPDATE findings SET status = ?, accepted_until = ?, updated_at = ? WHERE id = ?').run(to, until, at, id);
    // What the reviewer typed is stored with its secrets redacted (reviewer-text.ts), never as typed.
    const text = storedDecisionText(req);
    addHistory(db, { findingId: id, at, by: req.by.trim(), from: current.status, to, reason: text.reason, until, severity: current.severity, ticket: text.ticket, path: req.path });
    return getFinding(db, id)!;
  }).immediate();
}

/** open → acknowledged. */
export function acknowledge(db: Db, id: number, req: TransitionRequest): Finding {
  return transition(db, id, 'acknowledged', req);
}

/** → accepted until `req.until`; reopens then. Also renews an acceptance. */
export function accept(db: Db, id: number, req: TransitionRequest & { until: number }): Finding {
  return transition(db, id, 'accepted', req);
}

/** → resolved by a person. */
export function resolve(db: Db, id: number, req: TransitionRequest): Finding {
  return transition(db, id, 'resolved', req);
}

/** acknowledged or accepted → open again. */
export function reopen(db: Db, id: number, req: TransitionRequest): Finding {
  return transition(db, id, 'open', req);
}

/** An accepted finding whose acceptance ended by `now` goes back to open: the row and its history (by aaawatch, alerted as reopened). Runs inside the caller's transaction. */
function reopenEnded(db: Db, f: { id: number; severity: Severity; accepted_until: number }, now: number): void {
  const decision = latestDecision(db, f.id);
  stmt(db, `UPDATE findings SET status = 'open', accepted_until = NULL, updated_at = ? WHERE id = ?`).run(now, f.id);
  addHistory(db, {
    findingId: f.id, at: now, by: SYSTEM_ACTOR, from: 'accepted', to: 'open', severity: f.severity,
    reason: `acceptance expired ${isoSeconds(f.accepted_until)}${decision ? ` (accepted by ${decision.reviewer})` : ''}`,
  });
}

/** The finding reopened first when its acceptance ended by `at` (reopenEnded), else as it is. Inside the caller's transaction. */
function reopenIfEnded(db: Db, f: Finding, at: number): Finding {
  if (findingNow(f, at) === f) return f;
  reopenEnded(db, { id: f.id, severity: f.severity, accepted_until: f.acceptedUntil! }, at);
  return getFinding(db, f.id)!;
}

/** Accepted findings whose acceptance has expired go back to open (and are alerted again). Returns their ids. */
export function reopenExpired(db: Db, now: number): number[] {
  const due = db
    .prepare(`SELECT id, severity, accepted_until FROM findings WHERE status = 'accepted' AND accepted_until IS NOT NULL AND accepted_until <= ?`)
    .all(now) as Array<{ id: number; severity: Severity; accepted_until: number }>;
  if (!due.length) return [];
  db.transaction(() => {
    for (const f of due) reopenEnded(db, f, now);
  }).immediate();
  return due.map((f) => f.id);
}

/**
 * A condition is gone (a later pull, a login, syslog again, the roster changed): resolve the
 * finding, keeping what showed it in its evidence under `resolution`. Runs inside the caller's transaction.
 */
/** A finding's evidence once resolved automatically: what it had, and why and when it is over. */
export function resolvedEvidence(evidence: FindingEvidence, resolution: { reason: string; snapshots?: number[]; events?: number[] }, at: number): FindingEvidence {
  return {
    ...evidence,
    resolution: {
      at: isoSeconds(at), reason: resolution.reason,
      ...(resolution.snapshots?.length ? { snapshots: resolution.snapshots } : {}),
      ...(resolution.events?.length ? { events: resolution.events } : {}),
    },
  };
}

export function autoResolve(db: Db, id: number, status: FindingStatus, severity: Severity, evidence: FindingEvidence, resolution: { reason: string; snapshots?: number[]; events?: number[] }, at: number): void {
  const kept = resolvedEvidence(evidence, resolution, at);
  stmt(db, `UPDATE findings SET status = 'resolved', accepted_until = NULL, evidence = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(kept), at, id);
  addHistory(db, { findingId: id, at, by: SYSTEM_ACTOR, from: status, to: 'resolved', reason: resolution.reason, severity });
}
