// The alert outbox in a shared PostgreSQL store (AlertOutbox, src/reconcile/alerts.ts): written and
// delivered by the reconcile leader only (src/reconcile/leader.ts), so each new, escalated or
// reopened finding is alerted once for the estate, whichever collector raised it (pulls raise
// pull-failed and host-key-changed on any collector; the web reopens on any node).
//
// History entries are read after a position (history.alerted, as on SQLite), but a position in
// ids needs every lower id committed: collectors, the web and the leader insert history rows in
// transactions that can commit out of id order. So the leader reads under a SHARE lock on
// finding_history, which waits for the transactions inserting there at that moment and holds new
// ones back until it commits (milliseconds: the rows since the last look, and the outbox rows).
// A leader that dies between sending and marking an alert sent leaves it to the next leader, which
// sends it again: at least once, never dropped.

import type pg from 'pg';
import { alertFor, type AlertOutbox, type HistoryRow, type OutboxRow } from '../../reconcile/alerts.js';
import type { FindingRow, Severity } from '../../reconcile/findings.js';
import { inTransaction } from './transaction.js';

const num = (v: string | number): number => Number(v);

type PgFindingRow = Record<keyof FindingRow, string | null>;
const findingRow = (r: PgFindingRow): FindingRow =>
  ({
    ...r, id: num(r.id!), first_seen: num(r.first_seen!), last_seen: num(r.last_seen!), occurrences: num(r.occurrences!),
    accepted_until: r.accepted_until === null ? null : num(r.accepted_until), updated_at: num(r.updated_at!),
  }) as FindingRow;

export class PgAlertOutbox implements AlertOutbox {
  /** `collector`: whose counters (alerts.sent, …) the deliveries add to. */
  constructor(private readonly pool: pg.Pool, private readonly collector: string) {}

  async collect(destinations: readonly string[], minSeverity: Severity, now: number): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      await c.query('LOCK TABLE finding_history IN SHARE MODE');
      const after = num((await c.query<{ v: string }>(`SELECT coalesce((SELECT value FROM reconcile_state WHERE name = 'history.alerted'), 0) AS v`)).rows[0]!.v);
      const last = num((await c.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM finding_history')).rows[0]!.id);
      let queued = 0;
      if (destinations.length && last > after) {
        const history = await c.query<{ id: string; finding_id: string; at: string; from_status: string | null; to_status: string; severity: Severity | null }>(
          'SELECT id, finding_id, at, from_status, to_status, severity FROM finding_history WHERE id > $1 AND id <= $2 ORDER BY id',
          [after, last],
        );
        const ids = [...new Set(history.rows.map((h) => h.finding_id))];
        const findings = new Map(
          (await c.query<PgFindingRow>('SELECT * FROM findings WHERE id = ANY($1::bigint[])', [ids])).rows.map((r) => [num(r.id!), findingRow(r)]),
        );
        const rows: Array<[string, number, string, string]> = [];
        for (const r of history.rows) {
          const h: HistoryRow = { id: num(r.id), finding_id: num(r.finding_id), at: num(r.at), from_status: r.from_status, to_status: r.to_status, severity: r.severity };
          const a = alertFor(h, (id) => findings.get(id), minSeverity);
          if (a) for (const d of destinations) rows.push([d, h.finding_id, a.event, a.payload]);
        }
        if (rows.length) {
          await c.query(
            `INSERT INTO alert_outbox (destination, finding_id, event, payload, created_at, next_at)
             SELECT d, f, e, p, $5, $5 FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS t(d, f, e, p, n) ORDER BY n`,
            [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), now],
          );
        }
        queued = rows.length;
      }
      // Without destinations the position still moves: configuring alerts later does not send the past.
      if (last > after) {
        await c.query(`INSERT INTO reconcile_state (name, value) VALUES ('history.alerted', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, [last]);
      }
      return queued;
    });
  }

  async startHere(): Promise<void> {
    await this.pool.query(
      `INSERT INTO reconcile_state (name, value) SELECT 'history.alerted', coalesce(max(id), 0) FROM finding_history ON CONFLICT (name) DO NOTHING`,
    );
  }

  async queue(destination: string, limit: number): Promise<OutboxRow[]> {
    const { rows } = await this.pool.query<{ id: string; destination: string; payload: string; attempts: string; next_at: string }>(
      `SELECT id, destination, payload, attempts, next_at FROM alert_outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND destination = $1 ORDER BY id LIMIT $2`,
      [destination, limit],
    );
    return rows.map((r) => ({ id: num(r.id), destination: r.destination, payload: r.payload, attempts: num(r.attempts), next_at: num(r.next_at) }));
  }

  async delivered(id: number, at: number): Promise<void> {
    await this.pool.query('UPDATE alert_outbox SET delivered_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2', [at, id]);
  }

  async retry(id: number, attempts: number, nextAt: number, error: string): Promise<void> {
    await this.pool.query('UPDATE alert_outbox SET attempts = $1, next_at = $2, last_error = $3 WHERE id = $4', [attempts, nextAt, error, id]);
  }

  async givenUp(id: number, attempts: number, at: number, error: string): Promise<void> {
    await this.pool.query('UPDATE alert_outbox SET attempts = $1, failed_at = $2, last_error = $3 WHERE id = $4', [attempts, at, error, id]);
  }

  async count(name: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO counters (collector, name, value, updated_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (collector, name) DO UPDATE SET value = counters.value + 1, updated_at = excluded.updated_at`,
      [this.collector, name, Date.now()],
    );
  }

  async nextDue(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ at: string | null }>(
      `SELECT min(next_at) AS at FROM alert_outbox o WHERE delivered_at IS NULL AND failed_at IS NULL
         AND id = (SELECT min(id) FROM alert_outbox h WHERE h.destination = o.destination AND h.delivered_at IS NULL AND h.failed_at IS NULL)`,
    );
    return rows[0]?.at == null ? undefined : num(rows[0].at);
  }
}
