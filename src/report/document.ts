// What every export holds: the header block auditors ask for (scope, period, generated at,
// version, sources with the query behind each and its row count, the roster files with their
// SHA-256, the record chain's head), the whole population (src/reconcile/population.ts), every
// finding in scope as it stood at the period's end with the latest decision on it by then, and
// every decision people took in the period.
// Read once from the store, in one read transaction; the CSV, JSON and PDF are each a pure
// rendering of this document, so the files of an evidence pack agree.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import { inventory as inventoryOf } from '../pull/inventory-file.js';
import { RosterIndex } from '../reconcile/evaluate.js';
import { SEVERITY_RANK, type FindingStatus, type Severity } from '../reconcile/findings.js';
import { pathFromColumns, pathJson, type PathColumns, type PathView } from '../reconcile/decision-path.js';
import { SYSTEM_ACTOR } from '../reconcile/lifecycle.js';
import { madeWithinSql } from '../reconcile/held.js';
import { accountKey, findingsAtEndSql, latestDecision, population, skewOf, type PopulationContext, type PopulationFilter, type PopulationRow, type RowDecision, type RowFinding } from '../reconcile/population.js';
import { loadRoster, type Roster } from '../reconcile/roster.js';
import type { DeviceRef, Scope } from '../reconcile/scope.js';
import type { Db } from '../store/db.js';
import { VERSION } from '../version.js';
import { sha256Hex } from './hash.js';
import { DEFAULT_PERIOD_DAYS, describeExportScope, scopeTest as exportScopeTest } from './period.js';

export interface SourceCount {
  name: string;
  /** What was read, with the filter, in words and in the table's terms. */
  query: string;
  rows: number;
}

export interface RosterFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ExportHeader {
  title: string;
  scope: string;
  period: { from: string; to: string };
  generatedAt: string;
  generatedBy: string;
  appliance: string;
  version: string;
  sources: SourceCount[];
  /** The roster files read, as they were at generation. */
  roster: RosterFile[];
  /** The hash chain over stored records at generation: `aaawatch verify` on the appliance checks it. */
  chain: {
    records: number;
    lastId: number | null;
    head: string | null;
    /** On a PostgreSQL store, each collector's own chain: its records and head (`head` above is the latest record's). */
    collectors?: Array<{ collector: string; records: number; head: string }>;
    /**
     * On SQLite, the one collector's name (`collector`, else the host name, as `aaawatch migrate` names
     * it in a shared store): the collector of every record, each at its id in the one chain.
     */
    collector?: string;
  };
  /**
   * What the store holds at generation, by time: its earliest record and configuration snapshot
   * (null: none). A period that starts before them reviews nothing earlier: it was not collected
   * yet, or retention removed it. Without this, a review of such a period read as complete.
   */
  stored: { firstRecord: string | null; firstSnapshot: string | null };
}

