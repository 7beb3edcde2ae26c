// A pull's outcome in a shared PostgreSQL store: what src/pull/record.ts writes to SQLite, in the
// same order and one transaction per outcome, with each run stamped with the collector that
// pulled. The account comparison and the findings' wording are record.ts's own (shared); only the
// statements differ ($n parameters, RETURNING for new ids, bigint read back as text).
//
// Two collectors never record the same device at once: a scheduled pull runs under the device's
// lease (src/pull/schedule.ts). The partial unique index on present accounts would refuse a twin
// if they ever did, failing that outcome's transaction whole.

import type pg from 'pg';
import { redactSecrets } from '../../../parsers/lib/secrets.js';
import { compareAccounts, facts, readAlike, type KnownAccount } from '../../pull/account-changes.js';
import { HostKeyChanged } from '../../pull/errors.js';
import type { PullStore, SuccessOutcome } from '../../pull/pull-store.js';
import { checkAcceptable, comparison, hostKeyFinding, known, pullFailedFinding, values, type AccountCounts, type Failure, type Success } from '../../pull/record.js';
import { REREAD_ACCOUNT_SQL, type AccountRow, type HostKeyChangeRow, type HostKeyRow, type PullRunRow } from '../pull.js';
import type { LocalAccount } from '../../types.js';
import { raiseFindingPg } from './findings.js';
import { inTransaction } from './transaction.js';

/** bigint columns come back as text; these hold counts and epoch milliseconds, well within a double. */
const num = (v: string | number): number => Number(v);
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

type Text<T> = { [K in keyof T]: T[K] extends number ? string : T[K] extends number | null ? string | null : T[K] };

async function insertRun(c: pg.ClientBase, collector: string, r: Omit<PullRunRow, 'id'>): Promise<number> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO pull_runs (collector, device, started_at, finished_at, attempts, outcome, failure, error, snapshot_id, read_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    // An error can quote what the device printed: it passes the secret gate like every kept byte.
    [collector, r.device, r.started_at, r.finished_at, r.attempts, r.outcome, r.failure, r.error === null ? null : redactSecrets(r.error), r.snapshot_id, r.read_at],
  );
  return num(rows[0]!.id);
}

export class PgPullStore implements PullStore {
  constructor(
    private readonly pool: pg.Pool,
    /** The collector whose runs these are. */
    private readonly collector: string,
    /** Where the store is, for messages (where.ts pgWhere: no user or password). */
    readonly where = `PostgreSQL as collector ${collector}`,
  ) {}

  async hostKey(device: string): Promise<HostKeyRow | undefined> {
    const { rows } = await this.pool.query<Text<HostKeyRow>>('SELECT * FROM host_keys WHERE device = $1', [device]);
    const r = rows[0];
    return r && { ...r, pinned_at: num(r.pinned_at), last_seen: num(r.last_seen) };
  }

