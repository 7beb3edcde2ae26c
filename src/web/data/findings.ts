// Findings for the pages and the API: filtered lists (keyset-paged; by default most severe first,
// then most recently seen, as an auditor reads them; or by any column), one finding with its
// history, evidence records and the configuration diff, and the overview counts.

import { statusNowSql, type FindingRow, type FindingStatus, type Severity } from '../../reconcile/findings.js';
import { pathFromColumns, pathJson, type PathColumns, type PathView } from '../../reconcile/decision-path.js';
import type { Db } from '../../store/db.js';
import { toPage, type Direction, type Page } from '../paging.js';
import { typedDecision, type Shown } from '../../report/text.js';

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

/** The orders a findings list can take; `severity` (most severe first, then newest) is the default. */
export const FINDING_SORTS = ['severity', 'last_seen', 'first_seen', 'status', 'kind', 'device', 'account', 'id'] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

export interface FindingQuery {
  kind?: string;
  severity?: Severity;
  status: StatusFilter;
  device?: string;
  account?: string;
  /** Absent: by severity. */
  sort?: FindingSort;
  /** The sort column the other way round (least severe, oldest, Z to A); ties stay newest first. */
  reverse?: boolean;
}

/** A findings row as stored (the reconciler's own row type). */
export type { FindingRow };

