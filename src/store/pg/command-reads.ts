// What the command line reads from a shared PostgreSQL store (`aaawatch findings`, `accounts`,
// `snapshots`, `diff`, `pull --status`, `stats`, `unknowns`): the statements of the SQLite reads
// they mirror (src/store/pull.ts, src/store/queries.ts, src/reconcile/lifecycle.ts), with the
// estate's tables read as they are and the collectors' counts summed (every node sees the estate;
// `stats` there is the estate's, not one collector's). The pool is made with PG_NUMBERS, so rows come
// back with the numbers SQLite's do.

import type pg from 'pg';
import { findingFromRow, findingNow, statusNowSql, type Finding, type FindingRow } from '../../reconcile/findings.js';
import type { FindingFilter, HistoryEntry } from '../../reconcile/lifecycle.js';
import { pathFromColumns, type PathColumns } from '../../reconcile/decision-path.js';
import type { AccountChangeRow, AccountQuery, AccountRow, PullStateRow, SnapshotRow, SnapshotSummary } from '../pull.js';
import type { CounterRow, NativeSourceRow, TrafficRow, UnknownRow } from '../queries.js';

type HistoryRow = {
  id: number; finding_id: number; at: number; by: string; from_status: HistoryEntry['from']; to_status: HistoryEntry['to'];
  reason: string | null; until: number | null; severity: HistoryEntry['severity']; ticket: string | null;
} & PathColumns;

export class PgCommandReads {
  constructor(private readonly pool: pg.Pool) {}

  private async rows<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, args)).rows;
  }

  /** Findings, newest activity first (lifecycle.ts listFindings). */
  async findings(f: FindingFilter = {}): Promise<Finding[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const statuses = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : [f.status];
    if (statuses.length) where.push(`${f.now !== undefined ? statusNowSql(`$${args.push(f.now)}::bigint`) : 'status'} = ANY($${args.push(statuses)})`);
    for (const [column, value] of [['kind', f.kind], ['severity', f.severity], ['device', f.device], ['account', f.account]] as const) {
      if (value !== undefined) where.push(`${column} = $${args.push(value)}`);
    }
    const limit = f.limit === undefined ? 'ALL' : `$${args.push(f.limit)}`;
    const rows = await this.rows<FindingRow>(
      `SELECT * FROM findings ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY updated_at DESC, id DESC LIMIT ${limit} OFFSET $${args.push(f.offset ?? 0)}`,
      args,
    );
    const now = f.now;
    return now === undefined ? rows.map(findingFromRow) : rows.map((r) => findingNow(findingFromRow(r), now));
  }

  async finding(id: number): Promise<Finding | undefined> {
    const [row] = await this.rows<FindingRow>('SELECT * FROM findings WHERE id = $1', [id]);
    return row ? findingFromRow(row) : undefined;
  }

  async findingHistory(id: number): Promise<HistoryEntry[]> {
    const rows = await this.rows<HistoryRow>('SELECT * FROM finding_history WHERE finding_id = $1 ORDER BY id', [id]);
    return rows.map((r) => ({ id: r.id, findingId: r.finding_id, at: r.at, by: r.by, from: r.from_status, to: r.to_status, reason: r.reason, until: r.until, severity: r.severity, ticket: r.ticket, path: pathFromColumns(r) }));
  }

  accounts(q: AccountQuery = {}): Promise<AccountRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.device !== undefined) where.push(`device = $${args.push(q.device)}`);
    if (!q.removed) where.push('removed_at IS NULL');
    return this.rows<AccountRow>(`SELECT * FROM accounts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY device, name, id`, args);
  }

  accountChanges(device: string): Promise<AccountChangeRow[]> {
    return this.rows<AccountChangeRow>('SELECT * FROM account_changes WHERE device = $1 ORDER BY id', [device]);
  }

  snapshots(device: string): Promise<SnapshotSummary[]> {
    return this.rows<SnapshotSummary>('SELECT id, device, platform, taken_at, hash, bytes FROM snapshots WHERE device = $1 ORDER BY id', [device]);
  }

  async snapshot(id: number): Promise<SnapshotRow | undefined> {
    return (await this.rows<SnapshotRow>('SELECT * FROM snapshots WHERE id = $1', [id]))[0];
  }

  pullStates(): Promise<PullStateRow[]> {
    return this.rows<PullStateRow>('SELECT * FROM pull_state ORDER BY device');
  }

  /** Every collector's counters, summed; the latest write's time. */
  counters(): Promise<CounterRow[]> {
    return this.rows<CounterRow>('SELECT name, sum(value)::bigint AS value, max(updated_at) AS updated_at FROM counters GROUP BY name ORDER BY name');
  }

  traffic(sinceMs: number): Promise<TrafficRow[]> {
    return this.rows<TrafficRow>(
      `SELECT device, program, sum(messages)::bigint AS messages, sum(recognised)::bigint AS recognised FROM traffic
        WHERE hour >= $1 GROUP BY device, program ORDER BY messages DESC`,
      [Math.floor(sinceMs / 3_600_000)],
    );
  }

  /** Native accounting senders, each collector's row apart (a sender may report to two). */
  nativeSources(): Promise<Array<NativeSourceRow & { collector: string }>> {
    return this.rows('SELECT * FROM native_senders ORDER BY device, transport, source, collector');
  }

  /** Unknown message types, summed over collectors, with the latest example. */
  unknowns(device?: string): Promise<UnknownRow[]> {
    return this.rows<UnknownRow>(
      `SELECT device, type, sum(count)::bigint AS count, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
              (array_agg(example ORDER BY last_seen DESC))[1] AS example
         FROM unknowns ${device ? 'WHERE device = $1' : ''} GROUP BY device, type ORDER BY count DESC`,
      device ? [device] : [],
    );
  }
}