/** The header's coverage in words: what the store holds from when, and what of the period lies before it. */
export function storedWords(h: Pick<ExportHeader, 'stored' | 'period'>): string {
  const { firstRecord, firstSnapshot } = h.stored;
  const before = [
    firstRecord !== null && h.period.from < firstRecord ? `no record before ${firstRecord}` : undefined,
    firstSnapshot !== null && h.period.from < firstSnapshot ? `no pulled configuration before ${firstSnapshot}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const held = `records from ${firstRecord ?? '(none stored)'}, configurations from ${firstSnapshot ?? '(none stored)'}`;
  return before.length ? `${held}. The period starts earlier: this review holds ${before.join(' and ')} (not collected yet, or removed by retention)` : held;
}

/**
 * The chain at generation in words, as `aaawatch verify` prints it: on PostgreSQL each collector's
 * chain with its head, which `verify` checks one by one (the latest record's head alone named one
 * collector's chain and left the others' heads to the manifest).
 */
export function chainWords(chain: ExportHeader['chain']): string {
  if (!chain.head) return 'no records stored';
  const all = `${chain.records} records, last id ${chain.lastId}, head ${chain.head}`;
  return chain.collectors?.length ? `${all}; ${chain.collectors.map((c) => `collector ${c.collector}: ${c.records} records, head ${c.head}`).join('; ')}` : all;
}

export interface FindingLine {
  id: number;
  severity: Severity;
  status: string;
  kind: string;
  device: string;
  account: string;
  summary: string;
  attribution: string | null;
  technique: string | null;
  firstSeen: number;
  lastSeen: number;
  acceptedUntil: number | null;
  decision: RowDecision | null;
  /** The records and snapshots it cites. */
  records: number[];
  snapshots: number[];
}

export interface DecisionLine {
  findingId: number;
  device: string;
  account: string;
  kind: string;
  at: number;
  by: string;
  from: string | null;
  to: string;
  reason: string | null;
  until: number | null;
  ticket: string | null;
  /** How it reached aaawatch: web, api, cli (self-asserted), or unknown for a decision older than the record of it. */
  path: PathView;
}

export interface ExportSummary {
  accounts: number;
  byState: Record<string, number>;
  bySource: Record<string, number>;
  byRoster: Record<string, number>;
  superuser: number;
  /** Rows with a privilege, role or right taken away within the period. */
  revoked: number;
  /** Rows not authorised, or with unresolved findings. */
  exceptions: number;
  findingsBySeverity: Record<string, number>;
  unresolved: number;
  decisions: number;
}

export interface ExportDocument {
  header: ExportHeader;
  rows: PopulationRow[];
  findings: FindingLine[];
  decisions: DecisionLine[];
  summary: ExportSummary;
  /** The period as epoch ms (the header carries it as text). */
  from: number;
  to: number;
  /**
   * Whether a device is in the export's scope; undefined when it covers every device. The evidence
   * pack gives whole only the activity entries about devices in scope (activity-scope.ts).
   */
  inScope: ((device: string) => boolean) | undefined;
}

export interface ExportOptions {
  /** Start of the review period, epoch ms (default: 90 days before `to`). */
  from?: number;
  /** End of the review period, epoch ms (default: `now`). */
  to?: number;
  now: number;
  /** Who asked for it: a web user, or `cli` with the system user. */
  by: string;
  /** Devices, groups and platforms in scope (default: every device). */
  scope?: Scope;
  /** Only the rows of one view of the Accounts page ("export this view"); findings follow the rows. */
  filter?: Omit<PopulationFilter, 'scope'>;
  /** Words for the filter, for the header. */
  filterText?: string;
}

export const iso = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : new Date(ms).toISOString().slice(0, 19) + 'Z');

/** The configured roster, or undefined when none is configured (a roster that cannot be read is an error). */
export function configuredRoster(config: Config): Roster | undefined {
  return config.reconcile.roster === undefined ? undefined : loadRoster(config.reconcile.roster);
}

/** The inventory (configuration and inventory file) as scopes see it. */
export function inventoryRefs(config: Config): Map<string, DeviceRef> {
  return new Map(inventoryOf(config.devices, config.pull).map((d) => [d.name, { name: d.name, platform: d.platform, groups: d.groups, ...(d.logNames?.length ? { logNames: d.logNames } : {}) }]));
}

export function populationContext(config: Config, roster: Roster | RosterIndex | undefined, from: number, to: number, inventory: ReadonlyMap<string, DeviceRef> = inventoryRefs(config)): PopulationContext {
  const index = roster === undefined ? undefined : roster instanceof RosterIndex ? roster : new RosterIndex(roster);
  return { roster: index, inventory, dormantDays: config.reconcile.dormantDays, from, to, skewMs: config.reconcile.attributionSkewSeconds * 1000 };
}

export function isEverywhere(s: Scope | undefined): boolean {
  return !s || (s.devices.length === 0 && s.groups.length === 0 && s.platforms.length === 0);
}

function rosterFiles(roster: Roster | undefined): RosterFile[] {
  return (roster?.files ?? []).map((path) => {
    const data = readFileSync(path);
    return { path, bytes: data.byteLength, sha256: sha256Hex(data) };
  });
}

interface FindingRowDb {
  id: number; severity: Severity; status: string; kind: string; device: string; account: string; summary: string; attribution: string | null;
  technique: string | null; first_seen: number; last_seen: number; accepted_until: number | null; evidence: string;
}

function evidenceIds(text: string): { records: number[]; snapshots: number[] } {
  try {
    const v = JSON.parse(text) as { events?: unknown; snapshots?: unknown };
    const ids = (x: unknown): number[] => (Array.isArray(x) ? x.filter((n): n is number => Number.isSafeInteger(n)) : []);
    return { records: ids(v.events), snapshots: ids(v.snapshots) };
  } catch {
    return { records: [], snapshots: [] };
  }
}

const count = <T>(list: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of list) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
};

export function buildDocument(db: Db, config: Config, roster: Roster | undefined, o: ExportOptions): ExportDocument {
  const to = o.to ?? o.now;
  const from = o.from ?? to - DEFAULT_PERIOD_DAYS * 86_400_000;
  const inventory = inventoryRefs(config);
  const ctx = populationContext(config, roster, from, to, inventory);
  const scopeTest = isEverywhere(o.scope) ? undefined : exportScopeTest(o.scope!);
  const inScope = (device: string): boolean => !scopeTest || scopeTest(inventory.get(device) ?? { name: device, platform: '', groups: [] });
  const files = rosterFiles(roster);
  // One read transaction: the rows, the findings and the counts describe the same moment.
  const read = db.transaction(() => {
    // Every finding of the period first: the rows take theirs from it (one query, not one per account).
    const all: FindingLine[] = [];
    const byAccount = new Map<string, Array<RowFinding & { records: readonly number[] }>>();
    const rowsOfFindings = db
      .prepare(`${findingsAtEndSql()} ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, id`)
      .iterate({ to, from }) as IterableIterator<FindingRowDb>;
    for (const f of rowsOfFindings) {
      if (!inScope(f.device)) continue;
      const line: FindingLine = {
        id: f.id, severity: f.severity, status: f.status, kind: f.kind, device: f.device, account: f.account, summary: f.summary, attribution: f.attribution,
        technique: f.technique, firstSeen: f.first_seen, lastSeen: f.last_seen, acceptedUntil: f.accepted_until, decision: latestDecision(db, f.id, to),
        ...evidenceIds(f.evidence),
      };
      all.push(line);
      if (f.account === '') continue;
      const key = accountKey(f.device, f.account);
      let list = byAccount.get(key);
      if (!list) byAccount.set(key, (list = []));
      list.push({
        id: line.id, kind: line.kind, severity: line.severity, status: line.status as FindingStatus, summary: line.summary, firstSeen: line.firstSeen,
        lastSeen: line.lastSeen, acceptedUntil: line.acceptedUntil, decision: line.decision, records: line.records,
      });
    }
    for (const list of byAccount.values()) list.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id - b.id);
    const rows = [...population(db, { ...ctx, findings: byAccount }, { ...(o.filter ?? {}), ...(scopeTest ? { scope: scopeTest } : {}) })];
    const rowKeys = o.filter ? new Set(rows.map((r) => accountKey(r.device, r.account))) : undefined;
    const findings = rowKeys ? all.filter((f) => rowKeys.has(accountKey(f.device, f.account))) : all;
    const included = new Set(findings.map((f) => f.id));
    const decisions = (
      db
        .prepare(
          `SELECT h.finding_id AS findingId, f.device, f.account, f.kind, h.at, h.by, h.from_status AS "from", h.to_status AS "to", h.reason, h.until, h.ticket,
                  h.path, h.path_user, h.path_token
             FROM finding_history h JOIN findings f ON f.id = h.finding_id
            WHERE h.by <> ? AND h.at >= ? AND h.at <= ? ORDER BY h.at, h.id`,
        )
        .all(SYSTEM_ACTOR, from, to) as Array<Omit<DecisionLine, 'path'> & PathColumns>
    )
      .filter((d) => inScope(d.device) && (!rowKeys || included.has(d.findingId)))
      .map(({ path, path_user, path_token, ...d }): DecisionLine => ({ ...d, path: pathJson(pathFromColumns({ path, path_user, path_token })) }));
    const countOf = (sql: string, ...args: number[]): number => (db.prepare(sql).get(...args) as { n: number }).n;
    // Placed by the skew rule, as the rows and findings place them (held.ts madeWithinSql): a record
    // stamped after the end by a clock running ahead, received before it, is in the period.
    const events = (db.prepare(`SELECT count(*) AS n FROM events WHERE ${madeWithinSql('', ':from', ':to', ':skew')}`).get({ from, to, skew: skewOf(ctx) }) as { n: number }).n;
    const snapshots = countOf('SELECT count(*) AS n FROM snapshots WHERE taken_at >= ? AND taken_at <= ?', from, to);
    const pulled = countOf('SELECT count(*) AS n FROM pull_state');
    const head = db.prepare('SELECT id, hex(hash) AS hash FROM events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    const chained = countOf('SELECT count(*) AS n FROM events');
    // Each by its index (events_time) or a scan of the snapshots' rows (one per configuration change).
    const firstRecord = (db.prepare('SELECT min(time) AS t FROM events').get() as { t: number | null }).t;
    const firstSnapshot = (db.prepare('SELECT min(taken_at) AS t FROM snapshots').get() as { t: number | null }).t;
    return { rows, findings, decisions, events, snapshots, pulled, head, chained, firstRecord, firstSnapshot };
  });
  const r = read();
  const open = r.findings.filter((f) => f.status !== 'resolved');
  const summary: ExportSummary = {
    accounts: r.rows.length,
    byState: count(r.rows, (x) => x.state),
    bySource: count(r.rows, (x) => x.source),
    byRoster: count(r.rows, (x) => x.rosterMatch),
    superuser: r.rows.filter((x) => x.superuser).length,
    revoked: r.rows.filter((x) => x.revoked !== null).length,
    exceptions: r.rows.filter(isException).length,
    findingsBySeverity: count(open, (f) => f.severity),
    unresolved: open.length,
    decisions: r.decisions.length,
  };
  const scopeWords = isEverywhere(o.scope) ? `every device (the inventory's ${inventory.size}, ${r.pulled} pulled, and any other device syslog named)` : describeExportScope(o.scope!);
  const header: ExportHeader = {
    title: 'aaawatch account review',
    scope: o.filterText ? `${scopeWords}; view: ${o.filterText}` : scopeWords,
    period: { from: iso(from), to: iso(to) },
    generatedAt: iso(o.now),
    generatedBy: o.by,
    appliance: hostname(),
    version: VERSION,
    sources: [
      { name: 'accounts', query: 'one row per device and account present at any time in the period: pulled configurations (accounts), syslog account records (events, kind account), must-exist roster accounts a pulled device lacks', rows: r.rows.length },
      { name: 'findings', query: 'findings raised by the end of the period, unresolved or resolved within it, as they stood at its end (findings, finding_history)', rows: r.findings.length },
      { name: 'decisions', query: 'acknowledge / accept / resolve / reopen decisions by people within the period, each with its path: web session, API token, or command line (self-asserted) (finding_history)', rows: r.decisions.length },
      { name: 'syslog records', query: 'account, command and session records made within the period: each at the earlier of its stamp and its receipt, or at its receipt where the two differ by more than the skew (events, hash-chained)', rows: r.events },
      { name: 'configuration snapshots', query: 'redacted configurations stored within the period (snapshots)', rows: r.snapshots },
      { name: 'roster', query: roster ? `authorised accounts from ${roster.files.join(', ')} (SHA-256 below)` : 'no roster configured (reconcile.roster)', rows: roster?.entries.length ?? 0 },
    ],
    roster: files,
    chain: { records: r.chained, lastId: r.head?.id ?? null, head: r.head ? r.head.hash.toLowerCase() : null, collector: config.collector ?? hostname() },
    stored: { firstRecord: r.firstRecord === null ? null : iso(r.firstRecord), firstSnapshot: r.firstSnapshot === null ? null : iso(r.firstSnapshot) },
  };
  return { header, rows: r.rows, findings: r.findings, decisions: r.decisions, summary, from, to, inScope: scopeTest ? inScope : undefined };
}

/** A row an auditor looks at: not authorised by the roster, or with findings not resolved. */
export function isException(r: PopulationRow): boolean {
  return (r.rosterMatch !== 'authorised' && r.rosterMatch !== 'no roster') || r.findings.some((f) => f.status !== 'resolved');
}
