// Cases: one new account yields two or three findings (account-created at once, then
// unauthorised-account and unlogged-change when the pull shows it) that a reviewer decides as one.
// A case is every unresolved finding about one account on one device (or about the device itself),
// named by its lowest finding id; its severity is the worst of them. A decision on a case is taken
// on each of its findings that can take it, with the same reviewer, reason, date and ticket, in one
// transaction; findings already past it (an acknowledged one asked to be acknowledged) are left
// as they are and said so.

import type { Db } from '../store/db.js';
import type { FindingStatus, Severity } from './findings.js';
import { findingNow, SEVERITY_RANK } from './findings.js';
import { ALLOWED, transition, TransitionError, type Decision, type TransitionRequest } from './lifecycle.js';
import { stmt } from './store.js';

export interface CaseKey {
  device: string;
  /** '' for findings about the device itself. */
  account: string;
}

export interface CaseSummary extends CaseKey {
  /** The lowest unresolved finding id: how the case is named. */
  id: number;
  severity: Severity;
  findings: number;
  /** Findings nobody has decided on yet (status open). */
  undecided: number;
  kinds: string[];
  lastSeen: number;
}

export interface CaseQuery {
  /** At least this severity. */
  severity?: Severity;
  /** Only cases with undecided findings. */
  undecided?: boolean;
  device?: string;
  account?: string;
  kind?: string;
}

const RANK_SQL = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
const SEVERITY_OF: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** A position in the list (worst first, then the most recent, then by key). */
export interface CaseCursor {
  rank: number;
  lastSeen: number;
  device: string;
  account: string;
}

export function caseCursorText(c: CaseCursor): string {
  return JSON.stringify([c.rank, c.lastSeen, c.device, c.account]);
}

/**
 * A position as caseCursorText writes it; undefined for any other text, and for one no case could
 * give (a rank no severity has, a time before 1970, a key longer than a case key): a rank above
 * critical's sorts before every case, and paging from it read as the first page again.
 */
export function parseCaseCursor(text: string | undefined): CaseCursor | undefined {
  if (!text || text.length > 4096) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v) || v.length !== 4) return undefined;
    const [rank, lastSeen, device, account] = v as unknown[];
    if (!Number.isSafeInteger(rank) || !Number.isSafeInteger(lastSeen) || typeof device !== 'string' || typeof account !== 'string') return undefined;
    if (SEVERITY_OF[rank as number] === undefined || (lastSeen as number) < 0 || device.length > 1024 || account.length > 1024) return undefined;
    return { rank: rank as number, lastSeen: lastSeen as number, device, account };
  } catch {
    return undefined;
  }
}

/**
 * Open cases, worst first; keyset-paged by (severity, last seen, device, account). Undecided as each
 * finding stands at `now` (findingNow): an acceptance that ran out is undecided, whether or not
 * reconciliation has written its reopening (with serve stopped it never does).
 */
export function listCases(db: Db, q: CaseQuery, after: CaseCursor | undefined, limit: number, now: number): { rows: CaseSummary[]; next?: CaseCursor } {
  const where: string[] = [`status <> 'resolved'`];
  const args: Record<string, string | number> = { limit: limit + 1, now };
  if (q.device !== undefined) {
    where.push('device = :device');
    args.device = q.device;
  }
  if (q.account !== undefined) {
    where.push('account = :account');
    args.account = q.account;
  }
  const having: string[] = [];
  if (q.kind !== undefined) {
    having.push('sum(kind = :kind) > 0');
    args.kind = q.kind;
  }
  // A case with an accepted finding may be undecided now: said exactly below, from its accepted findings alone.
  if (q.undecided) having.push(`(sum(status = 'open') > 0 OR sum(status = 'accepted') > 0)`);
  if (q.severity !== undefined) {
    having.push('rank >= :minRank');
    args.minRank = SEVERITY_RANK[q.severity];
  }
  const outer: string[] = q.undecided ? ['undecided > 0'] : [];
  if (after) {
    outer.push('(-rank, -last, device, account) > (:r, :l, :d, :a)');
    Object.assign(args, { r: -after.rank, l: -after.lastSeen, d: after.device, a: after.account });
  }
  // The grouping reads the case index alone (it holds no acceptance end); the few cases holding an
  // accepted finding look up which of those have ended.
  const rows = db
    .prepare(
      `SELECT * FROM (
         SELECT device, account, id, rank, n, kinds, last,
                open + CASE WHEN accepted > 0 THEN (SELECT count(*) FROM findings e WHERE e.device = c.device AND e.account = c.account
                                                       AND e.status = 'accepted' AND e.accepted_until <= :now) ELSE 0 END AS undecided
           FROM (SELECT device, account, min(id) AS id, max(${RANK_SQL}) AS rank, count(*) AS n, sum(status = 'open') AS open, sum(status = 'accepted') AS accepted,
                        group_concat(DISTINCT kind) AS kinds, max(last_seen) AS last
                   FROM findings INDEXED BY findings_case WHERE ${where.join(' AND ')}
                  GROUP BY device, account ${having.length ? `HAVING ${having.join(' AND ')}` : ''}) c)
        ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
        ORDER BY rank DESC, last DESC, device, account LIMIT :limit`,
    )
    .all(args) as CaseAggregate[];
  return casesPage(rows, limit);
}

