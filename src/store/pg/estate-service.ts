// Pulls and reconciliation of a collector on a shared PostgreSQL store: its own pool, the device
// pull leases and the leader lease (leases.ts, times from store.pullLeaseSeconds and
// store.leaderLeaseSeconds), the pull schedule over every pullable device (each pulled under its
// lease by whichever collector takes it), the watch that brings pulled accounts to this
// collector's reader, and the estate reconciler and retention that run only while this collector is leader.
// reconcileEstateNow is the same run once, for `aaawatch reconcile` on store.url.

import type pg from 'pg';
import type { Config } from '../../config/schema.js';
import type { AccountKnowledge } from '../../ingest/resolve.js';
import type { Logger } from '../../log.js';
import type { DeviceResult, PullLeases } from '../../pull/run.js';
import { startPulls } from '../../pull/setup.js';
import { AlertSender } from '../../reconcile/alert-sender.js';
import { destinationsFrom } from '../../reconcile/deliver.js';
import type { EstateOutcome } from '../../reconcile/estate.js';
import { runEstate, startEstateReconciler, type EstateReconciler } from '../../reconcile/leader.js';
import { reconcileSetup } from '../../reconcile/setup.js';
import { connectPool } from './connection.js';
import { PgAlertOutbox } from './estate-alerts.js';
import { PgEstateStore } from './estate-store.js';
import { LEADER_LEASE, Leases, pullLease, type LeaseRow } from './leases.js';
import { createIngestTables } from './migrate.js';
import { createPullTables } from './pull-tables.js';
import { PgPullStore } from './pull-store.js';
import { pulledWatchMs } from '../../ingest/pulled-accounts.js';
import { watchPulledAccountsPg } from './pulled-accounts.js';
import { applyRetentionPg } from './retention.js';
import type { PgStoreOptions } from './store-writer.js';
import { pgWhere } from './where.js';

export interface EstateHooks {
  onPulled?: (result: DeviceResult) => void;
  onReconciled?: (run: { ms: number; ok: boolean }) => void;
}

/** Start both; the tables exist (serve made them at start). */
export async function startPullsAndReconcile(
  config: Config,
  postgres: PgStoreOptions,
  knowledge: AccountKnowledge,
  log: Logger,
  hooks: EstateHooks = {},
): Promise<{ stop(): Promise<void> }> {
  // Pulls run config.pull.concurrency at a time, each holding a connection only while it records; leases renew beside them.
  const pool = await connectPool({ url: postgres.url, key: 'store.url' }, { max: 6 });
  try {
    const pullLeases = new Leases(pool, postgres.collector, config.store.pullLeaseSeconds * 1000);
    const leaderLeases = new Leases(pool, postgres.collector, config.store.leaderLeaseSeconds * 1000);
    const leases: PullLeases = { exclusive: (device, work) => pullLeases.withLease(pullLease(device), (_lease, lost) => work(lost)) };
    const pullStore = new PgPullStore(pool, postgres.collector, pgWhere(postgres.url, postgres.collector));
    let onChanged = (): void => undefined;
    // Each throws on a configuration mistake before it starts anything.
    const pulls = startPulls(config, pullStore, log, (result) => {
      hooks.onPulled?.(result);
      if (result.outcome === 'changed') onChanged();
    }, leases);
    let reconciler: EstateReconciler;
    try {
      reconciler = startEstateReconciler({
        config, store: new PgEstateStore(pool), outbox: new PgAlertOutbox(pool, postgres.collector), leases: leaderLeases, log,
        latestPullRun: async () => Number((await pool.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM pull_runs')).rows[0]!.id),
        ...(hooks.onReconciled ? { onRun: hooks.onReconciled } : {}),
      });
    } catch (err) {
      await pulls.stop();
      throw err;
    }
    const pulled = await watchPulledAccountsPg(pool, knowledge, pulledWatchMs(config.reconcile.pullCheckSeconds), {
      onRead: (devices) => log.debug({ devices: devices.length }, 'pulled accounts read'),
      onError: (err) => log.error({ err }, 'could not read pulled accounts'),
    });
    onChanged = () => void pulled.check().catch(() => undefined);
    const retention = retainWhileLeader(pool, config.store.retentionDays, () => reconciler.leader(), log);
    return {
      async stop() {
        await retention.stop();
        pulled.stop();
        await pulls.stop();
        await reconciler.stop();
        await pool.end();
      },
    };
  } catch (err) {
    await pool.end();
    throw err;
  }
}

/** How often the collector looks whether it leads and retention is due. */
const RETENTION_LOOK_MS = 5000;
const DAY_MS = 86_400_000;

/**
 * Retention over every collector's chain, by the reconcile leader: when it becomes leader and daily
 * while it stays one, stopping between transactions if it no longer leads. Once for the estate, as
 * reconciliation is, so a chain whose collector no longer runs ages out too (store.retentionDays of
 * the leader's configuration).
 */
function retainWhileLeader(pool: pg.Pool, days: number, leads: () => boolean, log: Logger): { stop(): Promise<void> } {
  let last: number | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const mayGoOn = (): boolean => !stopped && leads();
  const look = (): void => {
    if (running || !mayGoOn() || (last !== undefined && Date.now() - last < DAY_MS)) return;
    last = Date.now();
    running = applyRetentionPg(pool, days, last, mayGoOn)
      .then((r) => {
        if (r.events || r.messages || r.senders) log.info(r, `retention: removed records older than ${days} days`);
      })
      .catch((err: unknown) => log.error({ error: err instanceof Error ? err.message : String(err) }, 'retention failed; tried again tomorrow'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(look, RETENTION_LOOK_MS);
  timer.unref();
  look();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * One reconciliation of the estate now, as the leader runs it (every step, then the alerts of what
 * changed), for `aaawatch reconcile` with store.url: under the leader lease, so it never runs beside
 * a serve that is leader (`{ heldBy }` names who holds it then; the leader reconciles on its own
 * schedule). Configuration mistakes (roster, alert destinations) throw ConfigError before anything runs.
 */
export async function reconcileEstateNow(
  config: Config,
  postgres: PgStoreOptions,
  log: Logger,
): Promise<{ outcome: EstateOutcome } | { heldBy: LeaseRow | undefined }> {
  const setup = reconcileSetup(config);
  const destinations = destinationsFrom(config.reconcile.alerts);
  const pool = await connectPool({ url: postgres.url, key: 'store.url' }, { max: 4 });
  try {
    await createIngestTables(pool);
    await createPullTables(pool);
    const leases = new Leases(pool, postgres.collector, config.store.leaderLeaseSeconds * 1000);
    let lost = false;
    const alerts = new AlertSender(new PgAlertOutbox(pool, postgres.collector), destinations, config.reconcile.alerts, log, () => !lost);
    const done = await leases.withLease(LEADER_LEASE, async (_lease, signal) => {
      signal.addEventListener('abort', () => (lost = true));
      await alerts.startHere();
      const outcome = await runEstate(new PgEstateStore(pool), alerts, config, setup, () => !lost);
      await alerts.settle();
      return outcome;
    });
    await alerts.stop();
    return done === 'held-elsewhere' ? { heldBy: await leases.holderOf(LEADER_LEASE) } : { outcome: done };
  } finally {
    await pool.end();
  }
}
