// Findings for the pages and the API: filtered lists (keyset-paged, newest first), one finding
// with its history, evidence records and the configuration diff, and the overview counts.

import type { FindingRow, FindingStatus, Severity } from '../../reconcile/findings.js';
import type { Db } from '../../store/db.js';
import { toPage, type Direction, type Page } from '../paging.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const STATUSES: readonly FindingStatus[] = ['open', 'acknowledged', 'accepted', 'resolved'];
/** The kinds the reconciler raises (issue 5), offered by the filter; any other kind still lists by URL. */
export const FINDING_KINDS = [
  'unauthorised-account',
  'privilege-mismatch',
  'expired-authorisation',
  'missing-account',
  'dormant-account',
  'account-created',
  'unlogged-change',
  'telemetry-gap',
  'pull-failed',
  'host-key-changed',
  'sender-mismatch',
  'store-unwritable',
] as const;
/** `unresolved` (the default) is every status but resolved; `any` is all of them. */
export type StatusFilter = FindingStatus | 'unresolved' | 'any';

export interface FindingQuery {
  kind?: string;
  severity?: Severity;
  status: StatusFilter;
  device?: string;
  account?: string;
}

/** A findings row as stored (the reconciler's own row type). */
export type { FindingRow };

export interface HistoryRow {
  id: number;
  at: number;
  by: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  until: number | null;
  severity: string | null;
  ticket: string | null;
}

export interface Evidence {
  events: number[];
  snapshots: number[];
  /** Other keys the reconciler recorded (shown as they are). */
  other: Record<string, unknown>;
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export function isStatusFilter(v: unknown): v is StatusFilter {
  return typeof v === 'string' && (v === 'unresolved' || v === 'any' || (STATUSES as readonly string[]).includes(v));
}

const LIST_COLUMNS = `id, kind, severity, device, account, status, summary, attribution, technique, evidence, first_seen, last_seen,
  occurrences, accepted_until, updated_at`;

export function listFindings(db: Db, q: FindingQuery, dir: Direction, limit: number): Page<FindingRow> {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (q.status === 'unresolved') where.push(`status IN ('open', 'acknowledged', 'accepted')`);
  else if (q.status !== 'any') {
    where.push('status = ?');
    args.push(q.status);
  }
  for (const [column, value] of [['kind', q.kind], ['severity', q.severity], ['device', q.device], ['account', q.account]] as const) {
    if (value === undefined || value === '') continue;
    where.push(`${column} = ?`);
    args.push(value);
  }
  const newer = 'after' in dir;
  const at = 'after' in dir ? dir.after : 'before' in dir ? dir.before : undefined;
  if (at) {
    where.push(newer ? 'id > ?' : 'id < ?');
    args.push(at.id);
  }
  const rows = db
    .prepare(`SELECT ${LIST_COLUMNS} FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${newer ? 'ASC' : 'DESC'} LIMIT ?`)
    .all(...args, limit + 1) as FindingRow[];
  return toPage(rows, limit, dir, (r) => ({ time: r.id, id: r.id }));
}

export function getFinding(db: Db, id: number): FindingRow | undefined {
  return db.prepare(`SELECT ${LIST_COLUMNS} FROM findings WHERE id = ?`).get(id) as FindingRow | undefined;
}

export function findingHistory(db: Db, id: number): HistoryRow[] {
  return db
    .prepare('SELECT id, at, by, from_status, to_status, reason, until, severity, ticket FROM finding_history WHERE finding_id = ? ORDER BY at, id')
    .all(id) as HistoryRow[];
}

function ids(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : [];
}

/** The evidence column, read defensively: it is JSON the reconciler wrote, and may grow keys. */
export function parseEvidence(text: string): Evidence {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { events: [], snapshots: [], other: { unreadable: text } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { events: [], snapshots: [], other: {} };
  const { events, snapshots, ...other } = value as Record<string, unknown>;
  return { events: ids(events), snapshots: ids(snapshots), other };
}

/** Open findings by kind and severity (the overview's grid). */
export function openFindingCounts(db: Db): Array<{ kind: string; severity: Severity; status: FindingStatus; n: number }> {
  return db
    .prepare(`SELECT kind, severity, status, count(*) AS n FROM findings WHERE status <> 'resolved' GROUP BY kind, severity, status`)
    .all() as Array<{ kind: string; severity: Severity; status: FindingStatus; n: number }>;
}
