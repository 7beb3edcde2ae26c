// Reconciliation for collectors sharing a PostgreSQL store: once for the estate, by the collector
// that holds the leader lease (src/store/pg/leases.ts, electLeader). The leader runs the estate's
// reconciliation (estate.ts) when it becomes leader, on reconcile.schedule, and when pulls finished
// since its last look (new pull_runs rows, whichever collector pulled); the others wait, trying for
// the lease every third of its time to live. A leader that dies (kill -9, power) is replaced once
// its lease runs out; one that cannot renew in time stops writing mid-run (NotLeader), so two
// collectors never write the same run's findings.

import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { electLeader, type Lease, type Leases } from '../store/pg/leases.js';
import type { EstateStore } from './estate-store.js';
import { NotLeader, reconcileEstate, type EstateOutcome } from './estate.js';
import { reconcileOptions, reconcileSetup, rosterStamp, type ReconcileSetup } from './setup.js';

export interface LeaderOptions {
  config: Config;
  store: EstateStore;
  /** The leases this collector takes the leader lease with (its time to live: store.leaderLeaseSeconds). */
  leases: Leases;
  log: Logger;
  /** The latest pull run's id, whoever pulled: a run follows when it grows. */
  latestPullRun: () => Promise<number>;
  onRun?: (run: { ms: number; ok: boolean }) => void;
}

export interface EstateReconciler {
  /** Whether this collector is the estate's reconcile leader now. */
  leader(): boolean;
  stop(): Promise<void>;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reads the roster at once (a mistake stops serve at start, with file, line and field), then
 * competes for the leader lease.
 */
export function startEstateReconciler(o: LeaderOptions): EstateReconciler {
  const { config, log } = o;
  let setup: ReconcileSetup = reconcileSetup(config);
  let stamp = rosterStamp(config);
  let lease: Lease | undefined;
  let task: ScheduledTask | undefined;
  let poll: NodeJS.Timeout | undefined;
  let seenPulls: number | undefined;
  let running: Promise<void> | undefined;
  let again: string | undefined;
  let stopped = false;

  const reloadRoster = (): void => {
    const now = rosterStamp(config);
    if (now === stamp) return;
    stamp = now;
    try {
      setup = reconcileSetup(config);
      log.info({ roster: setup.roster?.files, entries: setup.roster?.entries.length ?? 0 }, 'roster reloaded');
    } catch (err) {
      log.error({ error: errorText(err) }, 'roster not reloaded (the previous one stays in use)');
    }
  };

  // electLeader steps this collector down (lease undefined) the moment its renewed lease would run out.
  const mayWrite = (): boolean => !stopped && lease !== undefined;

  // One run at a time; a reason that comes during a run makes one more run after it.
  const run = (why: string): void => {
    if (!mayWrite()) return;
    if (running) {
      again = why;
      return;
    }
    running = (async () => {
      try {
        reloadRoster();
        const outcome: EstateOutcome = await reconcileEstate(o.store, reconcileOptions(config, setup, Date.now()), mayWrite);
        o.onRun?.({ ms: outcome.ms, ok: true });
        const c = outcome.conditions;
        log.info(
          { why, ms: outcome.ms, devices: outcome.devices, accounts: outcome.accounts, audited: outcome.audited, raised: c.raised, escalated: c.escalated, resolved: c.resolved, pullFindingsResolved: outcome.pullFindingsResolved, open: outcome.open },
          'reconciled (estate leader)',
        );
      } catch (err) {
        if (err instanceof NotLeader) log.warn({ why }, err.message);
        else {
          o.onRun?.({ ms: 0, ok: false });
          log.error({ why, error: errorText(err) }, 'reconciliation failed');
        }
      } finally {
        running = undefined;
        const next = again;
        again = undefined;
        if (next !== undefined) run(next);
      }
    })();
  };

  const checkPulls = async (): Promise<void> => {
    try {
      const last = await o.latestPullRun();
      const before = seenPulls;
      seenPulls = last;
      if (before !== undefined && last > before) run('pull');
    } catch (err) {
      log.error({ error: errorText(err) }, 'could not look for finished pulls');
    }
  };

  const becomeLeader = (l: Lease): void => {
    lease = l;
    log.info({ token: l.token, holder: o.leases.holder }, 'reconcile leader: this collector reconciles the estate');
    task = cron.schedule(config.reconcile.schedule, () => run('schedule'), { name: 'reconcile (leader)' });
    const every = config.reconcile.pullCheckSeconds * 1000;
    // This term's polling only: a look still in flight from an earlier term does not start a second chain.
    const term = l;
    const tick = (): void => {
      poll = setTimeout(() => void checkPulls().finally(() => lease === term && !stopped && tick()), every);
      poll.unref();
    };
    void checkPulls().finally(() => lease === term && !stopped && tick());
    run('became leader');
  };

  const stepDown = (): void => {
    if (!lease) return;
    lease = undefined;
    void task?.destroy();
    task = undefined;
    clearTimeout(poll);
    seenPulls = undefined;
    if (!stopped) log.warn('reconcile leader no more: the lease could not be renewed in time, or another collector holds it');
  };

  const election = electLeader(o.leases, (leader, l) => (leader && l ? becomeLeader(l) : stepDown()));
  log.info({ ttlSeconds: o.leases.ttlMs / 1000 }, 'reconciliation: competing for the estate leader lease');
  return {
    leader: () => lease !== undefined,
    async stop() {
      stopped = true;
      await running;
      await election.stop();
    },
  };
}
