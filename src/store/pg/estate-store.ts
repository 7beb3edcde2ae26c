// The estate's reconciliation reads and writes in a shared PostgreSQL store (EstateStore,
// src/reconcile/estate-store.ts). The statements are SQLite's (src/reconcile/store.ts, sync.ts,
// lifecycle.ts) where SQL allows; where it does not:
//   - syslog activity is kept per collector (device_activity's key includes it): a device's first
//     and last syslog are the earliest and latest over every collector;
//   - an account's last login is a LATERAL subquery (SQLite names its partial index instead);
//   - bigint comes back as text and is read with Number (epoch ms and ids, well within a double).
// Only the leader writes here (src/reconcile/leader.ts); findings that pulls raise meanwhile are of
// other kinds (pull-failed, host-key-changed), and those it resolves it updates by id.

import type pg from 'pg';
import type { Condition } from '../../reconcile/evaluate.js';
import type { EstateStore } from '../../reconcile/estate-store.js';
import { type FindingEvidence, type FindingStatus, type Severity } from '../../reconcile/findings.js';
import { resolvedEvidence } from '../../reconcile/lifecycle.js';
import type { DeviceInfo, Origin, PresentAccount } from '../../reconcile/model.js';
import type { PinnedKey, PullStateLike } from '../../reconcile/run.js';
import type { DeviceRef } from '../../reconcile/scope.js';
import { deviceInfoFrom, LATEST_SNAPSHOT_AUDITS, ORIGIN_SELECT, originFrom, type OriginRow, type StoredAudit } from '../../reconcile/store.js';
import { planSync, SYNC_CHUNK, tally, type OpenFinding, type Resolution, type SyncResult, type SyncStep } from '../../reconcile/sync.js';
import { addHistoryPg } from './findings.js';
import { inTransaction } from './transaction.js';

const num = (v: string | number): number => Number(v);
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));


export class PgEstateStore implements EstateStore {
  constructor(private readonly pool: pg.Pool) {}

  async snapshotsToAudit(collectors: readonly string[]): Promise<Array<{ id: number; platform: string }>> {
    const want = JSON.stringify([...collectors]);
    const { rows } = await this.pool.query<{ id: string; platform: string; checks: string | null }>(LATEST_SNAPSHOT_AUDITS);
    return rows.filter((r) => r.checks === null || JSON.stringify((JSON.parse(r.checks) as StoredAudit).collectors) !== want).map((r) => ({ id: num(r.id), platform: r.platform }));
  }

  async snapshotConfig(id: number): Promise<string | undefined> {
    return (await this.pool.query<{ config: string }>('SELECT config FROM snapshots WHERE id = $1', [id])).rows[0]?.config;
  }

  async saveAudit(snapshotId: number, audit: StoredAudit): Promise<void> {
    await this.pool.query('INSERT INTO snapshot_audit (snapshot_id, checks) VALUES ($1, $2) ON CONFLICT (snapshot_id) DO UPDATE SET checks = excluded.checks', [snapshotId, JSON.stringify(audit)]);
  }

  async deviceInfo(inventory: readonly DeviceRef[]): Promise<Map<string, DeviceInfo>> {
    const [pulls, activity, audits, native] = await Promise.all([
      this.pool.query<{ device: string; last_success: string | null; snapshot_id: string | null }>('SELECT device, last_success, snapshot_id FROM pull_state'),
      this.pool.query<{ device: string; first_seen: string; last_seen: string }>('SELECT device, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM device_activity GROUP BY device'),
      this.pool.query<{ snapshot_id: string; checks: string }>('SELECT snapshot_id, checks FROM snapshot_audit'),
      this.pool.query<{ device: string; last: string }>('SELECT device, max(last_accepted) AS last FROM native_sources WHERE last_accepted IS NOT NULL GROUP BY device'),
    ]);
    return deviceInfoFrom(inventory, {
      pulls: new Map(pulls.rows.map((r) => [r.device, { last_success: numOrNull(r.last_success), snapshot_id: numOrNull(r.snapshot_id) }])),
      activity: new Map(activity.rows.map((r) => [r.device, { first_seen: num(r.first_seen), last_seen: num(r.last_seen) }])),
      audits: new Map(audits.rows.map((r) => [num(r.snapshot_id), r.checks])),
      native: new Map(native.rows.map((r) => [r.device, num(r.last)])),
    });
  }

  async presentAccounts(): Promise<PresentAccount[]> {
    const { rows } = await this.pool.query<{
      id: string; device: string; name: string; privilege: string | null; roles: string; first_seen: string; last_seen: string;
      first_snapshot_id: string; last_snapshot_id: string; login_time: string | null; login_id: string | null;
    }>(
      `SELECT a.id, a.device, a.name, a.privilege, a.roles, a.first_seen, a.last_seen, a.first_snapshot_id, a.last_snapshot_id,
         l.time AS login_time, l.id AS login_id
       FROM accounts a LEFT JOIN LATERAL (
         SELECT e.time, e.id FROM events e
         WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND e.device = a.device AND e.actor = a.name
         ORDER BY e.time DESC LIMIT 1
       ) l ON true
       WHERE a.removed_at IS NULL ORDER BY a.id`,
    );
    return rows.map((r) => {
      const a: PresentAccount = {
        id: num(r.id), device: r.device, name: r.name, roles: r.roles === '[]' ? [] : (JSON.parse(r.roles) as string[]),
        firstSeen: num(r.first_seen), lastSeen: num(r.last_seen), firstSnapshotId: num(r.first_snapshot_id), lastSnapshotId: num(r.last_snapshot_id),
      };
      if (r.privilege !== null) a.privilege = r.privilege;
      if (r.login_time !== null) a.lastLogin = { time: num(r.login_time), eventId: num(r.login_id!) };
      return a;
    });
  }

