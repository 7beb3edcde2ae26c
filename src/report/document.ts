// What every export holds: the header block auditors ask for (scope, period, generated at,
// version, sources with the query behind each and its row count, the record chain's head), the
// reconciliation rows and the findings. Read once from the store; the CSV, JSON and PDF are
// each a pure rendering of this document, so the three files in an evidence pack agree.

import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import { loadRoster, type Roster } from '../reconcile/roster.js';
import type { Db } from '../store/db.js';
import { VERSION } from '../version.js';
import { reconciliationRows, type ReconciliationRow } from '../reconcile/report.js';

export interface SourceCount {
  name: string;
  /** What was read, with the filter, in words and in the table's terms. */
  query: string;
  rows: number;
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
  /** The hash chain over stored records at generation: `aaawatch verify` on the appliance checks it. */
  chain: { records: number; lastId: number | null; head: string | null };
}

export interface FindingLine {
  id: number;
  severity: string;
  status: string;
  kind: string;
  device: string;
  account: string;
  summary: string;
  technique: string;
  firstSeen: string;
  lastSeen: string;
  reviewer: string;
  decision: string;
  decidedAt: string;
}

export interface ExportDocument {
  header: ExportHeader;
  rows: ReconciliationRow[];
  findings: FindingLine[];
}

export interface ExportOptions {
  /** Start of the review period, epoch ms (default: 90 days before `now`). */
  from?: number;
  now: number;
  /** Who asked for it: a web user, or `cli` with the system user. */
  by: string;
}

const iso = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '' : new Date(ms).toISOString().slice(0, 19) + 'Z');

export const DEFAULT_PERIOD_DAYS = 90;

/** The configured roster, or undefined when none is configured (a roster that cannot be read is an error). */
export function configuredRoster(config: Config): Roster | undefined {
  return config.reconcile.roster === undefined ? undefined : loadRoster(config.reconcile.roster);
}

export function buildDocument(db: Db, config: Config, roster: Roster | undefined, o: ExportOptions): ExportDocument {
  const from = o.from ?? o.now - DEFAULT_PERIOD_DAYS * 86_400_000;
  const inventory = config.devices.map((d) => ({ name: d.name, platform: d.platform, groups: d.groups }));
  // One read transaction: the rows, the findings and the counts describe the same moment.
  const read = db.transaction(() => {
    const rows = reconciliationRows(db, { roster, devices: inventory, dormantDays: config.reconcile.dormantDays, now: o.now });
    const accounts = (db.prepare('SELECT count(*) AS n FROM accounts WHERE removed_at IS NULL').get() as { n: number }).n;
    const lines = db
      .prepare(
        `SELECT f.id, f.severity, f.status, f.kind, f.device, f.account, coalesce(f.attribution, f.summary) AS summary, f.technique,
                f.first_seen, f.last_seen, h.by AS reviewer, h.to_status AS decision, h.at AS decided_at
           FROM findings f
           LEFT JOIN finding_history h ON h.id = (
             SELECT x.id FROM finding_history x WHERE x.finding_id = f.id AND x.by <> 'aaawatch' ORDER BY x.at DESC, x.id DESC LIMIT 1)
          WHERE f.status <> 'resolved' OR f.updated_at >= ?
          ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, f.id`,
      )
      .all(from) as Array<{
      id: number;
      severity: string;
      status: string;
      kind: string;
      device: string;
      account: string;
      summary: string;
      technique: string | null;
      first_seen: number;
      last_seen: number;
      reviewer: string | null;
      decision: string | null;
      decided_at: number | null;
    }>;
    const count = (sql: string, ...args: number[]): number => (db.prepare(sql).get(...args) as { n: number }).n;
    const events = count('SELECT count(*) AS n FROM events WHERE time >= ? AND time < ?', from, o.now);
    const snapshots = count('SELECT count(*) AS n FROM snapshots WHERE taken_at >= ? AND taken_at < ?', from, o.now);
    const decisions = count(`SELECT count(*) AS n FROM finding_history WHERE by <> 'aaawatch' AND at >= ? AND at < ?`, from, o.now);
    const pulled = count('SELECT count(*) AS n FROM pull_state');
    const head = db.prepare('SELECT id, hex(hash) AS hash FROM events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    const chained = count('SELECT count(*) AS n FROM events');
    return { rows, accounts, lines, events, snapshots, decisions, pulled, head, chained };
  });
  const r = read();
  const rows = r.rows;
  const devices = new Set(rows.map((a) => a.device)).size;
  const header: ExportHeader = {
    title: 'aaawatch account reconciliation',
    scope: `the inventory's ${config.devices.length} device${config.devices.length === 1 ? '' : 's'} (${r.pulled} pulled, ${devices} with accounts or missing ones)`,
    period: { from: iso(from), to: iso(o.now) },
    generatedAt: iso(o.now),
    generatedBy: o.by,
    appliance: hostname(),
    version: VERSION,
    sources: [
      { name: 'device accounts', query: 'local accounts present in the latest pulled configurations, every device (accounts, removed_at IS NULL)', rows: r.accounts },
      { name: 'findings', query: 'findings unresolved now, or resolved within the period (findings)', rows: r.lines.length },
      { name: 'decisions', query: 'acknowledge / accept / resolve decisions by people within the period (finding_history)', rows: r.decisions },
      { name: 'syslog records', query: 'account, command and session records within the period (events, hash-chained)', rows: r.events },
      { name: 'configuration snapshots', query: 'redacted configurations stored within the period (snapshots)', rows: r.snapshots },
      { name: 'roster', query: roster ? `authorised accounts from ${roster.files.join(', ')}` : 'no roster configured (reconcile.roster)', rows: roster?.entries.length ?? 0 },
      { name: 'reconciliation rows', query: `one per account on an inventory device and per must-exist account it lacks, dormant after ${config.reconcile.dormantDays} days`, rows: rows.length },
    ],
    chain: { records: r.chained, lastId: r.head?.id ?? null, head: r.head ? r.head.hash.toLowerCase() : null },
  };
  const findings = r.lines.map((f) => ({
    id: f.id,
    severity: f.severity,
    status: f.status,
    kind: f.kind,
    device: f.device,
    account: f.account,
    summary: f.summary,
    technique: f.technique ?? '',
    firstSeen: iso(f.first_seen),
    lastSeen: iso(f.last_seen),
    reviewer: f.reviewer ?? '',
    decision: f.decision ?? '',
    decidedAt: iso(f.decided_at),
  }));
  return { header, rows, findings };
}