/** A case as the list's query groups it (either engine's): `kinds` comma-separated. */
export interface CaseAggregate {
  device: string;
  account: string;
  id: number;
  rank: number;
  n: number;
  undecided: number;
  kinds: string;
  last: number;
}

/** Rows one more than a page long, as the page and the cursor after it. */
export function casesPage(rows: readonly CaseAggregate[], limit: number): { rows: CaseSummary[]; next?: CaseCursor } {
  const page = rows.slice(0, limit).map((r) => ({
    device: r.device, account: r.account, id: r.id, severity: SEVERITY_OF[r.rank]!, findings: r.n, undecided: r.undecided,
    kinds: r.kinds.split(',').sort(), lastSeen: r.last,
  }));
  const last = page[page.length - 1];
  return rows.length > limit && last ? { rows: page, next: { rank: SEVERITY_RANK[last.severity], lastSeen: last.lastSeen, device: last.device, account: last.account } } : { rows: page };
}

export interface CaseFinding {
  id: number;
  kind: string;
  severity: Severity;
  status: FindingStatus;
  summary: string;
  attribution: string | null;
  firstSeen: number;
  lastSeen: number;
  acceptedUntil: number | null;
}

/**
 * Every finding of an account or device, unresolved first, then resolved ones (the newest first);
 * each as it stands at `now` (findingNow: an acceptance that ran out is open).
 */
export function caseFindings(db: Db, key: CaseKey, now: number, resolvedLimit = 50): CaseFinding[] {
  const select = `SELECT id, kind, severity, status, summary, attribution, first_seen AS firstSeen, last_seen AS lastSeen, accepted_until AS acceptedUntil FROM findings`;
  const open = (stmt(db, `${select} WHERE device = ? AND account = ? AND status <> 'resolved' ORDER BY id`).all(key.device, key.account) as CaseFinding[])
    .map((f) => findingNow(f, now));
  const resolved = stmt(db, `${select} WHERE device = ? AND account = ? AND status = 'resolved' ORDER BY id DESC LIMIT ?`).all(key.device, key.account, resolvedLimit) as CaseFinding[];
  return [...open.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id - b.id), ...resolved];
}

/** The case a finding belongs to. */
export function caseOf(db: Db, findingId: number): CaseKey | undefined {
  return stmt(db, 'SELECT device, account FROM findings WHERE id = ?').get(findingId) as CaseKey | undefined;
}

export interface CaseOutcome extends CaseKey {
  /** Findings the decision was taken on. */
  decided: number[];
  /** Findings it does not apply to, and why. */
  skipped: Array<{ id: number; why: string }>;
}

/** Whether a decision on a case is taken on one of its findings: acknowledging what is already acknowledged or accepted would only lower it. */
export function caseDecisionApplies(status: FindingStatus, to: Decision): boolean {
  return ALLOWED[status].has(to) && !(to === 'acknowledged' && status !== 'open');
}

/** No open case by that key: nothing to decide. */
export function noOpenCase(key: CaseKey): TransitionError {
  return new TransitionError(`no open case for ${key.account ? `${key.account} on ` : ''}${key.device}`);
}

/**
 * Take one decision on every unresolved finding of each case, in one transaction: either every
 * applicable finding gets it, or (a malformed request) none does.
 */
export function decideCases(db: Db, keys: readonly CaseKey[], to: Decision, req: TransitionRequest): CaseOutcome[] {
  const at = req.at ?? Date.now();
  return db.transaction(() =>
    keys.map((key) => {
      const outcome: CaseOutcome = { ...key, decided: [], skipped: [] };
      // Each as it stands at the decision (an acceptance that ran out is open: transition writes its reopening first).
      const open = (stmt(db, `SELECT id, status, accepted_until AS acceptedUntil FROM findings WHERE device = ? AND account = ? AND status <> 'resolved' ORDER BY id`)
        .all(key.device, key.account) as Array<{ id: number; status: FindingStatus; acceptedUntil: number | null }>).map((f) => findingNow(f, at));
      if (open.length === 0) throw noOpenCase(key);
      for (const f of open) {
        if (!caseDecisionApplies(f.status, to)) {
          outcome.skipped.push({ id: f.id, why: `already ${f.status}` });
          continue;
        }
        transition(db, f.id, to, { ...req, at });
        outcome.decided.push(f.id);
      }
      return outcome;
    }),
  ).immediate();
}