  async origins(): Promise<Map<number, Origin>> {
    const { rows } = await this.pool.query<Record<keyof OriginRow, string | null>>(`${ORIGIN_SELECT} WHERE change = 'added' ORDER BY change_id`);
    const out = new Map<number, Origin>();
    for (const r of rows) {
      out.set(num(r.account_id!), originFrom({ ...r, account_id: num(r.account_id!), explained: num(r.explained!), at: numOrNull(r.at) } as OriginRow));
    }
    return out;
  }

  async openFindings(kinds: ReadonlySet<string>): Promise<OpenFinding[]> {
    const { rows } = await this.pool.query<OpenFinding & { id: string }>(
      `SELECT id, kind, device, account, severity, status, summary, attribution, evidence FROM findings WHERE status <> 'resolved' AND kind = ANY($1)`,
      [[...kinds]],
    );
    return rows.map((r) => ({ ...r, id: num(r.id) }));
  }

  async syncConditions(
    kinds: ReadonlySet<string>,
    conditions: readonly Condition[],
    resolution: (f: OpenFinding) => Resolution | undefined,
    now: number,
  ): Promise<SyncResult> {
    const steps = planSync(await this.openFindings(kinds), conditions, resolution);
    const write = async (c: pg.ClientBase, s: SyncStep): Promise<void> => {
      if (s.do === 'raise') {
        const cond = s.condition;
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence, attribution, first_seen, last_seen, occurrences, updated_at)
           VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $9, 1, $9) RETURNING id`,
          [cond.kind, cond.severity, cond.device, cond.account, cond.summary, cond.technique ?? null, s.evidence, cond.attribution ?? null, now],
        );
        await addHistoryPg(c, { findingId: num(rows[0]!.id), at: now, from: null, to: 'open', severity: cond.severity });
      } else if (s.do === 'touch') await c.query('UPDATE findings SET last_seen = $1 WHERE id = $2', [now, s.finding.id]);
      else if (s.do === 'update') {
        const { finding: f, condition: cond } = s;
        await c.query(
          'UPDATE findings SET severity = $1, summary = $2, evidence = $3, attribution = $4, last_seen = $5, occurrences = occurrences + 1, updated_at = $5 WHERE id = $6',
          [cond.severity, cond.summary, s.evidence, cond.attribution ?? null, now, f.id],
        );
        if (s.escalated) {
          await addHistoryPg(c, { findingId: f.id, at: now, from: f.status, to: f.status, reason: `severity raised from ${f.severity} to ${cond.severity}`, severity: cond.severity });
        }
      } else await resolveOne(c, s.finding, s.why, now);
    };
    for (let i = 0; i < steps.length; i += SYNC_CHUNK) {
      const slice = steps.slice(i, i + SYNC_CHUNK);
      await inTransaction(this.pool, async (c) => {
        for (const s of slice) await write(c, s);
      });
    }
    return tally(steps);
  }

  async pullStates(): Promise<Map<string, PullStateLike>> {
    const { rows } = await this.pool.query<{ device: string; last_success: string | null; failures: string; snapshot_id: string | null }>(
      'SELECT device, last_success, failures, snapshot_id FROM pull_state',
    );
    return new Map(rows.map((r) => [r.device, { last_success: numOrNull(r.last_success), failures: num(r.failures), snapshot_id: numOrNull(r.snapshot_id) }]));
  }

  async keysWaiting(): Promise<Set<string>> {
    return new Set((await this.pool.query<{ device: string }>('SELECT device FROM host_key_changes')).rows.map((r) => r.device));
  }

  async pinnedKeys(): Promise<Map<string, PinnedKey>> {
    const { rows } = await this.pool.query<{ device: string; fingerprint: string; pinned_by: string | null; pinned_at: string }>('SELECT device, fingerprint, pinned_by, pinned_at FROM host_keys');
    return new Map(rows.map((r) => [r.device, { fingerprint: r.fingerprint, pinned_by: r.pinned_by, pinned_at: num(r.pinned_at) }]));
  }

  async resolve(items: ReadonlyArray<{ finding: OpenFinding; why: Resolution }>, now: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      for (const { finding, why } of items) await resolveOne(c, finding, why, now);
    });
  }

  async openByKind(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM findings WHERE status <> 'resolved' GROUP BY kind`);
    return Object.fromEntries(rows.map((r) => [r.kind, num(r.n)]));
  }
}

/**
 * lifecycle.ts's autoResolve. Only a finding still unresolved is resolved: a person may have
 * resolved it from the web since it was read, and their entry stands.
 */
async function resolveOne(c: pg.ClientBase, f: { id: number; severity: Severity; evidence: string }, why: Resolution, now: number): Promise<void> {
  // The status as it is now, under the row's lock (a decision may have moved it since it was read).
  const current = (await c.query<{ status: FindingStatus }>(`SELECT status FROM findings WHERE id = $1 FOR UPDATE`, [f.id])).rows[0];
  if (!current || current.status === 'resolved') return;
  const kept = resolvedEvidence(JSON.parse(f.evidence) as FindingEvidence, why, now);
  await c.query(`UPDATE findings SET status = 'resolved', accepted_until = NULL, evidence = $1, updated_at = $2 WHERE id = $3`, [JSON.stringify(kept), now, f.id]);
  await addHistoryPg(c, { findingId: f.id, at: now, from: current.status, to: 'resolved', reason: why.reason, severity: f.severity });
}
