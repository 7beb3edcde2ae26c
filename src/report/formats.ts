// The review as CSV (the accounts, the findings, the decisions: RFC 4180) and as JSON (all of it,
// with the header block). Times are ISO 8601 UTC to the second.

import { redactDeep } from '../../parsers/lib/secrets.js';
import { csvLine, toCsv, type CsvValue } from './csv.js';
import { iso, type DecisionLine, type ExportDocument, type FindingLine } from './document.js';
import type { PopulationRow, RowDecision } from '../reconcile/population.js';

type Column<T> = readonly [title: string, value: (row: T) => CsvValue];

/** A decision in one cell: `accepted by alice 2026-11-20T10:00:00Z until 2027-01-31T23:59:59Z [CHG-12]: reason`. */
export function decisionText(d: RowDecision | null): string {
  if (!d) return '';
  return `${d.to} by ${d.by} ${iso(d.at)}${d.until !== null ? ` until ${iso(d.until)}` : ''}${d.ticket ? ` [${d.ticket}]` : ''}${d.reason ? `: ${d.reason}` : ''}`;
}

const open = (r: PopulationRow): PopulationRow['findings'] => r.findings.filter((f) => f.status !== 'resolved');

/** The population's columns, in order: who holds what, was it authorised, who made it, what is open and decided. */
export const ACCOUNT_COLUMNS: ReadonlyArray<Column<PopulationRow>> = [
  ['device', (r) => r.device],
  ['account', (r) => r.account],
  ['in inventory', (r) => (r.inInventory ? 'yes' : 'no')],
  ['source', (r) => r.source],
  ['state', (r) => r.state],
  ['privilege', (r) => r.privilege],
  ['superuser', (r) => (r.superuser ? 'yes' : 'no')],
  ['roster match', (r) => r.rosterMatch],
  ['allowed', (r) => r.allowed],
  ['type', (r) => r.type],
  ['owner', (r) => r.owner],
  ['department', (r) => r.department],
  ['approval reference', (r) => r.approvalRef],
  ['approver', (r) => r.approver],
  ['expires', (r) => iso(r.expires)],
  ['roster entry', (r) => r.rosterRef],
  ['created at', (r) => iso(r.createdAt)],
  ['created by', (r) => r.createdBy],
  ['created from', (r) => r.createdFrom],
  ['path', (r) => r.createdPath],
  ['attribution', (r) => r.attribution],
  ['first seen', (r) => iso(r.firstSeen)],
  ['last seen', (r) => iso(r.lastSeen)],
  ['removed at', (r) => iso(r.removedAt)],
  ['removed by', (r) => r.removedBy],
  ['privilege taken away', (r) => r.revoked],
  ['taken away at', (r) => iso(r.revokedAt)],
  ['taken away by', (r) => r.revokedBy],
  ['last login', (r) => iso(r.lastLogin)],
  ['days inactive', (r) => r.daysInactive],
  ['open findings', (r) => open(r).length],
  ['worst severity', (r) => open(r)[0]?.severity ?? ''],
  ['findings', (r) => r.findings.map((f) => `#${f.id} ${f.kind} ${f.severity} ${f.status}`).join('; ')],
  ['decisions', (r) => r.findings.filter((f) => f.decision).map((f) => `#${f.id} ${decisionText(f.decision)}`).join(' | ')],
  ['records', (r) => r.records.join(' ')],
  ['snapshots', (r) => r.snapshots.join(' ')],
];

export const FINDING_COLUMNS: ReadonlyArray<Column<FindingLine>> = [
  ['id', (f) => f.id],
  ['severity', (f) => f.severity],
  ['status', (f) => f.status],
  ['kind', (f) => f.kind],
  ['device', (f) => f.device],
  ['account', (f) => f.account],
  ['summary', (f) => f.summary],
  ['attribution', (f) => f.attribution],
  ['technique', (f) => f.technique],
  ['first seen', (f) => iso(f.firstSeen)],
  ['last seen', (f) => iso(f.lastSeen)],
  ['accepted until', (f) => iso(f.acceptedUntil)],
  ['reviewer', (f) => f.decision?.by],
  ['decision', (f) => f.decision?.to],
  ['decided at', (f) => iso(f.decision?.at)],
  ['reason', (f) => f.decision?.reason],
  ['ticket', (f) => f.decision?.ticket],
  ['records', (f) => f.records.join(' ')],
  ['snapshots', (f) => f.snapshots.join(' ')],
];

export const DECISION_COLUMNS: ReadonlyArray<Column<DecisionLine>> = [
  ['decided at', (d) => iso(d.at)],
  ['finding', (d) => d.findingId],
  ['kind', (d) => d.kind],
  ['device', (d) => d.device],
  ['account', (d) => d.account],
  ['reviewer', (d) => d.by],
  ['from', (d) => d.from],
  ['to', (d) => d.to],
  ['until', (d) => iso(d.until)],
  ['ticket', (d) => d.ticket],
  ['reason', (d) => d.reason],
];

export function csvOf<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[]): string {
  return toCsv(
    columns.map(([t]) => t),
    rows.map((r) => columns.map(([, v]) => v(r))),
  );
}

/** The CSV in pieces, a row at a time (the evidence pack streams large files). */
export function* csvChunks<T>(columns: ReadonlyArray<Column<T>>, rows: Iterable<T>): Generator<string> {
  yield csvLine(columns.map(([t]) => t));
  for (const r of rows) yield csvLine(columns.map(([, v]) => v(r)));
}

export const accountsCsv = (doc: ExportDocument): string => csvOf(ACCOUNT_COLUMNS, doc.rows);
export const findingsCsv = (doc: ExportDocument): string => csvOf(FINDING_COLUMNS, doc.findings);
export const decisionsCsv = (doc: ExportDocument): string => csvOf(DECISION_COLUMNS, doc.decisions);

/**
 * JSON with `<`, `>`, `&` and the line separators escaped: the file stays inert even if
 * something later pastes it into a page or a script block.
 */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(redactDeep(value), null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Times in the JSON as ISO strings, like the CSV. */
function isoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(isoTimes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = TIME_KEYS.has(k) && typeof v === 'number' ? iso(v) : isoTimes(v);
  return out;
}

const TIME_KEYS = new Set(['expires', 'createdAt', 'firstSeen', 'lastSeen', 'removedAt', 'lastLogin', 'acceptedUntil', 'at', 'until']);

/**
 * The JSON in pieces: the header and summary, then every account, finding and decision on a line of
 * its own — a pack of a hundred thousand rows is written a row at a time, never built as one string.
 */
export function* reportJsonChunks(doc: ExportDocument): Generator<string> {
  yield `{"header":${safeJson(doc.header, 0)},\n"summary":${safeJson(doc.summary, 0)}`;
  for (const [name, list] of [['accounts', doc.rows], ['findings', doc.findings], ['decisions', doc.decisions]] as const) {
    yield `,\n"${name}":[`;
    let first = true;
    for (const item of list as readonly unknown[]) {
      yield `${first ? '\n' : ',\n'}${safeJson(isoTimes(item), 0)}`;
      first = false;
    }
    yield '\n]';
  }
  yield '}\n';
}

export function reportJson(doc: ExportDocument): string {
  return [...reportJsonChunks(doc)].join('');
}
