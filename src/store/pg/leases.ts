// Leases in a shared PostgreSQL store: who may do what alone. A pull lease per device (exactly one
// collector pulls a device at a time) and one leader lease for the estate (reconciliation runs once,
// not once per collector).
//
// A lease is a row (name, holder, expiry) that its holder renews; anyone may take a lease whose
// expiry has passed. Expiry is read and set on the database's clock only, so collectors' clocks
// need not agree. Chosen over advisory locks (pg_try_advisory_lock), which are held by a session:
// they are freed the moment a holder dies, but also the moment its connection blips, while the
// holder may still be pulling; behind a pooler in transaction mode (PgBouncer) a session is not
// the collector's at all, so a session lock is either lost or leaked. A lease survives a blip
// shorter than its time to live, works through any pooler, and after a crash is free once its time
// runs out (the cost: up to one time to live before another collector takes over).
//
// A holder must stop acting on a lease it could not renew before the database would let another
// take it: `Lease.validFor` counts the time to live from when the request that took or renewed it
// was sent (no later than the database stamped it), on this process's monotonic clock. Each
// change of holder raises the lease's token, which a holder can write beside what it does under
// the lease, so that work done by a holder that lost its lease is told from its successor's.

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createTables } from './migrate.js';
import { LEASE_TABLE } from '../schema/pull.js';

/** The lease a collector holds to pull one device. */
export const pullLease = (device: string): string => `pull:${device}`;
/** The lease of the collector that reconciles the whole estate. */
export const LEADER_LEASE = 'reconcile-leader';

/** The database's clock, in milliseconds. */
const NOW = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export interface LeaseRow {
  name: string;
  holder: string;
  collector: string;
  acquiredAt: number;
  expiresAt: number;
  token: number;
}

export interface Lease {
  name: string;
  /** Raised each time the lease changes holder. */
  token: number;
  /** Milliseconds this holder may still act on it (never more than the time to live). */
  validFor(): number;
}

export function createLeaseTable(pool: pg.Pool): Promise<void> {
  return createTables(pool, [LEASE_TABLE]);
}

export class Leases {
  /** This process: its collector's name and a number per start, so a restarted collector is a new holder. */
  readonly holder: string;

  constructor(
    private readonly db: pg.Pool,
    readonly collector: string,
    readonly ttlMs: number,
  ) {
    this.holder = `${collector}/${randomUUID()}`;
  }

  /**
   * Take the lease `name`, or renew it if this process holds it: the lease, or undefined when
   * another holder has it and its time has not run out.
   */
  async acquire(name: string): Promise<Lease | undefined> {
    const sent = performance.now();
    const { rows } = await this.db.query<{ token: string }>(
      `INSERT INTO leases (name, holder, collector, acquired_at, renewed_at, expires_at, token)
       VALUES ($1, $2, $3, ${NOW}, ${NOW}, ${NOW} + $4, 1)
       ON CONFLICT (name) DO UPDATE SET
         acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
         token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END,
         holder = excluded.holder, collector = excluded.collector, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ${NOW}
       RETURNING token`,
      [name, this.holder, this.collector, this.ttlMs],
    );
    if (rows.length === 0) return undefined;
    const until = sent + this.ttlMs;
    return { name, token: Number(rows[0]!.token), validFor: () => Math.max(0, until - performance.now()) };
  }

  /**
   * Give the lease up now, if this process holds it, so another may take it without waiting. The
   * row stays, run out, so its token keeps rising with each holder.
   */
  async release(name: string): Promise<void> {
    await this.db.query(`UPDATE leases SET expires_at = ${NOW} WHERE name = $1 AND holder = $2`, [name, this.holder]);
  }

