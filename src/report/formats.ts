// The review as CSV (the accounts, the findings, the decisions: RFC 4180) and as JSON (all of it,
// with the header block). Times are ISO 8601 UTC to the second.

import { redactDeep } from '../../parsers/lib/secrets.js';
import { csvLine, toCsv, type CsvValue } from './csv.js';
import { Shown, typed, typedDecision } from './text.js';
import { iso, type DecisionLine, type ExportDocument, type FindingLine } from './document.js';
import type { PopulationRow, RowDecision } from '../reconcile/population.js';
import type { PathView } from '../reconcile/decision-path.js';

type Column<T> = readonly [title: string, value: (row: T) => CsvValue];

/** A decision in one cell: `accepted by alice (web, signed in as alice) 2026-11-20T10:00:00Z until 2027-01-31T23:59:59Z [CHG-12]: reason`. */
export function decisionText(d: RowDecision | null): Shown {
  if (!d) return Shown.joined([]);
  return Shown.joined([
    `${d.to} by ${d.by} (${d.path.text}) ${iso(d.at)}${d.until !== null ? ` until ${iso(d.until)}` : ''}`,
    ...(d.ticket ? [' [', Shown.typed(d.ticket), ']'] : []),
    ...(d.reason ? [': ', Shown.typed(d.reason)] : []),
  ]);
}

/** A row's decisions in one cell, `#12 accepted by … | #14 …`; empty when there are none. */
function decisionsText(decided: PopulationRow['findings']): Shown | string {
  return decided.length ? Shown.joined(decided.flatMap((f, i) => [`${i ? ' | ' : ''}#${f.id} `, decisionText(f.decision)])) : '';
}

const open = (r: PopulationRow): PopulationRow['findings'] => r.findings.filter((f) => f.status !== 'resolved');

/** The row fields that are times: epoch ms in the row, ISO 8601 in the CSV and JSON, to the minute in the PDF. */
export type PopulationTimeKey = { [K in keyof PopulationRow]-?: PopulationRow[K] extends number | null ? K : never }[keyof PopulationRow];

/** One fact of a population row: a column of the CSV, a key of the JSON, a line in a PDF cell. */
export type PopulationFact = { readonly title: string; readonly time: PopulationTimeKey } | { readonly title: string; readonly value: (row: PopulationRow) => CsvValue };

/**
 * The population's facts, in order: who holds what, was it authorised, who made it, what was taken
 * away, what is open and decided. The one list every export reads (the CSV's columns, the JSON's
 * times, the PDF's cells), so a fact added here reaches all of them.
 */
export const POPULATION_FACTS = [
  { title: 'device', value: (r) => r.device },
  { title: 'account', value: (r) => r.account },
  { title: 'in inventory', value: (r) => (r.inInventory ? 'yes' : 'no') },
  { title: 'source', value: (r) => r.source },
  { title: 'state', value: (r) => r.state },
  { title: 'privilege', value: (r) => r.privilege },
  { title: 'superuser', value: (r) => (r.superuser ? 'yes' : 'no') },
  { title: 'roster match', value: (r) => r.rosterMatch },
  { title: 'allowed', value: (r) => r.allowed },
  { title: 'type', value: (r) => r.type },
  { title: 'owner', value: (r) => r.owner },
  { title: 'department', value: (r) => r.department },
  { title: 'approval reference', value: (r) => r.approvalRef },
  { title: 'approver', value: (r) => r.approver },
  { title: 'expires', time: 'expires' },
  { title: 'roster entry', value: (r) => r.rosterRef },
  { title: 'created at', time: 'createdAt' },
  { title: 'created by', value: (r) => r.createdBy },
  { title: 'created from', value: (r) => r.createdFrom },
  { title: 'path', value: (r) => r.createdPath },
  { title: 'attribution', value: (r) => r.attribution },
  { title: 'first seen', time: 'firstSeen' },
  { title: 'last seen', time: 'lastSeen' },
  { title: 'removed at', time: 'removedAt' },
  { title: 'removed by', value: (r) => r.removedBy },
  { title: 'privilege taken away', value: (r) => r.revoked },
  { title: 'taken away at', time: 'revokedAt' },
  { title: 'taken away by', value: (r) => r.revokedBy },
  { title: 'last login', time: 'lastLogin' },
  { title: 'days inactive', value: (r) => r.daysInactive },
  { title: 'open findings', value: (r) => open(r).length },
  { title: 'worst severity', value: (r) => open(r)[0]?.severity ?? '' },
  { title: 'findings', value: (r) => r.findings.map((f) => `#${f.id} ${f.kind} ${f.severity} ${f.status}`).join('; ') },
  { title: 'decisions', value: (r) => decisionsText(r.findings.filter((f) => f.decision)) },
  { title: 'records', value: (r) => r.records.join(' ') },
  { title: 'snapshots', value: (r) => r.snapshots.join(' ') },
] as const satisfies readonly PopulationFact[];