/** A history row as the pages read it: the decision, and how it came (decision-path.ts). */
export interface HistoryRow extends PathColumns {
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

/** A history row as the API gives it: its path as the exports and the activity log give one (decision-path.ts pathJson), not its columns. */
/** A history row as the API gives it: its path shaped, its reason and ticket as typed (reviewerText, not the device gate). */
export type HistoryView = Omit<HistoryRow, keyof PathColumns | 'reason' | 'ticket'> & { path: PathView; reason: Shown | null; ticket: Shown | null };

export function historyView({ path, path_user, path_token, ...h }: HistoryRow): HistoryView {
  return typedDecision({ ...h, path: pathJson(pathFromColumns({ path, path_user, path_token })) });
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

export function isFindingSort(v: unknown): v is FindingSort {
  return typeof v === 'string' && (FINDING_SORTS as readonly string[]).includes(v);
}

export function isStatusFilter(v: unknown): v is StatusFilter {
  return typeof v === 'string' && (v === 'unresolved' || v === 'any' || (STATUSES as readonly string[]).includes(v));
}

export const LIST_COLUMNS = `id, kind, severity, device, account, status, summary, attribution, technique, evidence, first_seen, last_seen,
  occurrences, accepted_until, updated_at`;

/** One column of a sort key: an SQL expression over a findings row and its natural direction. */
export interface KeyPart {
  expr: string;
  desc: boolean;
}

const NEWEST: readonly KeyPart[] = [{ expr: 'last_seen', desc: true }, { expr: 'id', desc: true }];
const SEVERITY_RANK = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
/**
 * The status as it stands at `now` (statusNowSql: an acceptance that has ended is open), ranked. `now`
 * is written into the expression as a number: the key's expression is repeated in the order, the
 * page-edge read and each keyset condition, which a placeholder would have to follow in each.
 */
const statusRank = (now: number): string => {
  if (!Number.isSafeInteger(now)) throw new Error(`not a time: ${now}`);
  return `CASE ${statusNowSql(String(now))} WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 WHEN 'accepted' THEN 2 ELSE 3 END`;
};

/** Each sort's first column in its natural direction; ties are broken newest first, then by id. */
const PRIMARY: Record<FindingSort, ((now: number) => KeyPart) | undefined> = {
  severity: () => ({ expr: SEVERITY_RANK, desc: true }),
  last_seen: undefined,
  first_seen: () => ({ expr: 'first_seen', desc: true }),
  status: (now) => ({ expr: statusRank(now), desc: false }),
  kind: () => ({ expr: 'kind', desc: false }),
  device: () => ({ expr: 'device', desc: false }),
  account: () => ({ expr: "coalesce(account, '')", desc: false }),
  id: undefined,
};

function sortKey(sort: FindingSort, reverse: boolean, now: number): KeyPart[] {
  if (sort === 'id') return [{ expr: 'id', desc: !reverse }];
  if (sort === 'last_seen') return NEWEST.map((p) => ({ expr: p.expr, desc: !reverse }));
  const first = PRIMARY[sort]!(now);
  return [{ expr: first.expr, desc: first.desc !== reverse }, ...NEWEST];
}

/**
 * Rows strictly after `values` in the order `key` gives (or before it, `backwards`). When every
 * column runs the same way, a row-value comparison, which SQLite answers from an index on the key;
 * otherwise (a reversed first column) a ≥ A AND ((a > A) OR (a = A AND ((b > B) OR …))), column by column.
 */
function keysetAfter(key: readonly KeyPart[], values: readonly unknown[], backwards: boolean): { sql: string; args: unknown[] } {
  const op = (p: KeyPart): string => (p.desc !== backwards ? '<' : '>');
  if (key.every((p) => p.desc === key[0]!.desc)) {
    return { sql: `(${key.map((p) => p.expr).join(', ')}) ${op(key[0]!)} (${key.map(() => '?').join(', ')})`, args: [...values] };
  }
  const args: unknown[] = [];
  const build = (i: number): string => {
    const p = key[i]!;
    args.push(values[i]);
    if (i === key.length - 1) return `${p.expr} ${op(p)} ?`;
    args.push(values[i]);
    return `(${p.expr} ${op(p)} ? OR (${p.expr} = ? AND ${build(i + 1)}))`;
  };
  // The first column's bound, said once more on its own, lets SQLite start from it in an index.
  const sql = `${key[0]!.expr} ${op(key[0]!)}= ? AND ${build(0)}`;
  return { sql, args: [values[0], ...args] };
}

/** The sort key a query pages by, a finding's status read as it stands at `now`. */
export function findingsKey(q: FindingQuery, now: number): KeyPart[] {
  // Of one severity, most severe first is most recently seen first, which an index gives directly.
  const sort = q.sort ?? 'severity';
  return sort === 'severity' && q.severity ? sortKey('last_seen', false, now) : sortKey(sort, q.reverse === true, now);
}

/** The statement that reads the key's values of the row at a page edge (its id the one argument). */
export function findingsEdgeSql(q: FindingQuery, now: number): string {
  return `SELECT ${findingsKey(q, now).map((p) => p.expr).join(', ')} FROM findings WHERE id = ?`;
}

/**
 * A findings row as it stands at `now` (reconcile/findings.ts findingNow): an acceptance that ran
 * out is open, whether or not reconciliation has written its reopening yet.
 */
export function findingRowNow<R extends Pick<FindingRow, 'status' | 'accepted_until'>>(r: R, now: number): R {
  return r.status === 'accepted' && r.accepted_until !== null && r.accepted_until <= now ? { ...r, status: 'open', accepted_until: null } : r;
}

/**
 * The statement for a page of findings (`?` placeholders; the limit last): `edge` holds the key's
 * values of the row at the page edge, read by findingsEdgeSql, when paging. `unary`: SQLite's `+` on
 * the status, which keeps its index out of the plan (PostgreSQL has no such operator on text).
 * A filter on open or accepted reads the status as it stands at `now` (findingRowNow).
 */
export function findingsPageSql(q: FindingQuery, dir: Direction, edge: readonly unknown[] | undefined, limit: number, unary: boolean, now: number): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const status = unary ? '+status' : 'status';
  // `+status`: the status filter keeps most rows, so it is checked row by row while an index gives
  // the order (migration 011), instead of sorting every unresolved finding for each page.
  if (q.status === 'unresolved') where.push(`${status} IN ('open', 'acknowledged', 'accepted')`);
  else if (q.status === 'open' || q.status === 'accepted') {
    // Checked row by row as `+status` is: the CASE keeps the status index out of the plan too.
    where.push(`${statusNowSql('?')} = ?`);
    args.push(now, q.status);
  } else if (q.status !== 'any') {
    where.push(`${status} = ?`);
    args.push(q.status);
  }
  for (const [column, value] of [['kind', q.kind], ['severity', q.severity], ['device', q.device], ['account', q.account]] as const) {
    if (value === undefined || value === '') continue;
    where.push(`${column} = ?`);
    args.push(value);
  }
  const key = findingsKey(q, now);
  // A page boundary is the id of the row at the edge; its place in the order is read from the row
  // itself, so cursors stay opaque numbers whatever the sort column holds (device text included).
  const newer = 'after' in dir;
  if (edge) {
    const cond = keysetAfter(key, edge, newer);
    where.push(cond.sql);
    args.push(...cond.args);
  }
  const order = key.map((p) => `${p.expr} ${p.desc !== newer ? 'DESC' : 'ASC'}`).join(', ');
  args.push(limit + 1);
  return { sql: `SELECT ${LIST_COLUMNS} FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`, args };
}

/** The row id at the edge a direction pages from. */
export function edgeId(dir: Direction): number | undefined {
  return 'after' in dir ? dir.after.id : 'before' in dir ? dir.before.id : undefined;
}

export function findingsPage(rows: FindingRow[], dir: Direction, limit: number): Page<FindingRow> {
  return toPage(rows, limit, dir, (r) => ({ time: r.id, id: r.id }));
}

/** A page of findings, each as it stands at `now` (findingRowNow); `stale` when its edge's id names no finding. */
export function listFindings(db: Db, q: FindingQuery, dir: Direction, limit: number, now: number): Page<FindingRow> {
  const id = edgeId(dir);
  const edge = id === undefined ? undefined : (db.prepare(findingsEdgeSql(q, now)).raw().get(id) as unknown[] | undefined);
  // Read as no edge, a position naming no finding gave the first page.
  if (id !== undefined && edge === undefined) return { rows: [], stale: true };
  const { sql, args } = findingsPageSql(q, dir, edge, limit, true, now);
  return findingsPage((db.prepare(sql).all(...args) as FindingRow[]).map((r) => findingRowNow(r, now)), dir, limit);
}

/** One finding as it stands at `now`. */
export function getFinding(db: Db, id: number, now: number): FindingRow | undefined {
  const r = db.prepare(`SELECT ${LIST_COLUMNS} FROM findings WHERE id = ?`).get(id) as FindingRow | undefined;
  return r && findingRowNow(r, now);
}

export const HISTORY_COLUMNS = 'id, at, by, from_status, to_status, reason, until, severity, ticket, path, path_user, path_token';

export function findingHistory(db: Db, id: number): HistoryRow[] {
  return db
    .prepare(`SELECT ${HISTORY_COLUMNS} FROM finding_history WHERE finding_id = ? ORDER BY at, id`)
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

/** Unresolved findings by kind, severity and status as it stands at `:now`/`$1` (findingRowNow): the overview's grid. */
export const OPEN_FINDING_COUNTS = (now: string): string =>
  `SELECT kind, severity, ${statusNowSql(now)} AS status, count(*) AS n FROM findings WHERE status <> 'resolved' GROUP BY kind, severity, ${statusNowSql(now)}`;

/** Open findings by kind and severity (the overview's grid), each status as it stands at `now`. */
export function openFindingCounts(db: Db, now: number): Array<{ kind: string; severity: Severity; status: FindingStatus; n: number }> {
  return db.prepare(OPEN_FINDING_COUNTS(':now')).all({ now }) as Array<{ kind: string; severity: Severity; status: FindingStatus; n: number }>;
}