  /** Who holds `name`, if anyone holds it now. */
  async holderOf(name: string): Promise<LeaseRow | undefined> {
    const { rows } = await this.db.query<{ name: string; holder: string; collector: string; acquired_at: string; expires_at: string; token: string }>(
      `SELECT name, holder, collector, acquired_at, expires_at, token FROM leases WHERE name = $1 AND expires_at > ${NOW}`, [name],
    );
    const r = rows[0];
    return r && { name: r.name, holder: r.holder, collector: r.collector, acquiredAt: Number(r.acquired_at), expiresAt: Number(r.expires_at), token: Number(r.token) };
  }

  /**
   * Run `work` holding `name`, renewing the lease while it runs: 'held-elsewhere' when another
   * holder has it. `work` is given a signal that aborts when the lease could not be renewed in
   * time, so a pull stops before another collector may start the same device.
   */
  async withLease<T>(name: string, work: (lease: Lease, lost: AbortSignal) => Promise<T>): Promise<T | 'held-elsewhere'> {
    const lease = await this.acquire(name);
    if (!lease) return 'held-elsewhere';
    const keeper = this.keep(lease);
    try {
      return await work(lease, keeper.lost);
    } finally {
      keeper.stop();
      await this.release(name).catch(() => undefined);
    }
  }

  /**
   * Renew `lease` every third of its time to live until stopped; `lost` aborts when it could not be
   * renewed before it ran out (the database unreachable, or another holder took it).
   */
  keep(lease: Lease): { lost: AbortSignal; stop(): void } {
    const lost = new AbortController();
    let current = lease;
    let timer: NodeJS.Timeout | undefined;
    let expiry: NodeJS.Timeout | undefined;
    let stopped = false;
    const armExpiry = (): void => {
      clearTimeout(expiry);
      expiry = setTimeout(() => lost.abort(new Error(`lease ${lease.name} ran out before it could be renewed`)), current.validFor());
    };
    const renew = async (): Promise<void> => {
      try {
        const next = await this.acquire(lease.name);
        if (stopped || lost.signal.aborted) return;
        if (!next || next.token !== lease.token) {
          lost.abort(new Error(`lease ${lease.name} was taken by another holder`));
          return;
        }
        current = next;
        armExpiry();
      } catch {
        // Unreachable for now: the lease is still ours until it runs out (armExpiry), tried again below.
      }
      if (!stopped && !lost.signal.aborted) timer = setTimeout(() => void renew(), this.ttlMs / 3);
    };
    armExpiry();
    timer = setTimeout(() => void renew(), this.ttlMs / 3);
    return {
      lost: lost.signal,
      stop() {
        stopped = true;
        clearTimeout(timer);
        clearTimeout(expiry);
      },
    };
  }
}

/**
 * The leader lease, tried every third of its time to live: `onChange(true)` when this process
 * becomes the estate's leader (it runs reconciliation), `onChange(false)` when it stops being it
 * (it could not renew in time, or stopped). One leader at a time; after a leader's death, another
 * takes over once its lease runs out.
 */
export function electLeader(leases: Leases, onChange: (leader: boolean, lease?: Lease) => void): { stop(): Promise<void> } {
  let lease: Lease | undefined;
  let expiry: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const lose = (): void => {
    if (!lease) return;
    lease = undefined;
    clearTimeout(expiry);
    onChange(false);
  };
  const tick = async (): Promise<void> => {
    try {
      const next = await leases.acquire(LEADER_LEASE);
      if (stopped) return;
      if (next && lease && next.token !== lease.token) lose();
      if (!next) lose();
      else {
        const became = !lease;
        lease = next;
        clearTimeout(expiry);
        expiry = setTimeout(lose, next.validFor());
        if (became) onChange(true, next);
      }
    } catch {
      // The database unreachable: still the leader until the lease runs out (expiry), tried again.
    }
    if (!stopped) timer = setTimeout(() => void tick(), leases.ttlMs / 3);
  };
  void tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const was = lease !== undefined;
      lose();
      if (was) await leases.release(LEADER_LEASE).catch(() => undefined);
    },
  };
}