export type PopulationTitle = (typeof POPULATION_FACTS)[number]['title'];

/** A fact of a row as a cell: a time as `time` writes it, anything else as it is. */
export function factValue(fact: PopulationFact, row: PopulationRow, time: (ms: number | null) => string): CsvValue {
  return 'time' in fact ? time(row[fact.time]) : fact.value(row);
}

/** The population's CSV columns: every fact, in order. */
export const ACCOUNT_COLUMNS: ReadonlyArray<Column<PopulationRow>> = POPULATION_FACTS.map((f): Column<PopulationRow> => [f.title, (r) => factValue(f, r, iso)]);

/**
 * The reviewer's path, the last columns (a script that reads the columns by position before them
 * reads what it read before): how the decision came (web, api, cli, unknown), whether aaawatch
 * authenticated who decided, and the words (the signed-in user, the token, the OS user of a
 * self-asserted command-line decision).
 */
function pathColumnsOf<T>(path: (row: T) => PathView | undefined): Array<Column<T>> {
  return [
    ['decision path', (r) => path(r)?.kind],
    ['authenticated', (r) => { const p = path(r); return p === undefined ? '' : p.authenticated ? 'yes' : 'no'; }],
    ['path detail', (r) => path(r)?.text],
  ];
}

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
  ['reason', (f) => typed(f.decision?.reason)],
  ['ticket', (f) => typed(f.decision?.ticket)],
  ['records', (f) => f.records.join(' ')],
  ['snapshots', (f) => f.snapshots.join(' ')],
  ...pathColumnsOf<FindingLine>((f) => f.decision?.path),
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
  ['ticket', (d) => typed(d.ticket)],
  ['reason', (d) => typed(d.reason)],
  ...pathColumnsOf<DecisionLine>((d) => d.path),
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

const decided = <T extends { decision: RowDecision | null }>(x: T) => ({ ...x, decision: x.decision && typedDecision(x.decision) });

/** A population row for JSON (report.json, /api/accounts, `aaawatch accounts --json`): its decisions' reasons and tickets as typed. */
export function typedRow(r: PopulationRow): Omit<PopulationRow, 'findings'> & { findings: unknown[] } {
  return { ...r, findings: r.findings.map(decided) };
}

/**
 * JSON with `<`, `>`, `&` and the line separators escaped: the file stays inert even if
 * something later pastes it into a page or a script block.
 */
export function safeJson(value: unknown, indent = 2): string {
  return inertJson(redactDeep(value), indent);
}

/** safeJson's escaping without its secret gate: for a value already through it. */
export function inertJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Times in the JSON as ISO strings, like the CSV. */
function isoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(isoTimes);
  if (value === null || typeof value !== 'object' || value instanceof Shown) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = TIME_KEYS.has(k) && typeof v === 'number' ? iso(v) : isoTimes(v);
  return out;
}

/** The population's times (from its facts), and those of findings and decisions (`at`, `until`, `acceptedUntil`). */
const TIME_KEYS = new Set<string>([...POPULATION_FACTS.flatMap((f) => ('time' in f ? [f.time] : [])), 'firstSeen', 'lastSeen', 'acceptedUntil', 'at', 'until']);

/**
 * The JSON in pieces: the header and summary, then every account, finding and decision on a line of
 * its own — a pack of a hundred thousand rows is written a row at a time, never built as one string.
 */
export function* reportJsonChunks(doc: ExportDocument): Generator<string> {
  yield `{"header":${safeJson(doc.header, 0)},\n"summary":${safeJson(doc.summary, 0)}`;
  // Reasons and tickets as typed (reviewerText), every other string through the gate.
  yield* jsonList('accounts', doc.rows, typedRow);
  yield* jsonList('findings', doc.findings, decided);
  yield* jsonList('decisions', doc.decisions, typedDecision);
  yield '}\n';
}

function* jsonList<T>(name: string, list: readonly T[], shown: (item: T) => unknown): Generator<string> {
  yield `,\n"${name}":[`;
  let first = true;
  for (const item of list) {
    yield `${first ? '\n' : ',\n'}${safeJson(isoTimes(shown(item)), 0)}`;
    first = false;
  }
  yield '\n]';
}

export function reportJson(doc: ExportDocument): string {
  return [...reportJsonChunks(doc)].join('');
}