  async lastRunStarted(device: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ t: string | null }>('SELECT max(started_at) AS t FROM pull_runs WHERE device = $1', [device]);
    return numOrNull(rows[0]!.t) ?? undefined;
  }

  acceptHostKey(device: string, by: string, at: number, fingerprint?: string): Promise<HostKeyChangeRow> {
    return inTransaction(this.pool, async (c) => {
      const r = (await c.query<Text<HostKeyChangeRow>>('SELECT * FROM host_key_changes WHERE device = $1 FOR UPDATE', [device])).rows[0];
      const change = r && { ...r, first_seen: num(r.first_seen), last_seen: num(r.last_seen) };
      checkAcceptable(device, change, fingerprint);
      await c.query(
        `INSERT INTO host_keys (device, key_type, key, fingerprint, source, pinned_at, pinned_by, last_seen) VALUES ($1, $2, $3, $4, 'accepted', $5, $6, $5)
         ON CONFLICT (device) DO UPDATE SET key_type = excluded.key_type, key = excluded.key, fingerprint = excluded.fingerprint,
           source = excluded.source, pinned_at = excluded.pinned_at, pinned_by = excluded.pinned_by, last_seen = excluded.last_seen`,
        [device, change.key_type, change.key, change.fingerprint, at, by],
      );
      await c.query('DELETE FROM host_key_changes WHERE device = $1', [device]);
      return change;
    });
  }

  async hostKeys(): Promise<{ pinned: HostKeyRow[]; waiting: HostKeyChangeRow[] }> {
    const pinned = (await this.pool.query<Text<HostKeyRow>>('SELECT * FROM host_keys ORDER BY device')).rows;
    const waiting = (await this.pool.query<Text<HostKeyChangeRow>>('SELECT * FROM host_key_changes ORDER BY device')).rows;
    return {
      pinned: pinned.map((r) => ({ ...r, pinned_at: num(r.pinned_at), last_seen: num(r.last_seen) })),
      waiting: waiting.map((r) => ({ ...r, first_seen: num(r.first_seen), last_seen: num(r.last_seen) })),
    };
  }

  async markUnderWay(device: string, at: number, expiresAt: number): Promise<number> {
    // Each collector clears what expired: a mark whose collector stopped mid-pull goes whoever pulls next.
    await this.pool.query('DELETE FROM pulls_under_way WHERE expires_at < $1', [at]);
    const { rows } = await this.pool.query<{ id: string }>('INSERT INTO pulls_under_way (device, started_at, expires_at) VALUES ($1, $2, $3) RETURNING id', [device, at, expiresAt]);
    return num(rows[0]!.id);
  }

  async endMarks(ids: readonly number[]): Promise<void> {
    await this.pool.query('DELETE FROM pulls_under_way WHERE id = ANY($1::bigint[])', [ids]);
  }

  async pruneRuns(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM pull_runs WHERE started_at < $1', [before])).rowCount ?? 0;
  }

  recordSuccess(s: Success): Promise<SuccessOutcome> {
    return inTransaction(this.pool, async (c) => {
      const at = s.finishedAt;
      const prev = (await c.query<{ id: string; hash: string }>('SELECT id, hash FROM snapshots WHERE device = $1 ORDER BY id DESC LIMIT 1', [s.device])).rows[0];
      const previousId = prev ? num(prev.id) : null;
      const changed = !prev || prev.hash !== s.digest.hash;
      const snapshotId = changed
        ? num((await c.query<{ id: string }>(
            'INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
            [s.device, s.platform, at, s.digest.hash, s.digest.redacted, Buffer.byteLength(s.digest.redacted)],
          )).rows[0]!.id)
        : previousId!;
      const counts: AccountCounts = { added: 0, removed: 0, changed: 0 };
      const change = async (accountId: number, name: string, kind: 'added' | 'removed' | 'changed', before: KnownAccount | undefined, after: LocalAccount | undefined): Promise<void> => {
        counts[kind]++;
        await c.query(
          `INSERT INTO account_changes (account_id, device, name, change, at, before, after, from_snapshot_id, to_snapshot_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [accountId, s.device, name, kind, at, before ? JSON.stringify(facts(before)) : null, after ? JSON.stringify(facts(after)) : null, previousId, snapshotId],
        );
      };
      const present = (await c.query<Text<AccountRow>>('SELECT * FROM accounts WHERE device = $1 AND removed_at IS NULL ORDER BY name', [s.device])).rows;
      for (const a of compareAccounts(present.map((r) => known({ ...r, id: num(r.id) })), s.digest.accounts, comparison(s.platform, prev !== undefined && !changed))) {
        if (a.kind === 'added') {
          const v = values(a.account);
          const { rows } = await c.query<{ id: string }>(
            `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8) RETURNING id`,
            [s.device, a.account.name, v.privilege, v.roles, v.credentials, v.lines, at, snapshotId],
          );
          await change(num(rows[0]!.id), a.account.name, 'added', undefined, a.account);
        } else if (a.kind === 'removed') {
          await c.query('UPDATE accounts SET removed_at = $1, removed_snapshot_id = $2 WHERE id = $3', [at, snapshotId, a.previous.id]);
          await change(a.previous.id, a.previous.name, 'removed', a.previous, undefined);
        } else {
          const v = values(a.account);
          await c.query(
            'UPDATE accounts SET privilege = $1, roles = $2, credentials = $3, lines = $4, last_seen = $5, last_snapshot_id = $6 WHERE id = $7',
            [v.privilege, v.roles, v.credentials, v.lines, at, snapshotId, a.previous.id],
          );
          if (a.kind === 'changed') await change(a.previous.id, a.account.name, 'changed', a.previous, a.account);
          // Compared as the same, read otherwise: its latest change read from this text takes this reading (store/pull.ts REREAD_ACCOUNT_SQL).
          else if (!readAlike(a.previous, a.account)) {
            let n = 0;
            await c.query(REREAD_ACCOUNT_SQL.replace(/\?/g, () => `$${++n}`), [JSON.stringify(facts(a.account)), s.device, a.account.name, s.digest.hash]);
          }
        }
      }
      const pin = (await c.query<{ key: Buffer }>('SELECT key FROM host_keys WHERE device = $1', [s.device])).rows[0];
      if (pin && pin.key.equals(s.hostKey.blob)) await c.query('UPDATE host_keys SET last_seen = $1 WHERE device = $2', [at, s.device]);
      else {
        await c.query(
          `INSERT INTO host_keys (device, key_type, key, fingerprint, source, pinned_at, pinned_by, last_seen) VALUES ($1, $2, $3, $4, $5, $6, NULL, $6)
           ON CONFLICT (device) DO UPDATE SET key_type = excluded.key_type, key = excluded.key, fingerprint = excluded.fingerprint,
             source = excluded.source, pinned_at = excluded.pinned_at, pinned_by = excluded.pinned_by, last_seen = excluded.last_seen`,
          [s.device, s.hostKey.type, s.hostKey.blob, s.hostKey.fingerprint, s.keySource, at],
        );
      }
      await c.query(
        `INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures, last_error) VALUES ($1, $2, $2, $3, 0, NULL)
         ON CONFLICT (device) DO UPDATE SET last_attempt = excluded.last_attempt, last_success = excluded.last_success,
           snapshot_id = excluded.snapshot_id, failures = 0, last_error = NULL`,
        [s.device, at, snapshotId],
      );
      await insertRun(c, this.collector, {
        device: s.device, started_at: s.startedAt, finished_at: at, attempts: s.attempts,
        outcome: changed ? 'changed' : 'unchanged', failure: null, error: null, snapshot_id: snapshotId, read_at: s.readAt ?? null,
      });
      return { changed, snapshotId, accounts: counts };
    });
  }

  recordFailure(f: Failure): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      const at = f.finishedAt;
      const runId = await insertRun(c, this.collector, {
        device: f.device, started_at: f.startedAt, finished_at: at, attempts: f.attempts,
        outcome: 'failed', failure: f.error.failure, error: f.message, snapshot_id: null, read_at: null,
      });
      const failures = num((await c.query<{ failures: string }>(
        `INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures, last_error) VALUES ($1, $2, NULL, NULL, 1, $3)
         ON CONFLICT (device) DO UPDATE SET last_attempt = excluded.last_attempt, failures = pull_state.failures + 1, last_error = excluded.last_error
         RETURNING failures`,
        [f.device, at, redactSecrets(f.message)],
      )).rows[0]!.failures);
      if (f.error instanceof HostKeyChanged) {
        const k = f.error.presented;
        await c.query(
          `INSERT INTO host_key_changes (device, key_type, key, fingerprint, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (device) DO UPDATE SET last_seen = excluded.last_seen,
             first_seen = CASE WHEN host_key_changes.fingerprint = excluded.fingerprint THEN host_key_changes.first_seen ELSE excluded.first_seen END,
             key_type = excluded.key_type, key = excluded.key, fingerprint = excluded.fingerprint`,
          [f.device, k.type, k.blob, k.fingerprint, at],
        );
        await raiseFindingPg(c, hostKeyFinding(f, f.error, runId));
      } else if (failures >= f.failuresBeforeFinding) {
        const runs = (await c.query<{ id: string }>('SELECT id FROM pull_runs WHERE device = $1 ORDER BY id DESC LIMIT $2', [f.device, Math.min(failures, 20)])).rows;
        await raiseFindingPg(c, pullFailedFinding(f, failures, runs.map((r) => num(r.id))));
      }
      return failures;
    });
  }
}
